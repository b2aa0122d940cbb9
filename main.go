package main

import (
	"context"
	"flag"
	"log"

	"github.com/nimtf/terraform-provider-nim/internal/pluginserve"
	"github.com/nimtf/terraform-provider-nim/internal/provider"
)

// version is set at build time by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

// address is the provider's source address, as Terraform installs it.
const address = "registry.terraform.io/nimtf/nim"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	if err := pluginserve.Serve(context.Background(), provider.New(version), address, debug); err != nil {
		log.Fatal(err.Error())
	}
}

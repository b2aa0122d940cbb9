// Package pluginserve serves a plugin-framework provider to Terraform or
// OpenTofu. It is what the provider's main runs, and what nimbench's floor
// provider runs, so that both are served the same way.
//
// # Log lines nobody reads
//
// A provider built on terraform-plugin-go logs at TRACE level by default: every
// RPC writes several JSON lines (the SDK's "Received request", "Served
// request", the framework's steps, the provider's own lines) to its stderr,
// which Terraform reads and parses line by line. Terraform hands them to its
// provider logger, whose level comes from TF_LOG_PROVIDER or TF_LOG; with
// neither set it is off and every line is dropped after being parsed. For an
// apply of 1000 chatrooms that work cost about 4 CPU-seconds between the two
// processes, a fifth of the total, for no output at all.
//
// So, when no variable of the TF_LOG family (nor TF_ACC_LOG*, nor, to be safe
// should a CLI ever read them, TOFU_LOG*) is set, Serve sets TF_LOG_SDK, TF_LOG_SDK_PROTO, TF_LOG_SDK_FRAMEWORK and
// TF_LOG_PROVIDER_<NAME> to OFF in its own process before serving: the
// loggers then return before formatting anything. Setting any of those
// variables, for example TF_LOG=TRACE, leaves logging exactly as the SDK sets
// it up. A provider started with -debug (run by a developer, not by
// Terraform) is never quieted. Panics are written by the Go runtime and are
// not affected, nor are the two lines go-plugin itself writes at start-up.
package pluginserve

import (
	"context"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// Serve serves the provider that factory builds under address (for example
// "registry.terraform.io/nimtf/nim") until Terraform stops it, quieting the
// loggers first as the package documentation says. With debug it runs in
// debug mode (providerserver.ServeOpts.Debug) and prints the
// TF_REATTACH_PROVIDERS value to use. It returns providerserver.Serve's error.
func Serve(ctx context.Context, factory func() provider.Provider, address string, debug bool) error {
	if !debug {
		if err := quietLogs(address); err != nil {
			return err
		}
	}
	return providerserver.Serve(ctx, factory, providerserver.ServeOpts{Address: address, Debug: debug})
}

// quietLogs sets the variables QuietLogEnv returns in this process.
func quietLogs(address string) error {
	for _, kv := range QuietLogEnv(os.Environ(), address) {
		k, v, _ := strings.Cut(kv, "=")
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}

// logVarPrefixes are the prefixes of the variables by which a user asks
// Terraform, OpenTofu, the test framework or the SDK for logs.
var logVarPrefixes = []string{"TF_LOG", "TOFU_LOG", "TF_ACC_LOG"}

// QuietLogEnv returns the KEY=OFF settings that turn off the SDK's, the
// framework's and the provider's loggers of the provider at address, given
// the process environment environ (os.Environ's form). It returns nil when
// any variable whose name starts with TF_LOG, TOFU_LOG or TF_ACC_LOG is set
// to a non-empty value, because then the user may read the lines.
func QuietLogEnv(environ []string, address string) []string {
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if v == "" {
			continue
		}
		for _, p := range logVarPrefixes {
			if strings.HasPrefix(strings.ToUpper(k), p) {
				return nil
			}
		}
	}
	return []string{
		"TF_LOG_SDK=OFF",
		"TF_LOG_SDK_PROTO=OFF",
		"TF_LOG_SDK_FRAMEWORK=OFF",
		"TF_LOG_PROVIDER_" + providerLoggerName(address) + "=OFF",
	}
}

// providerLoggerName is the suffix terraform-plugin-go gives the provider's
// log variable: the address's type, upper case, "-" as "_"
// ("registry.terraform.io/nimtf/nim" gives "NIM").
func providerLoggerName(address string) string {
	t := address[strings.LastIndex(address, "/")+1:]
	return strings.ToUpper(strings.ReplaceAll(t, "-", "_"))
}

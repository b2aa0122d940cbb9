go install github.com/nimtf/terraform-provider-nim/cmd/nimsim@latest
nimsim --version

#!/usr/bin/env bash
# Builds a Terraform or OpenTofu CLI from the Go module proxy, once, into
# TOOLS_DIR/<name>-<version>/<name>, and does nothing when it is already there.
#
#   scripts/install-cli.sh terraform 1.8.5  TOOLS_DIR
#   scripts/install-cli.sh terraform 1.15.9 TOOLS_DIR
#   scripts/install-cli.sh tofu      1.12.6 TOOLS_DIR
#
# Terraform >= 1.15 and OpenTofu cannot be built with `go install mod@version`:
# their go.mod has replace directives. They are built from a throwaway wrapper
# module that requires the release and repeats those replace directives.
set -euo pipefail

name=$1 version=$2 tools=$3
dir="$tools/$name-$version"
bin="$dir/$name"
# The CLI's version line. The output is read whole (with pipefail, a CLI still
# writing when `head` exits fails with SIGPIPE), and OpenTofu may write CLI
# configuration warnings to stdout before that line.
version_line() {
	local out
	out=$("$1" version 2>/dev/null) || return 1
	grep -m1 -E '^(Terraform|OpenTofu) v' <<<"$out"
}
if [[ -x "$bin" ]] && version_line "$bin" | grep -qE "v$version(-dev)?\$"; then
	exit 0
fi
echo "building $name $version into $dir (a few minutes, once)"
mkdir -p "$dir"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local

# The release commit of Terraform 1.15.9, as a pseudo-version for its nested modules.
tf_1_15_9_nested=v0.0.0-20260819132334-87488977e32a

wrapper=$(mktemp -d)
trap 'rm -rf "$wrapper"' EXIT
cd "$wrapper"

case "$name-$version" in
terraform-1.8.5)
	GOBIN="$dir" go install "github.com/hashicorp/terraform@v$version"
	;;
terraform-*)
	go mod init nimtf.local/terraform-cli >/dev/null 2>&1
	go mod edit -require="github.com/hashicorp/terraform@v$version"
	nested=$tf_1_15_9_nested
	[[ "$version" == 1.15.9 ]] || { echo "no nested-module version known for terraform $version" >&2; exit 1; }
	for m in azure consul cos gcs kubernetes oss pg s3 oci; do
		go mod edit -replace="github.com/hashicorp/terraform/internal/backend/remote-state/$m=github.com/hashicorp/terraform/internal/backend/remote-state/$m@$nested"
	done
	go mod edit -replace="github.com/hashicorp/terraform/internal/legacy=github.com/hashicorp/terraform/internal/legacy@$nested"
	printf 'package main\nimport _ "github.com/hashicorp/terraform"\n' >tools.go
	go mod tidy >/dev/null 2>&1 || go get "github.com/hashicorp/terraform@v$version"
	go build -trimpath -o "$bin" github.com/hashicorp/terraform
	;;
tofu-*)
	go mod init nimtf.local/tofu-cli >/dev/null 2>&1
	go mod edit -require="github.com/opentofu/opentofu@v$version"
	go mod edit -replace="github.com/hashicorp/hcl/v2@v2.20.1=github.com/opentofu/hcl/v2@v2.20.2-0.20251021132045-587d123c2828"
	go get "github.com/opentofu/opentofu/cmd/tofu@v$version"
	go build -trimpath -o "$bin" github.com/opentofu/opentofu/cmd/tofu
	;;
*)
	echo "unknown CLI $name" >&2; exit 1
	;;
esac
version_line "$bin"

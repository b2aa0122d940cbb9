#!/usr/bin/env bash
# make module-test: run the example module's own test suite
# (examples/modules/community/tests) through real CLIs against nimsim, and
# the commands of the offline-testing guide and its CI workflow.
#
#   scripts/module-test.sh TERRAFORM_BIN TOFU_BIN
#
# Builds the provider and nimsim, starts nimsim on a free loopback port,
# then with each CLI runs fmt -check, get, validate and test on a copy of
# the module. The provider comes from dev_overrides (Terraform looks it up
# as registry.terraform.io/nimtf/nim, OpenTofu as
# registry.opentofu.org/nimtf/nim), so there is no init, which would look
# the provider up online; `get` installs the suite's helper module. Stops
# nimsim, expecting a clean exit, then runs internal/offlinetest (the
# guide's commands and its CI workflow, which do run init) with Terraform.
# Exits non-zero on any failure.
set -euo pipefail

terraform=${1:?usage: module-test.sh TERRAFORM_BIN TOFU_BIN}
tofu=${2:?usage: module-test.sh TERRAFORM_BIN TOFU_BIN}
root=$(cd "$(dirname "$0")/.." && pwd)
module=$root/examples/modules/community
work=$(mktemp -d)
sim_pid=""
cleanup() {
	if [[ -n "$sim_pid" ]]; then kill "$sim_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

step "building the provider and nimsim"
go build -o "$work/plugins/terraform-provider-nim" "$root"
go build -o "$work/bin/nimsim" "$root/cmd/nimsim"

step "starting nimsim"
"$work/bin/nimsim" --listen 127.0.0.1:0 --state-file "$work/nimsim-state.json" \
	--accounts founder,mod_ann,user_cy,user_di >"$work/nimsim.out" 2>"$work/nimsim.err" &
sim_pid=$!
endpoint=""
for _ in $(seq 1 100); do
	endpoint=$(sed -n 's/^endpoint: //p' "$work/nimsim.out")
	[[ -n "$endpoint" ]] && break
	kill -0 "$sim_pid" 2>/dev/null || { cat "$work/nimsim.err"; echo "nimsim exited"; exit 1; }
	sleep 0.1
done
[[ -n "$endpoint" ]] || { echo "nimsim did not report its endpoint"; exit 1; }
curl --fail --silent --retry 30 --retry-connrefused --retry-delay 1 "${endpoint%/nimserver}/_sim/health" >/dev/null
echo "nimsim at $endpoint"

cat >"$work/cli.tfrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/nimtf/nim" = "$work/plugins"
    "registry.opentofu.org/nimtf/nim" = "$work/plugins"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE=$work/cli.tfrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export NIM_ENDPOINT=$endpoint NIM_APP_KEY=nimsim-app-key NIM_APP_SECRET=nimsim-app-secret
# Easemob on the same address, under /{org}/{app}/: the simulator's defaults.
export EASEMOB_HOST=${endpoint%/nimserver} EASEMOB_ORG_NAME=nimsim-org EASEMOB_APP_NAME=nimsim-app
export EASEMOB_CLIENT_ID=nimsim-client-id EASEMOB_CLIENT_SECRET=nimsim-client-secret

n=0
for cli in "$terraform" "$tofu"; do
	n=$((n + 1))
	step "$("$cli" version | head -n1)"
	dir=$work/module$n
	cp -r "$module" "$dir"
	rm -rf "$dir/.terraform" "$dir/.terraform.lock.hcl"
	"$cli" -chdir="$dir" fmt -check -recursive
	"$cli" -chdir="$dir" get >/dev/null # the test suite's helper module
	"$cli" -chdir="$dir" validate
	"$cli" -chdir="$dir" test
done

step "objects left in nimsim after the suites (destroyed servers and closed rooms only)"
objects=$(curl --fail --silent "${endpoint%/nimserver}/_sim/objects")
if grep -q '"qchatServers":\[{' <<<"$objects"; then
	echo "a QChat server was left behind: $objects"; exit 1
fi
# Both suites created an Easemob room; destroy deletes it.
easemob_objects=$(curl --fail --silent "${endpoint%/nimserver}/_sim/easemob/objects")
if ! grep -q '"rooms":\[\]' <<<"$easemob_objects"; then
	echo "an Easemob room was left behind: $easemob_objects"; exit 1
fi
easemob_stats=$(curl --fail --silent "${endpoint%/nimserver}/_sim/easemob/stats")
if ! grep -q '"POST chatrooms":2[,}]' <<<"$easemob_stats"; then
	echo "expected one Easemob room created by each suite: $easemob_stats"; exit 1
fi

step "stopping nimsim"
kill -TERM "$sim_pid"
wait "$sim_pid" || { cat "$work/nimsim.err"; echo "nimsim did not exit cleanly"; exit 1; }
sim_pid=""
grep -q '"version":1' "$work/nimsim-state.json"
[[ -s "$work/nimsim-state.easemob.json" ]] || { echo "nimsim wrote no Easemob state file"; exit 1; }

step "the offline-testing guide and its CI workflow"
NIM_GUIDE_TERRAFORM=$terraform go test -count=1 -timeout 20m -v ./internal/offlinetest/ 2>&1 |
	grep -E '^(=== RUN|--- |PASS|FAIL|ok|panic)|guide_test.go'

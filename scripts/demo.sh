#!/usr/bin/env bash
# make demo: build the provider and the simulator, start the simulator on a
# free loopback port, apply examples/demo through dev_overrides, show that a
# second plan is empty, destroy, stop. Exits non-zero if any step fails.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-terraform}
work=$(mktemp -d)
sim_pid=""
cleanup() {
	if [[ -n "$sim_pid" ]]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "building the provider and the simulator"
go build -o "$work/bin/terraform-provider-nim" "$root"
go build -o "$work/bin/nimsim" "$root/cmd/nimsim"

step "starting the simulator (NIM and Easemob on one address)"
"$work/bin/nimsim" --listen 127.0.0.1:0 --state-file "$work/nimsim-state.json" >"$work/nimsim.out" 2>"$work/nimsim.err" &
sim_pid=$!
endpoint=""
for _ in $(seq 1 100); do
	endpoint=$(sed -n 's/^endpoint: //p' "$work/nimsim.out")
	[[ -n "$endpoint" ]] && break
	kill -0 "$sim_pid" 2>/dev/null || { cat "$work/nimsim.err"; echo "simulator exited"; exit 1; }
	sleep 0.1
done
[[ -n "$endpoint" ]] || { echo "simulator did not report its endpoint"; exit 1; }
echo "simulator at $endpoint"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/nimtf/nim" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export NIM_ENDPOINT="$endpoint"
# The simulator's documented default credentials.
export NIM_APP_KEY="${NIM_APP_KEY:-nimsim-app-key}"
export NIM_APP_SECRET="${NIM_APP_SECRET:-nimsim-app-secret}"
# Easemob is served by the same simulator under /{org}/{app}/: its host is
# the address alone, with the simulator's default org, app and credentials.
export EASEMOB_HOST="${endpoint%/nimserver}"
export EASEMOB_ORG_NAME="${EASEMOB_ORG_NAME:-nimsim-org}"
export EASEMOB_APP_NAME="${EASEMOB_APP_NAME:-nimsim-app}"
export EASEMOB_CLIENT_ID="${EASEMOB_CLIENT_ID:-nimsim-client-id}"
export EASEMOB_CLIENT_SECRET="${EASEMOB_CLIENT_SECRET:-nimsim-client-secret}"

cp -r "$root/examples/demo" "$work/demo"
tf() { "$terraform" -chdir="$work/demo" "$@"; }

step "terraform apply"
tf apply -auto-approve -input=false

step "terraform output"
tf output

step "second terraform plan (must show no changes)"
set +e
tf plan -input=false -detailed-exitcode
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
	echo "the second plan was not empty (exit code $rc)"
	exit 1
fi

step "terraform destroy"
tf destroy -auto-approve -input=false

step "simulator request counts"
echo "NIM:"
curl -fsS "${endpoint%/nimserver}/_sim/stats" 2>/dev/null || true
echo
echo "Easemob:"
curl -fsS "${endpoint%/nimserver}/_sim/easemob/stats" 2>/dev/null || true
echo
step "demo finished"

#!/usr/bin/env bash
# `terraform fmt -check` of examples/, then `terraform validate` of every
# directory under examples/ that holds .tf files, with the provider built from
# this tree and served through dev_overrides: nothing is downloaded.
#
#   TERRAFORM=/path/to/terraform scripts/check-examples.sh
#
# The examples of one resource type refer to the objects it lives in (a
# server, a channel) by address without declaring them, as the generated
# docs show them. For validation, each such object gets a minimal
# declaration of its own, from the table below.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-terraform}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "nimtf/nim" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

echo "terraform fmt -check -recursive examples/"
if ! "$terraform" fmt -check -recursive -diff "$root/examples"; then
	echo "examples/: the files above need formatting (terraform fmt -recursive examples/)" >&2
	exit 1
fi

go build -o "$work/bin/terraform-provider-nim" "$root"

# stub TYPE NAME prints a minimal declaration of resource TYPE.NAME.
stub() {
	local body
	case "$1" in
	nim_chatroom) body='creator = "host"
  name    = "stub"' ;;
	nim_qchat_server) body='owner = "owner"
  name  = "stub"' ;;
	nim_qchat_channel | nim_qchat_role) body='server_id = "1"
  name      = "stub"' ;;
	nim_qchat_server_member) body='server_id = "1"
  accid     = "stub"' ;;
	nim_easemob_chatroom) body='name        = "stub"
  description = "stub"
  owner       = "stub"' ;;
	nim_easemob_chatroom_member) body='room_id  = "1"
  username = "stub"' ;;
	*)
		echo "no stub declaration for $1: add one to $0" >&2
		return 1
		;;
	esac
	printf 'resource "%s" "%s" {\n  %s\n}\n\n' "$1" "$2" "$body"
}

failed=()
count=0
while read -r dir; do
	rel=${dir#"$root"/}
	mod="$work/modules/$rel"
	mkdir -p "$mod"
	cp "$dir"/*.tf "$mod/"
	if ! grep -qs required_providers "$mod"/*.tf; then
		printf 'terraform {\n  required_providers {\n    nim = { source = "nimtf/nim" }\n  }\n}\n' >"$mod/zz_provider.tf"
	fi
	declared=$(sed -nE 's/^resource "(nim_[a-z0-9_]+)" "([a-zA-Z0-9_-]+)".*/\1.\2/p' "$mod"/*.tf | sort -u)
	referenced=$({ grep -ohE '(^|[^.a-zA-Z0-9_])nim_[a-z0-9_]+\.[a-zA-Z0-9_-]+\.' "$mod"/*.tf || true; } |
		sed -E 's/^[^n]//; s/\.$//' | sort -u)
	for ref in $(comm -13 <(echo "$declared") <(echo "$referenced")); do
		stub "${ref%%.*}" "${ref#*.}" >>"$mod/zz_context.tf"
	done
	count=$((count + 1))
	if out=$("$terraform" -chdir="$mod" validate -no-color 2>&1); then
		echo "ok   $rel"
	else
		echo "FAIL $rel"
		echo "$out" | sed 's/^/     /'
		failed+=("$rel")
	fi
done < <(find "$root/examples" -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' | sort -u)

if ((${#failed[@]})); then
	echo "terraform validate failed in ${#failed[@]} of $count example directories: ${failed[*]}" >&2
	exit 1
fi
echo "terraform validate: $count example directories valid"

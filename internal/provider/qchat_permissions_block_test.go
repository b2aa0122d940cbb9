package provider

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// permissionsResource is one of the four resources with a permissions
// block, as the block-edit test drives it.
type permissionsResource struct {
	name     string
	addr     string
	scope    permissionScope
	setup    string // the objects it needs, after the server
	body     string // its own attributes
	update   string // the endpoint that sends auths
	importID func(s *terraform.State) (string, error)
}

var permissionsResources = []permissionsResource{
	{
		name: "role", addr: "nim_qchat_role.x", scope: serverPermissions,
		body:   `server_id = nim_qchat_server.guild.id` + "\n  name = \"x\"",
		update: "qchat/updateServerIdentify",
		importID: func(s *terraform.State) (string, error) {
			sid, _ := stateAttr(s, "nim_qchat_server.guild", "id")
			id, err := stateAttr(s, "nim_qchat_role.x", "id")
			return sid + "/" + id, err
		},
	},
	{
		name: "everyone_role", addr: "nim_qchat_everyone_role.x", scope: serverPermissions,
		body:   `server_id = nim_qchat_server.guild.id`,
		update: "qchat/updateServerIdentify",
		importID: func(s *terraform.State) (string, error) {
			return stateAttr(s, "nim_qchat_server.guild", "id")
		},
	},
	{
		name: "channel_role", addr: "nim_qchat_channel_role.x", scope: channelPermissions,
		setup: `
resource "nim_qchat_channel" "news" {
  server_id = nim_qchat_server.guild.id
  name      = "news"
}
resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
}`,
		body: `server_id = nim_qchat_server.guild.id
  channel_id     = nim_qchat_channel.news.id
  server_role_id = nim_qchat_role.mods.id`,
		update: "qchat/updateChannelIdentify",
		importID: func(s *terraform.State) (string, error) {
			return stateAttr(s, "nim_qchat_channel_role.x", "id")
		},
	},
	{
		name: "channel_member_permissions", addr: "nim_qchat_channel_member_permissions.x", scope: channelPermissions,
		setup: `
resource "nim_qchat_channel" "news" {
  server_id = nim_qchat_server.guild.id
  name      = "news"
}
resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
}`,
		body: `server_id = nim_qchat_server.guild.id
  channel_id = nim_qchat_channel.news.id
  accid      = nim_qchat_server_member.alice.accid`,
		update: "qchat/updateUserIdentify",
		importID: func(s *terraform.State) (string, error) {
			return stateAttr(s, "nim_qchat_channel_member_permissions.x", "id")
		},
	},
}

// config renders the resource; block is its permissions block or "" for
// none.
func (p permissionsResource) config(env *simEnv, block string) string {
	typ := strings.SplitN(p.addr, ".", 2)[0]
	return env.config(guild + p.setup + fmt.Sprintf(`
resource %q "x" {
  %s
%s
}
`, typ, p.body, block))
}

// everyPermission is a block that sets every permission of the scope.
func (p permissionsResource) everyPermission() (string, map[int]bool) {
	var b strings.Builder
	keys := map[int]bool{}
	b.WriteString("  permissions {\n")
	for _, perm := range p.scope.list() {
		fmt.Fprintf(&b, "    %s = \"allow\"\n", perm.attr)
		keys[perm.key] = true
	}
	b.WriteString("  }")
	return b.String(), keys
}

// Adding, removing and re-adding a permissions block, an empty block, a
// block with every permission, and import with and without a block: every
// apply succeeds, every plan shows exactly the permissions that change, and
// the plan after each step is empty.
func TestQChatPermissionsBlockEdits(t *testing.T) {
	t.Parallel()
	for _, p := range permissionsResources {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			env := newSimEnv(t, nimsim.Config{})
			var before requestMark
			mark := func() { before = env.mark(p.update) }
			sent := func(want map[int]bool, exact bool) resource.TestCheckFunc {
				return func(*terraform.State) error { return env.checkSentKeys(before, p.update, want, exact) }
			}
			deny := "  permissions {\n    send_message = \"deny\"\n  }"
			partial := "  permissions {\n    send_message = \"allow\"\n  }"
			every, allKeys := p.everyPermission()
			everyChange := map[string][2]any{}
			for _, perm := range p.scope.list() {
				everyChange[perm.attr] = [2]any{nil, "allow"}
			}
			everyChange["send_message"] = [2]any{"deny", "allow"}
			empty := plancheck.ExpectEmptyPlan()
			settled := resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{empty}}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{
					{ // no block: nothing managed, stored or sent
						PreConfig: mark, Config: p.config(env, ""), ConfigPlanChecks: settled,
						Check: resource.ComposeTestCheckFunc(
							resource.TestCheckNoResourceAttr(p.addr, "permissions.%"), sent(nil, true)),
					},
					{ // an empty block: the block appears, no permission changes, nothing is sent
						PreConfig: mark, Config: p.config(env, "  permissions {}"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{permissionDiff(p.addr, nil)},
							PostApplyPostRefresh: []plancheck.PlanCheck{empty},
						},
						Check: sent(nil, true),
					},
					{ // no block -> block: exactly the permission set is planned and sent
						PreConfig: mark, Config: p.config(env, deny),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{permissionDiff(p.addr, map[string][2]any{"send_message": {nil, "deny"}})},
							PostApplyPostRefresh: []plancheck.PlanCheck{empty},
						},
						Check: resource.ComposeTestCheckFunc(
							resource.TestCheckResourceAttr(p.addr, "permissions.send_message", "deny"),
							resource.TestCheckNoResourceAttr(p.addr, "permissions.mention_everyone"),
							sent(map[int]bool{4: true}, p.name != "everyone_role")),
					},
					{ // block -> none: the managed permission leaves the state, nothing is sent
						PreConfig: mark, Config: p.config(env, ""),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{permissionDiff(p.addr, map[string][2]any{"send_message": {"deny", nil}})},
							PostApplyPostRefresh: []plancheck.PlanCheck{empty},
						},
						Check: resource.ComposeTestCheckFunc(
							resource.TestCheckNoResourceAttr(p.addr, "permissions.%"), sent(nil, true)),
					},
					{ // none -> block again
						PreConfig: mark, Config: p.config(env, deny),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{permissionDiff(p.addr, map[string][2]any{"send_message": {nil, "deny"}})},
							PostApplyPostRefresh: []plancheck.PlanCheck{empty},
						},
						Check: resource.ComposeTestCheckFunc(
							resource.TestCheckResourceAttr(p.addr, "permissions.send_message", "deny"),
							sent(map[int]bool{4: true}, false)),
					},
					{ // a block with every permission
						PreConfig: mark, Config: p.config(env, every),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{permissionDiff(p.addr, everyChange)},
							PostApplyPostRefresh: []plancheck.PlanCheck{empty},
						},
						Check: sent(allKeys, false),
					},
					{ // import with a block that names some of the permissions
						Config: p.config(env, partial), ResourceName: p.addr, ImportState: true,
						ImportStateKind: resource.ImportBlockWithID, ImportStateIdFunc: p.importID,
					},
					{ // import with a block that names all of them
						Config: p.config(env, every), ResourceName: p.addr, ImportState: true,
						ImportStateKind: resource.ImportBlockWithID, ImportStateIdFunc: p.importID,
					},
					{ // the configuration import generates plans no change
						Config: env.config(guild + p.setup), ResourceName: p.addr, ImportState: true,
						ImportStateKind: resource.ImportBlockWithID, ImportStateIdFunc: p.importID, GenerateConfig: true,
					},
					{ // an empty block after every permission: nothing changes, nothing is sent
						PreConfig: mark, Config: p.config(env, "  permissions {}"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{empty},
							PostApplyPostRefresh: []plancheck.PlanCheck{empty},
						},
						Check: sent(nil, true),
					},
					{ // import without a block, with the id saying so: nothing is recorded, no change
						Config: p.config(env, ""), ResourceName: p.addr, ImportState: true,
						ImportStateKind: resource.ImportBlockWithID, ImportStateIdFunc: withoutPermissions(p.importID),
					},
					{ // an import without a block by the plain id records the permissions: the block leaves the state once, sending nothing
						Config: p.config(env, ""), ResourceName: p.addr, ImportState: true,
						ImportStateKind: resource.ImportBlockWithID, ImportStateIdFunc: p.importID,
						ExpectNonEmptyPlan: true,
						ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
							permissionDiff(p.addr, everyChangeGone(p.scope)),
						}},
					},
				},
			})
		})
	}
}

// withoutPermissions is the import id of a resource without a permissions
// block.
func withoutPermissions(id func(*terraform.State) (string, error)) func(*terraform.State) (string, error) {
	return func(s *terraform.State) (string, error) {
		v, err := id(s)
		return v + noPermissionsSuffix, err
	}
}

// everyChangeGone is the diff of a block holding every permission as
// "allow" that leaves the state.
func everyChangeGone(s permissionScope) map[string][2]any {
	out := map[string][2]any{}
	for _, perm := range s.list() {
		out[perm.attr] = [2]any{"allow", nil}
	}
	return out
}

// checkSentKeys checks the auths keys sent to an endpoint since a mark:
// none when want is empty, exactly want when exact, otherwise a subset of
// want.
func (e *simEnv) checkSentKeys(m requestMark, endpoint string, want map[int]bool, exact bool) error {
	got := map[int]bool{}
	for _, form := range e.sentSince(m, endpoint) {
		auths, err := client.ParsePermissions(form.Get("auths"))
		if err != nil {
			return err
		}
		for k := range auths {
			got[k] = true
		}
	}
	for k := range got {
		if !want[k] {
			return fmt.Errorf("%s sent permission %d, which did not change (sent %v)", endpoint, k, got)
		}
	}
	if exact && !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
		return fmt.Errorf("%s sent permissions %v, want %v", endpoint, got, want)
	}
	return nil
}

// permissionDiff asserts that the plan updates one resource in place and
// that exactly the listed permissions change (before -> after, nil for
// null or an absent block); no permission and no other attribute may be
// unknown.
type expectPermissionDiff struct {
	addr string
	want map[string][2]any
}

func permissionDiff(addr string, want map[string][2]any) plancheck.PlanCheck {
	return expectPermissionDiff{addr: addr, want: want}
}

func (e expectPermissionDiff) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	rc := findChange(req.Plan, e.addr)
	if rc == nil {
		resp.Error = fmt.Errorf("%s: not in the plan", e.addr)
		return
	}
	if !rc.Change.Actions.Update() {
		resp.Error = fmt.Errorf("%s: planned %v, want an in-place update", e.addr, rc.Change.Actions)
		return
	}
	before, _ := rc.Change.Before.(map[string]any)
	after, _ := rc.Change.After.(map[string]any)
	unknown, _ := rc.Change.AfterUnknown.(map[string]any)
	var problems []string
	for attr, u := range unknown {
		if u != false {
			problems = append(problems, fmt.Sprintf("%s is unknown after apply (%v)", attr, u))
		}
	}
	for attr := range after {
		if attr != "permissions" && !reflect.DeepEqual(before[attr], after[attr]) {
			problems = append(problems, fmt.Sprintf("%s changes (%v -> %v)", attr, before[attr], after[attr]))
		}
	}
	pb, _ := before["permissions"].(map[string]any)
	pa, _ := after["permissions"].(map[string]any)
	names := map[string]bool{}
	for n := range pb {
		names[n] = true
	}
	for n := range pa {
		names[n] = true
	}
	for n := range names {
		b, a := pb[n], pa[n]
		want, listed := e.want[n]
		switch {
		case listed && (!reflect.DeepEqual(b, want[0]) || !reflect.DeepEqual(a, want[1])):
			problems = append(problems, fmt.Sprintf("permissions.%s: planned %v -> %v, want %v -> %v", n, b, a, want[0], want[1]))
		case !listed && !reflect.DeepEqual(b, a):
			problems = append(problems, fmt.Sprintf("permissions.%s changes too (%v -> %v)", n, b, a))
		}
	}
	for n := range e.want {
		if !names[n] {
			problems = append(problems, fmt.Sprintf("permissions.%s is not in the plan", n))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		resp.Error = fmt.Errorf("%s: %s", e.addr, strings.Join(problems, "; "))
	}
}

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

const channelRoleAddr = "nim_qchat_channel_role.test"

func TestQChatChannelRoleResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var crID string
	var before requestMark
	cfg := func(perms string) string {
		return env.config(guild + fmt.Sprintf(`
resource "nim_qchat_channel" "news" {
  server_id = nim_qchat_server.guild.id
  name      = "news"
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
}

resource "nim_qchat_channel_role" "test" {
  server_id      = nim_qchat_server.guild.id
  channel_id     = nim_qchat_channel.news.id
  server_role_id = nim_qchat_role.mods.id
  permissions {
%s
  }
}
`, perms))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{
				Config: cfg(`    send_message     = "allow"
    delete_message   = "deny"
    rtc_screen_share = "deny"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(channelRoleAddr, tfjsonpath.New("name"), knownvalue.StringExact("mods")),
					statecheck.ExpectKnownValue(channelRoleAddr, tfjsonpath.New("permissions").AtMapKey("mention_everyone"), knownvalue.Null()),
				},
				Check: func(s *terraform.State) error {
					crID, _ = stateAttr(s, channelRoleAddr, "role_id")
					r, ok := env.channelRole(crID)
					if !ok {
						return fmt.Errorf("channel role %s not in the simulator", crID)
					}
					mods, _ := stateAttr(s, "nim_qchat_role.mods", "id")
					if itoa(r.ServerRoleID) != mods {
						return fmt.Errorf("channel role overrides server role %d, want %s", r.ServerRoleID, mods)
					}
					return expectAuths(r.Auths, map[int]int{4: 1, 10: -1, 12: 0, 23: -1})
				},
			},
			{
				PreConfig: func() { before = env.mark("qchat/updateChannelIdentify") },
				Config: cfg(`    send_message   = "inherit"
    delete_message = "deny"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					permissionChanges(channelRoleAddr, map[string][2]string{"send_message": {"allow", "inherit"}}),
				}},
				Check: func(s *terraform.State) error {
					sent := env.sentSince(before, "qchat/updateChannelIdentify")
					if len(sent) != 1 || sent[0].Get("auths") != `{"4":0}` {
						return fmt.Errorf("want one update with auths {\"4\":0}, got %v", sent)
					}
					r, _ := env.channelRole(crID)
					return expectAuths(r.Auths, map[int]int{4: 0, 10: -1})
				},
			},
			{ResourceName: channelRoleAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				Config: cfg(`    send_message   = "inherit"
    delete_message = "deny"`)},
			{Config: cfg(`    send_message   = "inherit"
    delete_message = "deny"`), PlanOnly: true},
			{
				PreConfig: func() {
					if !env.sim.Delete("qchat_channel_role", mustParse(crID)) {
						t.Fatalf("no channel role %s to delete", crID)
					}
				},
				Config: cfg(`    send_message   = "inherit"
    delete_message = "deny"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(channelRoleAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// Bad input fails at plan time (or import), before any API request.
func TestQChatChannelRoleResource_badInput(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"channel role server-only permission", `resource "nim_qchat_channel_role" "cr" {
  server_id      = "1"
  channel_id     = "2"
  server_role_id = "3"
  permissions {
    manage_server = "allow"
  }
}`, `(?s)Unsupported argument.*manage_server`},
		{"channel role bad value", `resource "nim_qchat_channel_role" "cr" {
  server_id      = "1"
  channel_id     = "2"
  server_role_id = "3"
  permissions {
    send_message = "yes"
  }
}`, `Attribute permissions.send_message value must be one of`},
		{"channel role bad channel id", `resource "nim_qchat_channel_role" "cr" {
  server_id      = "1"
  channel_id     = "-2"
  server_role_id = "3"
}`, `(?s)Invalid id.*channel_id must be a positive integer`},
	}, []badImport{
		{"channel role id with two parts", `resource "nim_qchat_channel_role" "x" {
  server_id      = "1"
  channel_id     = "2"
  server_role_id = "3"
}`, "1/2", `(?s)Invalid import id.*<server_id>/<channel_id>/<role_id>`},
	})
}

// TestQChatChannelRoleResource_serverRoleRenamedInSameApply: renaming the
// server role in the apply that changes the channel role's permissions
// applies without an inconsistent result; the refresh after it reads the new
// name, with nothing left to change.
func TestQChatChannelRoleResource_serverRoleRenamedInSameApply(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	cfg := func(roleName, send string) string {
		return env.config(guild + fmt.Sprintf(`
resource "nim_qchat_channel" "news" {
  server_id = nim_qchat_server.guild.id
  name      = "news"
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = %q
}

resource "nim_qchat_channel_role" "test" {
  server_id      = nim_qchat_server.guild.id
  channel_id     = nim_qchat_channel.news.id
  server_role_id = nim_qchat_role.mods.id
  permissions {
    send_message = %q
  }
}
`, roleName, send))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{Config: cfg("mods", "allow")},
			{
				Config: cfg("moderators", "deny"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(channelRoleAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("nim_qchat_role.mods", plancheck.ResourceActionUpdate),
				}},
			},
			{
				Config: cfg("moderators", "deny"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(channelRoleAddr, tfjsonpath.New("name"), knownvalue.StringExact("moderators")),
				},
			},
		},
	})
}

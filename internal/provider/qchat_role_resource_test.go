package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

const roleAddr = "nim_qchat_role.test"

func roleConfig(attrs, perms string) string {
	return guild + fmt.Sprintf(`
resource "nim_qchat_role" "test" {
  server_id = nim_qchat_server.guild.id
%s
  permissions {
%s
  }
}
`, attrs, perms)
}

func (e *simEnv) checkServerRole(addr string, check func(r nimsim.QChatServerRole) error) resource.TestCheckFunc {
	attr := "id"
	if addr == everyoneAddr {
		attr = "role_id"
	}
	return checkSimObject(addr, attr, "role", e.serverRole, check)
}

func TestQChatRoleResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var roleID string
	var before requestMark
	perms := `    send_message   = "deny"
    manage_channel = "allow"`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{
				Config: env.config(roleConfig(`  name = "moderators"
  ext  = "{\"color\":\"green\"}"`, perms)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(roleAddr, tfjsonpath.New("permissions").AtMapKey("send_message"), knownvalue.StringExact("deny")),
					statecheck.ExpectKnownValue(roleAddr, tfjsonpath.New("permissions").AtMapKey("manage_channel"), knownvalue.StringExact("allow")),
					statecheck.ExpectKnownValue(roleAddr, tfjsonpath.New("priority"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(roleAddr, tfjsonpath.New("operator"), knownvalue.StringExact("boss")),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { roleID, _ = stateAttr(s, roleAddr, "id"); return nil },
					env.checkServerRole(roleAddr, func(r nimsim.QChatServerRole) error {
						if r.Type != 2 || r.Name != "moderators" || r.Ext != `{"color":"green"}` {
							return fmt.Errorf("unexpected role %+v", r)
						}
						return expectAuths(r.Auths, map[int]int{4: -1, 2: 1})
					}),
					// unmanaged permissions are neither sent nor stored
					resource.TestCheckNoResourceAttr(roleAddr, "permissions.kick_member"),
				),
			},
			{ // one permission changes: the plan and the request carry only it
				PreConfig: func() { before = env.mark("qchat/updateServerIdentify") },
				Config: env.config(roleConfig(`  name = "moderators"
  ext  = "{\"color\":\"green\"}"`, perms+"\n    mention_everyone = \"allow\"")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					permissionDiff(roleAddr, map[string][2]any{"mention_everyone": {nil, "allow"}}),
				}},
				Check: func(s *terraform.State) error {
					sent := env.sentSince(before, "qchat/updateServerIdentify")
					if len(sent) != 1 {
						return fmt.Errorf("want 1 updateServerIdentify, got %d", len(sent))
					}
					if a := sent[0].Get("auths"); a != `{"12":1}` || sent[0].Has("name") || sent[0].Has("ext") {
						return fmt.Errorf("update sent more than the change: %v", sent[0])
					}
					return env.checkServerRole(roleAddr, func(r nimsim.QChatServerRole) error {
						return expectAuths(r.Auths, map[int]int{12: 1, 4: -1, 2: 1})
					})(s)
				},
			},
			{ResourceName: roleAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				Config: env.config(roleConfig(`  name = "moderators"
  ext  = "{\"color\":\"green\"}"`, perms+"\n    mention_everyone = \"allow\"")),
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					sid, _ := stateAttr(s, "nim_qchat_server.guild", "id")
					return sid + "/" + roleID, nil
				}},
			{ // after import the plan is empty
				Config: env.config(roleConfig(`  name = "moderators"
  ext  = "{\"color\":\"green\"}"`, perms+"\n    mention_everyone = \"allow\"")),
				PlanOnly: true,
			},
			{ // unmanaged drift shows nothing; a permission dropped from the block stops being managed
				PreConfig: env.outOfBand(t, "change an unmanaged permission", func(ctx context.Context, c *client.Client) error {
					sid := mustParse(env.mustStateServerID())
					_, err := c.QChat.UpdateServerRole(ctx, &client.UpdateServerRoleRequest{
						ServerID: sid, RoleID: mustParse(roleID), Operator: "boss", Auths: client.Permissions{7: 1},
					})
					return err
				}),
				Config: env.config(roleConfig(`  name = "moderators"
  ext  = "{\"color\":\"green\"}"`, perms)),
				PlanOnly: true,
			},
			{ // managed drift is repaired
				PreConfig: env.outOfBand(t, "flip a managed permission", func(ctx context.Context, c *client.Client) error {
					_, err := c.QChat.UpdateServerRole(ctx, &client.UpdateServerRoleRequest{
						ServerID: mustParse(env.mustStateServerID()), RoleID: mustParse(roleID), Operator: "boss",
						Auths: client.Permissions{4: 1}, Name: ptr("mods"),
					})
					return err
				}),
				Config: env.config(roleConfig(`  name = "moderators"
  ext  = "{\"color\":\"green\"}"`, perms)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(roleAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(roleAddr, tfjsonpath.New("permissions").AtMapKey("send_message"), knownvalue.StringExact("deny")),
					plancheck.ExpectKnownValue(roleAddr, tfjsonpath.New("name"), knownvalue.StringExact("moderators")),
				}},
				Check: env.checkServerRole(roleAddr, func(r nimsim.QChatServerRole) error {
					if r.Name != "moderators" {
						return fmt.Errorf("name not repaired: %q", r.Name)
					}
					return expectAuths(r.Auths, map[int]int{4: -1, 7: 1})
				}),
			},
			{ // the API cannot change the priority: replacement
				Config: env.config(roleConfig(`  name = "moderators"
  ext  = "{\"color\":\"green\"}"
  priority = 7`, perms)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(roleAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.checkServerRole(roleAddr, func(r nimsim.QChatServerRole) error {
						if r.Priority != 7 {
							return fmt.Errorf("priority %d, want 7", r.Priority)
						}
						return expectAuths(r.Auths, map[int]int{4: -1, 2: 1})
					}),
					func(s *terraform.State) error {
						if _, ok := env.serverRole(roleID); ok {
							return fmt.Errorf("replaced role %s still exists", roleID)
						}
						roleID, _ = stateAttr(s, roleAddr, "id")
						return nil
					},
				),
			},
			{ // deleted behind Terraform's back: created again
				PreConfig: func() {
					if !env.sim.Delete("qchat_role", mustParse(roleID)) {
						t.Fatalf("no role %s to delete", roleID)
					}
				},
				Config: env.config(roleConfig(`  name = "moderators"
  ext  = "{\"color\":\"green\"}"
  priority = 7`, perms)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(roleAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// A create that takes two calls and fails at the second keeps the created
// role in state (tainted), so the next apply replaces it: nothing orphaned.
func TestQChatRoleResource_secondCallFails(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	customRoles := func() []nimsim.QChatServerRole {
		var out []nimsim.QChatServerRole
		for _, r := range env.sim.Objects().QChatServerRoles {
			if r.Type == 2 {
				out = append(out, r)
			}
		}
		return out
	}
	config := env.config(roleConfig(`  name = "mods"`, `    send_message = "deny"`))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { env.failOnce("qchat/updateServerIdentify", 403) },
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)QChat role created, but setting its permissions failed.*API code: 403`),
			},
			{
				PreConfig: func() {
					if n := len(customRoles()); n != 1 {
						t.Fatalf("after the failed create the simulator holds %d custom roles, want 1", n)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(roleAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(*terraform.State) error {
					roles := customRoles()
					if len(roles) != 1 {
						return fmt.Errorf("the simulator holds %d custom roles, want exactly 1", len(roles))
					}
					return expectAuths(roles[0].Auths, map[int]int{4: -1})
				},
			},
		},
	})
}

// Bad input fails at plan time (or import), before any API request.
func TestQChatRoleResource_badInput(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"role inherit at server level", `resource "nim_qchat_role" "r" {
  server_id   = "1"
  name        = "r"
  permissions {
    send_message = "inherit"
  }
}`, `Attribute permissions.send_message value must be one of`},
		{"role zero priority", `resource "nim_qchat_role" "r" {
  server_id = "1"
  name      = "r"
  priority  = 0
}`, `Attribute priority value must be at least 1`},
		{"role negative priority", `resource "nim_qchat_role" "r" {
  server_id = "1"
  name      = "r"
  priority  = -3
}`, `Attribute priority value must be at least 1`},
		{"role ext too long", `resource "nim_qchat_role" "r" {
  server_id = "1"
  name      = "r"
  ext       = "` + longString(1025) + `"
}`, `ext must be at most 1024`},
		{"role unknown permission", `resource "nim_qchat_role" "r" {
  server_id   = "1"
  name        = "r"
  permissions {
    launch_rockets = "allow"
  }
}`, `(?s)Unsupported argument.*launch_rockets`},
	}, []badImport{
		{"role id missing part", `resource "nim_qchat_role" "x" {
  server_id = "1"
  name      = "n"
}`, "12", `(?s)Invalid import id.*<server_id>/<role_id>`},
	})
}

// Importing an id that does not exist fails clearly instead of adopting
// nothing.
func TestQChatRoleResource_importMissing(t *testing.T) {
	t.Parallel()
	testImportMissing(t, []importMissing{
		{guild + `
resource "nim_qchat_role" "r" {
  server_id = nim_qchat_server.guild.id
  name      = "r"
}`, "nim_qchat_role.r", ""},
	})
}

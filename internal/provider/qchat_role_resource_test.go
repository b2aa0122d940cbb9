package provider

import (
	"context"
	"fmt"
	"net/url"
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

// lastAuths decodes the auths of the last request sent to an endpoint.
func (e *simEnv) lastAuths(endpoint string) (client.Permissions, error) {
	reqs := e.requests(endpoint)
	if len(reqs) == 0 {
		return nil, fmt.Errorf("no %s request was sent", endpoint)
	}
	return client.ParsePermissions(reqs[len(reqs)-1].Get("auths"))
}

func expectAuths(got client.Permissions, want map[int]int) error {
	for k, v := range want {
		if got[k] != v {
			return fmt.Errorf("auths[%d] = %d, want %d (auths %v)", k, got[k], v, got)
		}
	}
	return nil
}

// countSince counts the requests to an endpoint after a mark.
type requestMark map[string]int

func (e *simEnv) mark(endpoints ...string) requestMark {
	m := requestMark{}
	for _, ep := range endpoints {
		m[ep] = len(e.requests(ep))
	}
	return m
}

func (e *simEnv) sentSince(m requestMark, endpoint string) []url.Values {
	return e.requests(endpoint)[m[endpoint]:]
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
					func(s *terraform.State) error { // unmanaged permissions are read, not invented
						everyone, _ := stateAttr(s, "nim_qchat_server.guild", "everyone_role_id")
						e, _ := env.serverRole(everyone)
						got, _ := stateAttr(s, roleAddr, "permissions.kick_member")
						want := map[int]string{1: "allow", -1: "deny"}[e.Auths[7]]
						if got != want {
							return fmt.Errorf("permissions.kick_member = %q, want @everyone's %q", got, want)
						}
						return nil
					},
				),
			},
			{ // one permission changes: the plan and the request carry only it
				PreConfig: func() { before = env.mark("qchat/updateServerIdentify") },
				Config: env.config(roleConfig(`  name = "moderators"
  ext  = "{\"color\":\"green\"}"`, perms+"\n    mention_everyone = \"allow\"")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					permissionChanges(roleAddr, map[string][2]string{"mention_everyone": {"deny", "allow"}}),
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
			{ResourceName: roleAddr, ImportState: true, ImportStateVerify: true,
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

// mustStateServerID returns the id of the only server in the simulator.
func (e *simEnv) mustStateServerID() string {
	servers := e.sim.Objects().QChatServers
	if len(servers) != 1 {
		panic(fmt.Sprintf("expected exactly one server, found %d", len(servers)))
	}
	return itoa(servers[0].ServerID)
}

const everyoneAddr = "nim_qchat_everyone_role.test"

func TestQChatEveryoneRoleResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	cfg := func(perms string) string {
		return env.config(guild + fmt.Sprintf(`
resource "nim_qchat_everyone_role" "test" {
  server_id = nim_qchat_server.guild.id
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
				Config: cfg(`    send_message = "deny"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(everyoneAddr, tfjsonpath.New("role_id"), "nim_qchat_server.guild", tfjsonpath.New("everyone_role_id"), compareEqual),
				},
				Check: env.checkServerRole(everyoneAddr, func(r nimsim.QChatServerRole) error {
					if r.Type != 1 {
						return fmt.Errorf("adopted role is not @everyone: %+v", r)
					}
					return expectAuths(r.Auths, map[int]int{4: -1})
				}),
			},
			{
				Config: cfg(`    send_message = "allow"
    invite_member = "deny"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					permissionChanges(everyoneAddr, map[string][2]string{"send_message": {"deny", "allow"}, "invite_member": {"allow", "deny"}}),
				}},
				Check: env.checkServerRole(everyoneAddr, func(r nimsim.QChatServerRole) error {
					return expectAuths(r.Auths, map[int]int{4: 1, 6: -1})
				}),
			},
			{ResourceName: everyoneAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg(`    send_message = "allow"
    invite_member = "deny"`), PlanOnly: true},
			{ // destroy forgets the role but leaves it, and its permissions, in place
				Config: env.config(guild),
				Check: func(s *terraform.State) error {
					id, _ := stateAttr(s, "nim_qchat_server.guild", "everyone_role_id")
					r, ok := env.serverRole(id)
					if !ok {
						return fmt.Errorf("@everyone role %s vanished", id)
					}
					return expectAuths(r.Auths, map[int]int{4: 1, 6: -1})
				},
			},
		},
	})
}

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
					statecheck.ExpectKnownValue(channelRoleAddr, tfjsonpath.New("permissions").AtMapKey("mention_everyone"), knownvalue.StringExact("inherit")),
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
			{ResourceName: channelRoleAddr, ImportState: true, ImportStateVerify: true},
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

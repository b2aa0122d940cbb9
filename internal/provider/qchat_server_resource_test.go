package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
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

const serverAddr = "nim_qchat_server.test"

func serverConfig(owner, attrs string) string {
	return fmt.Sprintf("resource \"nim_qchat_server\" \"test\" {\n  owner = %q\n%s\n}\n", owner, attrs)
}

func (e *simEnv) checkServer(check func(s nimsim.QChatServer) error) resource.TestCheckFunc {
	return checkSimObject(serverAddr, "id", "server", e.server, check)
}

func (e *simEnv) checkNoQChatObjects(_ *terraform.State) error {
	o := e.sim.Objects()
	if n := len(o.QChatServers) + len(o.QChatChannels) + len(o.QChatServerRoles) + len(o.QChatChannelRoles); n != 0 {
		return fmt.Errorf("destroy left %d servers, %d channels, %d roles, %d channel roles in the simulator",
			len(o.QChatServers), len(o.QChatChannels), len(o.QChatServerRoles), len(o.QChatChannelRoles))
	}
	return nil
}

func TestQChatServerResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var firstID string
	updated := `
  name                     = "Guild 2"
  icon                     = "https://cdn.example.com/guild.png"
  custom                   = "{\"tier\":\"gold\"}"
  invite_requires_approval = false
  apply_requires_approval  = true
`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{
				Config: env.config(serverConfig("owner1", `  name = "Guild"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(serverAddr, tfjsonpath.New("operator"), knownvalue.StringExact("owner1")),
					statecheck.ExpectKnownValue(serverAddr, tfjsonpath.New("invite_requires_approval"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(serverAddr, tfjsonpath.New("apply_requires_approval"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(serverAddr, tfjsonpath.New("icon"), knownvalue.StringExact("")),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { firstID, _ = stateAttr(s, serverAddr, "id"); return nil },
					env.checkServer(func(s nimsim.QChatServer) error {
						if s.Name != "Guild" || s.Owner != "owner1" || s.InviteMode != 0 || s.ApplyMode != 0 {
							return fmt.Errorf("unexpected server %+v", s)
						}
						return nil
					}),
					func(s *terraform.State) error { // everyone_role_id is the server's type 1 role
						id, _ := stateAttr(s, serverAddr, "everyone_role_id")
						role, ok := env.serverRole(id)
						if !ok || role.Type != 1 || itoa(role.ServerID) != firstID {
							return fmt.Errorf("everyone_role_id %s is not the server's @everyone role: %+v", id, role)
						}
						return nil
					},
				),
			},
			{
				Config: env.config(serverConfig("owner1", updated)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(serverAddr, map[string][2]any{
						"name": {"Guild", "Guild 2"}, "icon": {"", "https://cdn.example.com/guild.png"},
						"custom": {"", `{"tier":"gold"}`}, "invite_requires_approval": {true, false},
						"apply_requires_approval": {false, true},
					}),
				}},
				Check: env.checkServer(func(s nimsim.QChatServer) error {
					if s.Name != "Guild 2" || s.Icon != "https://cdn.example.com/guild.png" || s.Custom != `{"tier":"gold"}` ||
						s.InviteMode != 1 || s.ApplyMode != 1 {
						return fmt.Errorf("update not applied: %+v", s)
					}
					return nil
				}),
			},
			{ResourceName: serverAddr, ImportState: true, ImportStateVerify: true},
			{Config: env.config(serverConfig("owner1", updated)), PlanOnly: true},
			{ // drift
				PreConfig: env.outOfBand(t, "rename server", func(ctx context.Context, c *client.Client) error {
					_, err := c.QChat.UpdateServer(ctx, &client.UpdateServerRequest{
						ServerID: mustParse(firstID), Operator: "owner1", Name: ptr("Hijacked"), ApplyMode: ptr(0),
					})
					return err
				}),
				Config: env.config(serverConfig("owner1", updated)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(serverAddr, map[string][2]any{"name": {"Hijacked", "Guild 2"}, "apply_requires_approval": {false, true}}),
				}},
				Check: env.checkServer(func(s nimsim.QChatServer) error {
					if s.Name != "Guild 2" || s.ApplyMode != 1 {
						return fmt.Errorf("drift not repaired: %+v", s)
					}
					return nil
				}),
			},
			{ // removed behind Terraform's back: created again
				PreConfig: func() {
					if !env.sim.Delete("qchat_server", mustParse(firstID)) {
						t.Fatalf("no server %s to delete", firstID)
					}
				},
				Config: env.config(serverConfig("owner1", updated)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(serverAddr, plancheck.ResourceActionCreate),
				}},
				Check: func(s *terraform.State) error { firstID, _ = stateAttr(s, serverAddr, "id"); return nil },
			},
			{ // a new owner replaces the server
				Config: env.config(serverConfig("owner2", updated)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(serverAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(s *terraform.State) error {
					if _, ok := env.server(firstID); ok {
						return fmt.Errorf("the replaced server %s still exists", firstID)
					}
					return env.checkServer(func(s nimsim.QChatServer) error {
						if s.Owner != "owner2" {
							return fmt.Errorf("new server has owner %q", s.Owner)
						}
						return nil
					})(s)
				},
			},
		},
	})
}

func TestQChatResources_badInput(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	cases := []struct{ name, config, err string }{
		{"server name too long", serverConfig("o", `  name = "`+longString(65)+`"`), `name must be between 1 and 64`},
		{"server empty owner", serverConfig("", `  name = "g"`), `owner must be between 1 and 32`},
		{"server icon too long", serverConfig("o", `  name = "g"
  icon = "`+longString(1025)+`"`), `icon must be at most 1024`},
		{"server custom too long", serverConfig("o", `  name = "g"
  custom = "`+longString(1025)+`"`), `custom must be at most 1024`},
		{"channel bad type", `resource "nim_qchat_channel" "c" {
  server_id = "1"
  name      = "c"
  type      = "voice"
}`, `Attribute type value must be one of`},
		{"channel bad visibility", `resource "nim_qchat_channel" "c" {
  server_id  = "1"
  name       = "c"
  visibility = "secret"
}`, `Attribute visibility value must be one of`},
		{"channel topic too long", `resource "nim_qchat_channel" "c" {
  server_id = "1"
  name      = "c"
  topic     = "` + longString(65) + `"
}`, `topic must be at most 64`},
		{"channel server id not numeric", `resource "nim_qchat_channel" "c" {
  server_id = "guild"
  name      = "c"
}`, `(?s)Invalid id.*server_id must be a positive integer`},
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
		{"everyone role bad value", `resource "nim_qchat_everyone_role" "e" {
  server_id   = "1"
  permissions {
    send_message = "maybe"
  }
}`, `Attribute permissions.send_message value must be one of`},
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
		{"server member nick too long", `resource "nim_qchat_server_member" "m" {
  server_id = "1"
  accid     = "alice"
  nick      = "` + longString(65) + `"
}`, `nick must be at most 64`},
		{"server member empty accid", `resource "nim_qchat_server_member" "m" {
  server_id = "1"
  accid     = ""
}`, `accid must be between 1 and 32`},
		{"server member avatar too long", `resource "nim_qchat_server_member" "m" {
  server_id = "1"
  accid     = "alice"
  avatar    = "` + longString(1025) + `"
}`, `avatar must be at most 1024`},
		{"role member accid too long", `resource "nim_qchat_role_member" "m" {
  server_id = "1"
  role_id   = "2"
  accid     = "` + longString(33) + `"
}`, `accid must be between 1 and 32`},
		{"role member role id not numeric", `resource "nim_qchat_role_member" "m" {
  server_id = "1"
  role_id   = "mods"
  accid     = "alice"
}`, `(?s)Invalid id.*role_id must be a positive integer`},
		{"member permissions server-only permission", `resource "nim_qchat_channel_member_permissions" "p" {
  server_id  = "1"
  channel_id = "2"
  accid      = "alice"
  permissions {
    kick_member = "deny"
  }
}`, `(?s)Unsupported argument.*kick_member`},
		{"member permissions bad value", `resource "nim_qchat_channel_member_permissions" "p" {
  server_id  = "1"
  channel_id = "2"
  accid      = "alice"
  permissions {
    send_message = "never"
  }
}`, `Attribute permissions.send_message value must be one of`},
		{"access list bad kind", `resource "nim_qchat_channel_access_list" "l" {
  server_id  = "1"
  channel_id = "2"
  kind       = "greylist"
}`, `Attribute kind value must be one of`},
		{"access list role id not numeric", `resource "nim_qchat_channel_access_list" "l" {
  server_id  = "1"
  channel_id = "2"
  kind       = "allowlist"
  role_ids   = ["mods"]
}`, `(?s)Invalid id.*role_ids.*must be a positive integer`},
		{"access list accid too long", `resource "nim_qchat_channel_access_list" "l" {
  server_id  = "1"
  channel_id = "2"
  kind       = "blocklist"
  accids     = ["` + longString(33) + `"]
}`, `(?s)accids.*must be between 1 and 32`},
		{"access list too many roles", `resource "nim_qchat_channel_access_list" "l" {
  server_id  = "1"
  channel_id = "2"
  kind       = "allowlist"
  role_ids   = [` + strings.TrimSuffix(numbers(21), ",") + `]
}`, `Attribute role_ids set must contain at most 20 elements`},
		{"chatroom member bad role", `resource "nim_chatroom_member" "m" {
  room_id = "1"
  accid   = "alice"
  role    = "owner"
}`, `Attribute role value must be one of`},
		{"chatroom member manager on the blacklist", `resource "nim_chatroom_member" "m" {
  room_id = "1"
  accid   = "alice"
  role    = "manager"
  blocked = true
}`, `(?s)Conflicting chatroom member settings.*manager cannot be on the room's blacklist`},
		{"chatroom member room id not numeric", `resource "nim_chatroom_member" "m" {
  room_id = "lobby"
  accid   = "alice"
}`, `(?s)Invalid id.*room_id must be a positive integer`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      env.config(tc.config),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.err),
				}},
			})
		})
	}
	imports := []struct{ name, resource, id, err string }{
		{"server id not numeric", `resource "nim_qchat_server" "x" {
  owner = "o"
  name  = "n"
}`, "guild", `(?s)Invalid import id.*server_id must be a positive integer`},
		{"role id missing part", `resource "nim_qchat_role" "x" {
  server_id = "1"
  name      = "n"
}`, "12", `(?s)Invalid import id.*<server_id>/<role_id>`},
		{"channel role id with two parts", `resource "nim_qchat_channel_role" "x" {
  server_id      = "1"
  channel_id     = "2"
  server_role_id = "3"
}`, "1/2", `(?s)Invalid import id.*<server_id>/<channel_id>/<role_id>`},
		{"everyone role id not numeric", `resource "nim_qchat_everyone_role" "x" {
  server_id = "1"
}`, "1/x", `(?s)Invalid import id`},
		{"server member without accid", `resource "nim_qchat_server_member" "x" {
  server_id = "1"
  accid     = "a"
}`, "12", `(?s)Invalid import id.*<server_id>/<accid>`},
		{"role member with a bad role id", `resource "nim_qchat_role_member" "x" {
  server_id = "1"
  role_id   = "2"
  accid     = "a"
}`, "1/mods/alice", `(?s)Invalid import id.*role_id must be a positive integer`},
		{"access list with a bad kind", `resource "nim_qchat_channel_access_list" "x" {
  server_id  = "1"
  channel_id = "2"
  kind       = "allowlist"
}`, "1/2/greylist", `(?s)Invalid import id.*kind must be\s+allowlist or blocklist`},
		{"chatroom member with a bad room id", `resource "nim_chatroom_member" "x" {
  room_id = "1"
  accid   = "a"
}`, "lobby/alice", `(?s)Invalid import id.*room_id must be a positive integer`},
		{"member permissions with an empty accid", `resource "nim_qchat_channel_member_permissions" "x" {
  server_id  = "1"
  channel_id = "2"
  accid      = "a"
}`, "1/2/", `(?s)Invalid import id.*accid must be 1 to 32 characters`},
		{"channel id zero", `resource "nim_qchat_channel" "x" {
  server_id = "1"
  name      = "n"
}`, "0", `(?s)Invalid import id.*channel_id must be a positive integer`},
	}
	for _, tc := range imports {
		t.Run("import "+tc.name, func(t *testing.T) {
			addr := regexp.MustCompile(`resource "(\w+)" "(\w+)"`).FindStringSubmatch(tc.resource)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:        env.config(tc.resource),
					ResourceName:  addr[1] + "." + addr[2],
					ImportState:   true,
					ImportStateId: tc.id,
					ExpectError:   regexp.MustCompile(tc.err),
				}},
			})
		})
	}
	env.expectNoAPICalls(t)
}

// numbers renders "1","2",...,"n", for list attributes in configurations.
func numbers(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%q,", fmt.Sprint(i))
	}
	return b.String()
}

// Importing an id that does not exist fails clearly instead of adopting
// nothing.
func TestQChatImportMissing(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	cases := []struct{ resource, addr, id string }{
		{serverConfig("o", `  name = "n"`), serverAddr, "4999999999"},
		{guild + `
resource "nim_qchat_role" "r" {
  server_id = nim_qchat_server.guild.id
  name      = "r"
}`, "nim_qchat_role.r", ""},
	}
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{
					{Config: env.config(guild)},
					{
						Config:       env.config(tc.resource),
						ResourceName: tc.addr,
						ImportState:  true,
						ImportStateIdFunc: func(s *terraform.State) (string, error) {
							if tc.id != "" {
								return tc.id, nil
							}
							sid, err := stateAttr(s, "nim_qchat_server.guild", "id")
							return sid + "/6999999999", err
						},
						ExpectError: regexp.MustCompile(`Cannot import non-existent remote object`),
					},
				},
			})
		})
	}
}

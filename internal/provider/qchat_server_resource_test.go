package provider

import (
	"context"
	"fmt"
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

// Bad input fails at plan time (or import), before any API request.
func TestQChatServerResource_badInput(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"server name too long", serverConfig("o", `  name = "`+longString(65)+`"`), `name must be between 1 and 64`},
		{"server empty owner", serverConfig("", `  name = "g"`), `owner must be between 1 and 32`},
		{"server icon too long", serverConfig("o", `  name = "g"
  icon = "`+longString(1025)+`"`), `icon must be at most 1024`},
		{"server custom too long", serverConfig("o", `  name = "g"
  custom = "`+longString(1025)+`"`), `custom must be at most 1024`},
	}, []badImport{
		{"server id not numeric", `resource "nim_qchat_server" "x" {
  owner = "o"
  name  = "n"
}`, "guild", `(?s)Invalid import id.*server_id must be a positive integer`},
	})
}

// Importing an id that does not exist fails clearly instead of adopting
// nothing.
func TestQChatServerResource_importMissing(t *testing.T) {
	t.Parallel()
	testImportMissing(t, []importMissing{
		{serverConfig("o", `  name = "n"`), serverAddr, "4999999999"},
	})
}

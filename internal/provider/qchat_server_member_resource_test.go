package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

const memberAddr = "nim_qchat_server_member.alice"

func TestQChatServerMemberResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var before requestMark
	cfg := func(attrs string) string {
		return env.config(guild + fmt.Sprintf(`
resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
%s
}
`, attrs))
	}
	serverID := func(s *terraform.State) string { id, _ := stateAttr(s, "nim_qchat_server.guild", "id"); return id }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{ // the server wants invitations accepted: the provider accepts for alice
				Config: cfg(`  nick = "Al"
  custom = "{\"team\":\"red\"}"`),
				Check: func(s *terraform.State) error {
					m, ok := env.serverMember(serverID(s), "alice")
					if !ok || m.Nick != "Al" || m.Custom != `{"team":"red"}` {
						return fmt.Errorf("alice is not a member with her profile: %+v (member=%v)", m, ok)
					}
					if n := len(env.sim.Objects().QChatInvites); n != 0 {
						return fmt.Errorf("%d invitations left pending", n)
					}
					if len(env.requests("qchat/acceptServerInvite")) != 1 {
						return fmt.Errorf("the invitation was not accepted exactly once")
					}
					return nil
				},
			},
			{ // nick and avatar go through updateOtherServerMember, custom through updateServerMember
				PreConfig: func() { before = env.mark("qchat/updateOtherServerMember", "qchat/updateServerMember") },
				Config: cfg(`  nick   = "Alice"
  avatar = "https://cdn.example.com/alice.png"
  custom = "{\"team\":\"blue\"}"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(memberAddr, map[string][2]any{
						"nick": {"Al", "Alice"}, "avatar": {"", "https://cdn.example.com/alice.png"},
						"custom": {`{"team":"red"}`, `{"team":"blue"}`},
					}),
				}},
				Check: func(s *terraform.State) error {
					other, self := env.sentSince(before, "qchat/updateOtherServerMember"), env.sentSince(before, "qchat/updateServerMember")
					if len(other) != 1 || other[0].Get("otherAccid") != "alice" || other[0].Get("accid") != "boss" || other[0].Has("custom") {
						return fmt.Errorf("updateOtherServerMember calls: %v", other)
					}
					if len(self) != 1 || self[0].Get("accid") != "alice" || self[0].Get("custom") != `{"team":"blue"}` || self[0].Has("nick") {
						return fmt.Errorf("updateServerMember calls: %v", self)
					}
					m, _ := env.serverMember(serverID(s), "alice")
					if m.Nick != "Alice" || m.Avatar != "https://cdn.example.com/alice.png" || m.Custom != `{"team":"blue"}` {
						return fmt.Errorf("profile not updated: %+v", m)
					}
					return nil
				},
			},
			{ResourceName: memberAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg(`  nick   = "Alice"
  avatar = "https://cdn.example.com/alice.png"
  custom = "{\"team\":\"blue\"}"`), PlanOnly: true},
			{ // drift in the profile
				PreConfig: env.outOfBand(t, "rename alice", func(ctx context.Context, c *client.Client) error {
					_, err := c.QChat.UpdateServerMember(ctx, &client.UpdateServerMemberRequest{
						ServerID: mustParse(env.mustStateServerID()), Accid: "alice", Nick: ptr("ally"),
					})
					return err
				}),
				Config: cfg(`  nick   = "Alice"
  avatar = "https://cdn.example.com/alice.png"
  custom = "{\"team\":\"blue\"}"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(memberAddr, map[string][2]any{"nick": {"ally", "Alice"}}),
				}},
			},
			{ // kicked behind Terraform's back: invited again
				PreConfig: env.outOfBand(t, "kick alice", func(ctx context.Context, c *client.Client) error {
					return c.QChat.KickServerMember(ctx, mustParse(env.mustStateServerID()), "boss", []string{"alice"})
				}),
				Config: cfg(`  nick   = "Alice"
  avatar = "https://cdn.example.com/alice.png"
  custom = "{\"team\":\"blue\"}"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionCreate),
				}},
				Check: func(s *terraform.State) error {
					if m, ok := env.serverMember(serverID(s), "alice"); !ok || m.Nick != "Alice" {
						return fmt.Errorf("alice was not added back: %+v", m)
					}
					return nil
				},
			},
			{ // destroy kicks
				Config: env.config(guild),
				Check: func(s *terraform.State) error {
					if _, ok := env.serverMember(serverID(s), "alice"); ok {
						return fmt.Errorf("alice is still a member after destroy")
					}
					return nil
				},
			},
		},
	})
}

// Bad input fails at plan time (or import), before any API request.
func TestQChatServerMemberResource_badInput(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
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
	}, []badImport{
		{"server member without accid", `resource "nim_qchat_server_member" "x" {
  server_id = "1"
  accid     = "a"
}`, "12", `(?s)Invalid import id.*<server_id>/<accid>`},
	})
}

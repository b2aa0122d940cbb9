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

const overrideAddr = "nim_qchat_channel_member_permissions.test"

func TestQChatChannelMemberPermissionsResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var before requestMark
	cfg := func(perms string) string {
		return env.config(guild + fmt.Sprintf(`
resource "nim_qchat_channel" "news" {
  server_id = nim_qchat_server.guild.id
  name      = "news"
}

resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
}

resource "nim_qchat_channel_member_permissions" "test" {
  server_id  = nim_qchat_server.guild.id
  channel_id = nim_qchat_channel.news.id
  accid      = nim_qchat_server_member.alice.accid
  permissions {
%s
  }
}
`, perms))
	}
	override := func() (nimsim.QChatUserOverride, error) {
		o := env.sim.Objects().QChatUserOverrides
		if len(o) != 1 || o[0].Accid != "alice" {
			return nimsim.QChatUserOverride{}, fmt.Errorf("want one override for alice, got %+v", o)
		}
		return o[0], nil
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{
				Config: cfg(`    send_message   = "deny"
    mention_member = "allow"`),
				Check: func(*terraform.State) error {
					o, err := override()
					if err != nil {
						return err
					}
					return expectAuths(o.Auths, map[int]int{4: -1, 11: 1, 12: 0})
				},
			},
			{
				PreConfig: func() { before = env.mark("qchat/updateUserIdentify") },
				Config: cfg(`    send_message   = "allow"
    mention_member = "allow"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					permissionChanges(overrideAddr, map[string][2]string{"send_message": {"deny", "allow"}}),
				}},
				Check: func(*terraform.State) error {
					sent := env.sentSince(before, "qchat/updateUserIdentify")
					if len(sent) != 1 || sent[0].Get("auths") != `{"4":1}` {
						return fmt.Errorf("want one update with auths {\"4\":1}, got %v", sent)
					}
					o, err := override()
					if err != nil {
						return err
					}
					return expectAuths(o.Auths, map[int]int{4: 1, 11: 1})
				},
			},
			{ResourceName: overrideAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				Config: cfg(`    send_message   = "allow"
    mention_member = "allow"`)},
			{Config: cfg(`    send_message   = "allow"
    mention_member = "allow"`), PlanOnly: true},
			{ // managed drift
				PreConfig: env.outOfBand(t, "deny alice @member", func(ctx context.Context, c *client.Client) error {
					ch := env.sim.Objects().QChatChannels[0]
					_, err := c.QChat.UpdateMemberOverride(ctx, &client.UpdateMemberOverrideRequest{
						ServerID: ch.ServerID, ChannelID: ch.ChannelID, Operator: "boss", Accid: "alice", Auths: client.Permissions{11: -1},
					})
					return err
				}),
				Config: cfg(`    send_message   = "allow"
    mention_member = "allow"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					permissionChanges(overrideAddr, map[string][2]string{"mention_member": {"deny", "allow"}}),
				}},
			},
			{ // deleted behind Terraform's back: created again
				PreConfig: env.outOfBand(t, "delete the override", func(ctx context.Context, c *client.Client) error {
					ch := env.sim.Objects().QChatChannels[0]
					return c.QChat.DeleteMemberOverride(ctx, ch.ServerID, ch.ChannelID, "boss", "alice")
				}),
				Config: cfg(`    send_message   = "allow"
    mention_member = "allow"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(overrideAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// Bad input fails at plan time (or import), before any API request.
func TestQChatChannelMemberPermissionsResource_badInput(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
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
	}, []badImport{
		{"member permissions with an empty accid", `resource "nim_qchat_channel_member_permissions" "x" {
  server_id  = "1"
  channel_id = "2"
  accid      = "a"
}`, "1/2/", `(?s)Invalid import id.*accid must be 1 to 32 characters`},
	})
}

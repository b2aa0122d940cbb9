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

const channelAddr = "nim_qchat_channel.test"

// guild is a server every QChat test below builds on.
const guild = `
resource "nim_qchat_server" "guild" {
  owner = "boss"
  name  = "Guild"
}
`

func channelConfig(attrs string) string {
	return guild + fmt.Sprintf(`
resource "nim_qchat_channel" "test" {
  server_id = nim_qchat_server.guild.id
%s
}
`, attrs)
}

func (e *simEnv) checkChannel(check func(c nimsim.QChatChannel) error) resource.TestCheckFunc {
	return checkSimObject(channelAddr, "id", "channel", e.channel, check)
}

func TestQChatChannelResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var channelID string
	updated := `
  name       = "general-2"
  topic      = "Anything goes"
  custom     = "{\"slow\":5}"
  visibility = "private"
`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{
				Config: env.config(channelConfig(`  name = "general"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("owner"), knownvalue.StringExact("boss")),
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("operator"), knownvalue.StringExact("boss")),
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("type"), knownvalue.StringExact("message")),
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("visibility"), knownvalue.StringExact("public")),
					statecheck.CompareValuePairs(channelAddr, tfjsonpath.New("server_id"), "nim_qchat_server.guild", tfjsonpath.New("id"), compareEqual),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { channelID, _ = stateAttr(s, channelAddr, "id"); return nil },
					env.checkChannel(func(c nimsim.QChatChannel) error {
						if c.Name != "general" || c.Owner != "boss" || c.Type != 0 || c.ViewMode != 0 {
							return fmt.Errorf("unexpected channel %+v", c)
						}
						return nil
					}),
				),
			},
			{
				Config: env.config(channelConfig(updated)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(channelAddr, map[string][2]any{
						"name": {"general", "general-2"}, "topic": {"", "Anything goes"},
						"custom": {"", `{"slow":5}`}, "visibility": {"public", "private"},
					}),
				}},
				Check: env.checkChannel(func(c nimsim.QChatChannel) error {
					if c.Name != "general-2" || c.Topic != "Anything goes" || c.Custom != `{"slow":5}` || c.ViewMode != 1 {
						return fmt.Errorf("update not applied: %+v", c)
					}
					return nil
				}),
			},
			{ResourceName: channelAddr, ImportState: true, ImportStateVerify: true},
			{Config: env.config(channelConfig(updated)), PlanOnly: true},
			{
				PreConfig: env.outOfBand(t, "change topic", func(ctx context.Context, c *client.Client) error {
					_, err := c.QChat.UpdateChannel(ctx, &client.UpdateChannelRequest{
						ChannelID: mustParse(channelID), Operator: "boss", Topic: ptr("spam"),
					})
					return err
				}),
				Config: env.config(channelConfig(updated)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(channelAddr, map[string][2]any{"topic": {"spam", "Anything goes"}}),
				}},
			},
			{ // the type cannot change in place
				Config: env.config(channelConfig(updated + `  type = "custom"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(channelAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.checkChannel(func(c nimsim.QChatChannel) error {
						if c.Type != 100 {
							return fmt.Errorf("want a custom channel (type 100), got %+v", c)
						}
						return nil
					}),
					func(s *terraform.State) error {
						if _, ok := env.channel(channelID); ok {
							return fmt.Errorf("replaced channel %s still exists", channelID)
						}
						channelID, _ = stateAttr(s, channelAddr, "id")
						return nil
					},
				),
			},
			{
				PreConfig: func() {
					if !env.sim.Delete("qchat_channel", mustParse(channelID)) {
						t.Fatalf("no channel %s to delete", channelID)
					}
				},
				Config: env.config(channelConfig(updated + `  type = "custom"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(channelAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// Bad input fails at plan time (or import), before any API request.
func TestQChatChannelResource_badInput(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
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
	}, []badImport{
		{"channel id zero", `resource "nim_qchat_channel" "x" {
  server_id = "1"
  name      = "n"
}`, "0", `(?s)Invalid import id.*channel_id must be a positive integer`},
	})
}

package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

func TestEasemobAccessDataSources(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t, "ann", "bob")
	env.change(t, "setting up", func(ctx context.Context, c *easemob.Client) error {
		if _, err := c.Members.Add(ctx, room, "cyd"); err != nil {
			return err
		}
		if _, err := c.Admins.Add(ctx, room, "ann"); err != nil {
			return err
		}
		if _, err := c.SuperAdmins.Add(ctx, "ops01"); err != nil {
			return err
		}
		_, err := c.SuperAdmins.Add(ctx, "ops02")
		return err
	})
	strings := func(us ...string) knownvalue.Check {
		var cs []knownvalue.Check
		for _, u := range us {
			cs = append(cs, knownvalue.StringExact(u))
		}
		return knownvalue.SetExact(cs)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: env.config(fmt.Sprintf(`
data "nim_easemob_chatroom_members" "lobby" {
  room_id = %q
}

data "nim_easemob_super_admins" "all" {}
`, room)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.nim_easemob_chatroom_members.lobby", tfjsonpath.New("owner"), knownvalue.StringExact("owner")),
					statecheck.ExpectKnownValue("data.nim_easemob_chatroom_members.lobby", tfjsonpath.New("usernames"), strings("ann", "bob", "cyd")),
					statecheck.ExpectKnownValue("data.nim_easemob_super_admins.all", tfjsonpath.New("usernames"), strings("ops01", "ops02")),
				},
			},
			{
				Config: env.config(`
data "nim_easemob_chatroom_members" "gone" {
  room_id = "399999999999999"
}
`),
				ExpectError: errorText("Chatroom not found", "no Easemob chatroom with id 399999999999999"),
			},
		},
	})
}

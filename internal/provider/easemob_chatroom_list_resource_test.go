package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// makeEasemobRooms makes rooms outside Terraform: two owned by host, one
// by other. It returns their ids in that order.
func makeEasemobRooms(t *testing.T, c *easemob.Client) []string {
	t.Helper()
	var ids []string
	for _, r := range []struct{ name, owner string }{{"hall", "host"}, {"stage", "host"}, {"elsewhere", "other"}} {
		res, err := c.Chatrooms.Create(context.Background(), &easemob.CreateRequest{Name: r.name, Description: "the " + r.name, Owner: r.owner})
		if err != nil {
			t.Fatalf("creating room %s: %v", r.name, err)
		}
		ids = append(ids, res.ID)
	}
	return ids
}

// TestEasemobChatroomListResource: every room of the app is found, or
// those of one owner, with the room's details when asked.
func TestEasemobChatroomListResource(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	ids := makeEasemobRooms(t, env.client)
	checks := []querycheck.QueryResultCheck{
		querycheck.ExpectLength("nim_easemob_chatroom.all", 3),
		querycheck.ExpectLength("nim_easemob_chatroom.host", 2),
		querycheck.ExpectIdentity("nim_easemob_chatroom.host", identity("room_id", ids[1])),
	}
	checks = append(checks, expectFound("nim_easemob_chatroom.host", identity("room_id", ids[0]), "hall ("+ids[0]+")",
		map[string]knownvalue.Check{
			"id":          knownvalue.StringExact(ids[0]),
			"name":        knownvalue.StringExact("hall"),
			"description": knownvalue.StringExact("the hall"),
			"owner":       knownvalue.StringExact("host"),
			"max_users":   knownvalue.NotNull(),
		})...)
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   skipQueryBelow114,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: env.config("")},
			{
				Query: true,
				Config: listConfig("nim_easemob_chatroom", "all", "", "") +
					listConfig("nim_easemob_chatroom", "host", "", `owner = "host"`),
				QueryResultChecks: checks,
			},
		},
	})
}

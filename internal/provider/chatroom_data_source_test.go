package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

func TestChatroomDataSource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	ctx := context.Background()

	// Both rooms are made outside Terraform: one with every field set, then
	// muted and closed; one with nothing but the required fields.
	full, err := env.client.Chatrooms.Create(ctx, &client.CreateChatroomRequest{
		Creator: "host1", Name: "Main hall", Announcement: ptr("Welcome"),
		BroadcastURL: ptr("https://live.example.com/a.flv"), Ext: ptr(`{"k":1}`), QueueLevel: intPtr(1),
		DelayClosePolicy: intPtr(client.DelayCloseIdle), DelaySeconds: ptr(int64(600)), InOutNotification: ptr(false),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.client.Chatrooms.SetMuted(ctx, full.ID, "host1", true); err != nil {
		t.Fatal(err)
	}
	if err := env.client.Chatrooms.SetOpen(ctx, full.ID, "host1", false); err != nil {
		t.Fatal(err)
	}
	bare, err := env.client.Chatrooms.Create(ctx, &client.CreateChatroomRequest{Creator: "host2", Name: "Side room"})
	if err != nil {
		t.Fatal(err)
	}

	config := env.config(fmt.Sprintf(`
data "nim_chatroom" "full" {
  id = "%d"
}

data "nim_chatroom" "bare" {
  id = "%d"
}
`, full.ID, bare.ID))
	expect := func(addr string, want map[string]knownvalue.Check) []statecheck.StateCheck {
		var out []statecheck.StateCheck
		for attr, check := range want {
			out = append(out, statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), check))
		}
		return out
	}
	checks := append(expect("data.nim_chatroom.full", map[string]knownvalue.Check{
		"id":                  knownvalue.StringExact(itoa(full.ID)),
		"creator":             knownvalue.StringExact("host1"),
		"name":                knownvalue.StringExact("Main hall"),
		"announcement":        knownvalue.StringExact("Welcome"),
		"broadcast_url":       knownvalue.StringExact("https://live.example.com/a.flv"),
		"ext":                 knownvalue.StringExact(`{"k":1}`),
		"queue_level":         knownvalue.StringExact("managers"),
		"muted":               knownvalue.Bool(true),
		"open":                knownvalue.Bool(false),
		"in_out_notification": knownvalue.Bool(false),
		"delay_close": knownvalue.ObjectExact(map[string]knownvalue.Check{
			"policy":  knownvalue.StringExact("idle"),
			"seconds": knownvalue.Int64Exact(600),
		}),
	}), expect("data.nim_chatroom.bare", map[string]knownvalue.Check{
		"id":                  knownvalue.StringExact(itoa(bare.ID)),
		"creator":             knownvalue.StringExact("host2"),
		"name":                knownvalue.StringExact("Side room"),
		"announcement":        knownvalue.StringExact(""),
		"broadcast_url":       knownvalue.StringExact(""),
		"ext":                 knownvalue.StringExact(""),
		"queue_level":         knownvalue.StringExact("anyone"),
		"muted":               knownvalue.Bool(false),
		"open":                knownvalue.Bool(true),
		"in_out_notification": knownvalue.Bool(true),
		"delay_close":         knownvalue.Null(),
	})...)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: checks},
			{ // changed behind Terraform's back: the next read shows it
				PreConfig: env.outOfBand(t, "reopen and rename the room", func(ctx context.Context, c *client.Client) error {
					if err := c.Chatrooms.SetOpen(ctx, full.ID, "host1", true); err != nil {
						return err
					}
					return c.Chatrooms.Update(ctx, &client.UpdateChatroomRequest{ID: full.ID, Name: ptr("Great hall")})
				}),
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.nim_chatroom.full", tfjsonpath.New("open"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.nim_chatroom.full", tfjsonpath.New("name"), knownvalue.StringExact("Great hall")),
				},
			},
			{
				Config: env.config(`
data "nim_chatroom" "missing" {
  id = "3999999999"
}
`),
				ExpectError: errorText("Chatroom not found", `id = "3999999999"`,
					"There is no chatroom with id 3999999999 in this application.", "API code: 404"),
			},
		},
	})
}

// Malformed ids and names fail at plan time, before any API request.
func TestChatroomDataSource_invalidConfig(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"chatroom id not a number", `data "nim_chatroom" "x" { id = "lobby" }`,
			`(?s)Invalid id.*data\.nim_chatroom\.x.*id must be a positive integer, got "lobby"`},
		{"chatroom id zero", `data "nim_chatroom" "x" { id = "0" }`,
			`(?s)Invalid id.*id must be a positive integer, got "0"`},
	}, nil)
}

package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// expectPaged checks that a listing followed its pagination past the first
// page: some request to endpoint carried a non-zero anchor.
func (e *simEnv) expectPaged(endpoint, anchor string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, f := range e.requests(endpoint) {
			if v := f.Get(anchor); v != "" && v != "0" {
				return nil
			}
		}
		return fmt.Errorf("no %s request asked for a page after the first (%s always 0)", endpoint, anchor)
	}
}

func TestQChatChannelsDataSource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	ctx := context.Background()

	guild, err := env.client.QChat.CreateServer(ctx, &client.CreateServerRequest{Owner: "boss", Name: ptr("Guild")})
	if err != nil {
		t.Fatal(err)
	}
	empty, err := env.client.QChat.CreateServer(ctx, &client.CreateServerRequest{Owner: "boss", Name: ptr("Empty")})
	if err != nil {
		t.Fatal(err)
	}

	// More channels than one page holds (200), with every type and
	// visibility; one is removed again and must not be listed.
	const n, removed = 206, 100
	var want []knownvalue.Check
	for i := 0; i < n; i++ {
		req := &client.CreateChannelRequest{ServerID: guild.ID, Operator: "boss", Name: ptr(fmt.Sprintf("ch-%03d", i))}
		topic, custom, typ, vis := "", "", "message", "public"
		if i%3 == 0 {
			topic = fmt.Sprintf("topic %d", i)
			req.Topic = &topic
		}
		if i%5 == 0 {
			custom = fmt.Sprintf(`{"n":%d}`, i)
			req.Custom = &custom
		}
		if i%10 == 9 {
			typ, req.Type = "custom", client.ChannelTypeCustom
		}
		if i%7 == 3 {
			vis, req.ViewMode = "private", intPtr(client.ViewModePrivate)
		}
		ch, err := env.client.QChat.CreateChannel(ctx, req)
		if err != nil {
			t.Fatalf("channel %d: %v", i, err)
		}
		if i == removed {
			if err := env.client.QChat.RemoveChannel(ctx, ch.ID, "boss"); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want = append(want, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":         knownvalue.StringExact(itoa(ch.ID)),
			"name":       knownvalue.StringExact(fmt.Sprintf("ch-%03d", i)),
			"topic":      knownvalue.StringExact(topic),
			"custom":     knownvalue.StringExact(custom),
			"type":       knownvalue.StringExact(typ),
			"visibility": knownvalue.StringExact(vis),
			"owner":      knownvalue.StringExact("boss"),
		}))
	}

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: env.config(fmt.Sprintf(`
data "nim_qchat_channels" "guild" {
  server_id = "%d"
}

data "nim_qchat_channels" "empty" {
  server_id = "%d"
}
`, guild.ID, empty.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					// The API answers newest first; the list is by id, i.e. creation order.
					statecheck.ExpectKnownValue("data.nim_qchat_channels.guild", tfjsonpath.New("channels"), knownvalue.ListExact(want)),
					statecheck.ExpectKnownValue("data.nim_qchat_channels.empty", tfjsonpath.New("channels"), knownvalue.ListSizeExact(0)),
				},
				Check: env.expectPaged("qchat/getChannelListPage", "timetag"),
			},
			{
				Config: env.config(`
data "nim_qchat_channels" "missing" {
  server_id = "4999999999"
}
`),
				ExpectError: errorText("QChat server not found", `server_id = "4999999999"`,
					"There is no QChat server with id 4999999999"),
			},
		},
	})
}

// Malformed ids and names fail at plan time, before any API request.
func TestQChatChannelsDataSource_invalidConfig(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"channels server id", `data "nim_qchat_channels" "x" { server_id = "12ab" }`,
			`(?s)Invalid id.*data\.nim_qchat_channels\.x.*server_id must be a positive integer, got "12ab"`},
	}, nil)
}

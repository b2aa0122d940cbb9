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

// everyoneRoleOf returns a server's @everyone role as the simulator holds it.
func (e *simEnv) everyoneRoleOf(t *testing.T, serverID int64) nimsim.QChatServerRole {
	t.Helper()
	for _, r := range e.sim.Objects().QChatServerRoles {
		if r.ServerID == serverID && r.Type == 1 {
			return r
		}
	}
	t.Fatalf("server %d has no @everyone role in the simulator", serverID)
	return nimsim.QChatServerRole{}
}

func TestQChatServerDataSource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	ctx := context.Background()

	open, err := env.client.QChat.CreateServer(ctx, &client.CreateServerRequest{
		Owner: "boss", Name: ptr("Guild"), Icon: ptr("https://img.example.com/g.png"), Custom: ptr(`{"tier":2}`),
		InviteMode: intPtr(1), ApplyMode: intPtr(1),
	})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := env.client.QChat.CreateServer(ctx, &client.CreateServerRequest{Owner: "chief", Name: ptr("Plain")})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := env.client.QChat.CreateServer(ctx, &client.CreateServerRequest{Owner: "boss", Name: ptr("Gone")})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.client.QChat.RemoveServer(ctx, gone.ID, "boss"); err != nil {
		t.Fatal(err)
	}
	openEveryone := env.everyoneRoleOf(t, open.ID).RoleID
	plainEveryone := env.everyoneRoleOf(t, plain.ID).RoleID

	server := func(addr string, want map[string]string, invite, apply bool) []statecheck.StateCheck {
		out := []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("invite_requires_approval"), knownvalue.Bool(invite)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("apply_requires_approval"), knownvalue.Bool(apply)),
		}
		for attr, v := range want {
			out = append(out, statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), knownvalue.StringExact(v)))
		}
		return out
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: env.config(fmt.Sprintf(`
data "nim_qchat_server" "open" {
  id = "%d"
}

data "nim_qchat_server" "plain" {
  id = "%d"
}
`, open.ID, plain.ID)),
				ConfigStateChecks: append(
					server("data.nim_qchat_server.open", map[string]string{
						"id": itoa(open.ID), "owner": "boss", "name": "Guild", "icon": "https://img.example.com/g.png",
						"custom": `{"tier":2}`, "everyone_role_id": itoa(openEveryone),
					}, false, true),
					server("data.nim_qchat_server.plain", map[string]string{
						"id": itoa(plain.ID), "owner": "chief", "name": "Plain", "icon": "", "custom": "",
						"everyone_role_id": itoa(plainEveryone),
					}, true, false)...),
			},
			{
				Config: env.config(`
data "nim_qchat_server" "missing" {
  id = "4999999999"
}
`),
				ExpectError: errorText("QChat server not found", `id = "4999999999"`,
					"There is no QChat server with id 4999999999 in this application, or it was removed."),
			},
			{
				Config: env.config(fmt.Sprintf(`
data "nim_qchat_server" "gone" {
  id = "%d"
}
`, gone.ID)),
				ExpectError: errorText("QChat server not found", fmt.Sprintf("There is no QChat server with id %d", gone.ID)),
			},
		},
	})
}

// Malformed ids and names fail at plan time, before any API request.
func TestQChatServerDataSource_invalidConfig(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"server id negative", `data "nim_qchat_server" "x" { id = "-5" }`,
			`(?s)Invalid id.*data\.nim_qchat_server\.x.*id must be a positive integer, got "-5"`},
	}, nil)
}

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

// newQChatGuild creates, outside Terraform, a server owned by boss that
// alice has joined (no approval needed), and returns it.
func (e *simEnv) newQChatGuild(t *testing.T) *client.Server {
	t.Helper()
	ctx := context.Background()
	srv, err := e.client.QChat.CreateServer(ctx, &client.CreateServerRequest{Owner: "boss", Name: ptr("Guild"), InviteMode: intPtr(1)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.QChat.InviteServerMember(ctx, &client.InviteServerMemberRequest{
		ServerID: srv.ID, Operator: "boss", Accids: []string{"alice"},
	}); err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestQChatRolesDataSource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{MaxRoles: 250})
	ctx := context.Background()
	guild := env.newQChatGuild(t)
	everyone := env.everyoneRoleOf(t, guild.ID)
	if _, err := env.client.QChat.UpdateServerRole(ctx, &client.UpdateServerRoleRequest{
		ServerID: guild.ID, RoleID: everyone.RoleID, Operator: "boss", Auths: client.Permissions{4: -1, 12: 1},
	}); err != nil {
		t.Fatal(err)
	}

	// More custom roles than one page holds (200), created lowest priority
	// first, so that id order and priority order are opposite.
	const n = 205
	ids := make([]int64, n)
	for i := 0; i < n; i++ {
		req := &client.CreateServerRoleRequest{
			ServerID: guild.ID, Operator: "boss", Name: fmt.Sprintf("role-%03d", i), Priority: ptr(int64(300 - i)),
		}
		if i == 0 {
			req.Icon, req.Ext = ptr("https://img.example.com/r.png"), ptr(`{"color":"red"}`)
		}
		r, err := env.client.QChat.CreateServerRole(ctx, req)
		if err != nil {
			t.Fatalf("role %d: %v", i, err)
		}
		ids[i] = r.ID
	}
	top := ids[n-1]
	if _, err := env.client.QChat.UpdateServerRole(ctx, &client.UpdateServerRoleRequest{
		ServerID: guild.ID, RoleID: top, Operator: "boss", Auths: client.Permissions{1: 1},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.client.QChat.AddRoleMembers(ctx, guild.ID, top, "boss", []string{"alice"}); err != nil {
		t.Fatal(err)
	}

	auths := map[int64]map[int]int{}
	for _, r := range env.sim.Objects().QChatServerRoles {
		auths[r.RoleID] = r.Auths
	}
	want := []knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(itoa(everyone.RoleID)), "name": knownvalue.StringExact("@everyone"),
		"icon": knownvalue.StringExact(""), "ext": knownvalue.StringExact(""), "priority": knownvalue.Int64Exact(0),
		"type": knownvalue.StringExact("everyone"), "member_count": knownvalue.Int64Exact(2),
		"permissions": permissionsFrom(auths[everyone.RoleID]),
	})}
	for i := n - 1; i >= 0; i-- {
		icon, ext, members := "", "", int64(0)
		if i == 0 {
			icon, ext = "https://img.example.com/r.png", `{"color":"red"}`
		}
		if i == n-1 {
			members = 1
		}
		want = append(want, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(itoa(ids[i])), "name": knownvalue.StringExact(fmt.Sprintf("role-%03d", i)),
			"icon": knownvalue.StringExact(icon), "ext": knownvalue.StringExact(ext),
			"priority": knownvalue.Int64Exact(int64(300 - i)), "type": knownvalue.StringExact("custom"),
			"member_count": knownvalue.Int64Exact(members), "permissions": permissionsFrom(auths[ids[i]]),
		}))
	}

	const addr = "data.nim_qchat_roles.all"
	config := func(operator string) string {
		return env.config(fmt.Sprintf(`
data "nim_qchat_roles" "all" {
  server_id = "%d"
%s
}
`, guild.ID, operator))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("operator"), knownvalue.StringExact("boss")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("roles"), knownvalue.ListExact(want)),
					// The changes made above, spelt out rather than taken from the simulator.
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("roles").AtSliceIndex(0).AtMapKey("permissions").AtMapKey("send_message"), knownvalue.StringExact("deny")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("roles").AtSliceIndex(0).AtMapKey("permissions").AtMapKey("mention_everyone"), knownvalue.StringExact("allow")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("roles").AtSliceIndex(1).AtMapKey("permissions").AtMapKey("manage_server"), knownvalue.StringExact("allow")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("roles").AtSliceIndex(2).AtMapKey("permissions").AtMapKey("manage_server"), knownvalue.StringExact("deny")),
				},
				Check: env.expectPaged("qchat/getServerIdentifyPages", "priority"),
			},
			{ // read as a member: the same roles
				Config: config(`  operator = "alice"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("operator"), knownvalue.StringExact("alice")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("roles"), knownvalue.ListExact(want)),
				},
			},
			{
				Config:      config(`  operator = "stranger"`),
				ExpectError: errorText("Cannot list the QChat server's roles", "API code: 403"),
			},
			{
				Config: env.config(`
data "nim_qchat_roles" "missing" {
  server_id = "4999999999"
}
`),
				ExpectError: errorText("QChat server not found", `server_id = "4999999999"`),
			},
		},
	})
}

// Malformed ids and names fail at plan time, before any API request.
func TestQChatRolesDataSource_invalidConfig(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"roles server id", `data "nim_qchat_roles" "x" { server_id = "1.5" }`,
			`(?s)Invalid id.*data\.nim_qchat_roles\.x.*server_id must be a positive integer, got "1\.5"`},
		{"roles operator too long", `data "nim_qchat_roles" "x" {
  server_id = "4000000001"
  operator  = "` + longString(33) + `"
}`, `(?s)operator must be between 1 and 32 characters, got 33`},
	}, nil)
}

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

func TestQChatRoleDataSource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	ctx := context.Background()
	guild := env.newQChatGuild(t)
	everyone := env.everyoneRoleOf(t, guild.ID)

	create := func(name string, prio int64) *client.ServerRole {
		t.Helper()
		r, err := env.client.QChat.CreateServerRole(ctx, &client.CreateServerRoleRequest{
			ServerID: guild.ID, Operator: "boss", Name: name, Priority: &prio,
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	create("helpers", 1)
	mods := create("mods", 5)
	twinA, twinB := create("twin", 8), create("twin", 9)
	if _, err := env.client.QChat.UpdateServerRole(ctx, &client.UpdateServerRoleRequest{
		ServerID: guild.ID, RoleID: mods.ID, Operator: "boss",
		Icon: ptr("https://img.example.com/m.png"), Ext: ptr(`{"color":"green"}`),
		Auths: client.Permissions{2: 1, 4: -1, 7: 1},
	}); err != nil {
		t.Fatal(err)
	}
	modsSim, _ := env.serverRole(itoa(mods.ID))

	role := func(label, name, extra string) string {
		return fmt.Sprintf(`
data "nim_qchat_role" %q {
  server_id = "%d"
  name      = %q
%s
}
`, label, guild.ID, name, extra)
	}
	const modsAddr, everyoneAddr = "data.nim_qchat_role.mods", "data.nim_qchat_role.everyone"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: env.config(role("mods", "mods", "") + role("everyone", "@everyone", `  operator = "alice"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(modsAddr, tfjsonpath.New("id"), knownvalue.StringExact(itoa(mods.ID))),
					statecheck.ExpectKnownValue(modsAddr, tfjsonpath.New("operator"), knownvalue.StringExact("boss")),
					statecheck.ExpectKnownValue(modsAddr, tfjsonpath.New("icon"), knownvalue.StringExact("https://img.example.com/m.png")),
					statecheck.ExpectKnownValue(modsAddr, tfjsonpath.New("ext"), knownvalue.StringExact(`{"color":"green"}`)),
					statecheck.ExpectKnownValue(modsAddr, tfjsonpath.New("priority"), knownvalue.Int64Exact(5)),
					statecheck.ExpectKnownValue(modsAddr, tfjsonpath.New("type"), knownvalue.StringExact("custom")),
					statecheck.ExpectKnownValue(modsAddr, tfjsonpath.New("permissions"), permissionsFrom(modsSim.Auths)),
					statecheck.ExpectKnownValue(modsAddr, tfjsonpath.New("permissions").AtMapKey("manage_channel"), knownvalue.StringExact("allow")),
					statecheck.ExpectKnownValue(modsAddr, tfjsonpath.New("permissions").AtMapKey("send_message"), knownvalue.StringExact("deny")),
					statecheck.ExpectKnownValue(modsAddr, tfjsonpath.New("permissions").AtMapKey("kick_member"), knownvalue.StringExact("allow")),

					statecheck.ExpectKnownValue(everyoneAddr, tfjsonpath.New("id"), knownvalue.StringExact(itoa(everyone.RoleID))),
					statecheck.ExpectKnownValue(everyoneAddr, tfjsonpath.New("operator"), knownvalue.StringExact("alice")),
					statecheck.ExpectKnownValue(everyoneAddr, tfjsonpath.New("priority"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(everyoneAddr, tfjsonpath.New("type"), knownvalue.StringExact("everyone")),
					statecheck.ExpectKnownValue(everyoneAddr, tfjsonpath.New("permissions"), permissionsFrom(everyone.Auths)),
				},
			},
			{
				Config: env.config(role("ghost", "ghost", "")),
				ExpectError: errorText("QChat role not found", `name = "ghost"`,
					fmt.Sprintf(`There is no role named "ghost" in server %d (read as boss).`, guild.ID)),
			},
			{ // names differ in case only: no match, compared exactly
				Config:      env.config(role("case", "Mods", "")),
				ExpectError: errorText("QChat role not found", fmt.Sprintf(`no role named "Mods" in server %d`, guild.ID)),
			},
			{
				Config: env.config(role("twin", "twin", "")),
				ExpectError: errorText("Ambiguous QChat role name", `name = "twin"`,
					fmt.Sprintf(`There are 2 roles named "twin" in server %d: ids %d, %d.`, guild.ID, twinA.ID, twinB.ID)),
			},
			{
				Config: env.config(`
data "nim_qchat_role" "x" {
  server_id = "4999999999"
  name      = "mods"
}
`),
				ExpectError: errorText("QChat server not found", "There is no QChat server with id 4999999999"),
			},
		},
	})
}

// Malformed ids and names fail at plan time, before any API request.
func TestQChatRoleDataSource_invalidConfig(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"role server id", `data "nim_qchat_role" "x" {
  server_id = ""
  name      = "mods"
}`, `(?s)Invalid id.*data\.nim_qchat_role\.x.*server_id must be a positive integer, got ""`},
		{"role name empty", `data "nim_qchat_role" "x" {
  server_id = "4000000001"
  name      = ""
}`, `(?s)name must be between 1 and 64 characters, got 0`},
	}, nil)
}

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// TestQChatRoleListResource: the custom roles of a server are found with
// every permission they set, and @everyone is not.
func TestQChatRoleListResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	app := makeExistingApp(t, env.client)
	server, mods, vips := itoa(app.server), itoa(app.roles[0]), itoa(app.roles[1])
	checks := []querycheck.QueryResultCheck{querycheck.ExpectLength("nim_qchat_role.guild", 2)}
	checks = append(checks, expectFound("nim_qchat_role.guild", identity("server_id", server, "role_id", mods), "mods ("+mods+")",
		map[string]knownvalue.Check{
			"name":                     knownvalue.StringExact("mods"),
			"ext":                      knownvalue.StringExact(`{"n":"mods"}`),
			"operator":                 knownvalue.StringExact("boss"),
			"permissions.kick_member":  knownvalue.StringExact("allow"),
			"permissions.send_message": knownvalue.NotNull(), // set by no one: read as an import reads it
		})...)
	checks = append(checks, expectFound("nim_qchat_role.guild", identity("server_id", server, "role_id", vips), "vips ("+vips+")", nil)...)
	queryTest(t, env, listConfig("nim_qchat_role", "guild", "", `server_id = "`+server+`"`), checks...)
}

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// TestQChatRoleMemberListResource: who holds the custom roles of a server,
// for every role or for one.
func TestQChatRoleMemberListResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	app := makeExistingApp(t, env.client)
	server, mods, vips := itoa(app.server), itoa(app.roles[0]), itoa(app.roles[1])
	checks := []querycheck.QueryResultCheck{
		querycheck.ExpectLength("nim_qchat_role_member.all", 3),
		querycheck.ExpectLength("nim_qchat_role_member.vips", 1),
		querycheck.ExpectIdentity("nim_qchat_role_member.vips", identity("server_id", server, "role_id", vips, "accid", "bob")),
	}
	for _, m := range []struct{ role, name, accid string }{{mods, "mods", "alice"}, {mods, "mods", "bob"}, {vips, "vips", "bob"}} {
		checks = append(checks, expectFound("nim_qchat_role_member.all", identity("server_id", server, "role_id", m.role, "accid", m.accid),
			m.accid+" in "+m.name, map[string]knownvalue.Check{
				"id":       knownvalue.StringExact(server + "/" + m.role + "/" + m.accid),
				"operator": knownvalue.StringExact("boss"),
			})...)
	}
	queryTest(t, env,
		listConfig("nim_qchat_role_member", "all", "", `server_id = "`+server+`"`)+
			listConfig("nim_qchat_role_member", "vips", "", `server_id = "`+server+`"
    role_id   = "`+vips+`"`),
		checks...)
}

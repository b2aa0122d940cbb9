package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// TestQChatServerMemberListResource: the members of a server are found,
// not its owner.
func TestQChatServerMemberListResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	app := makeExistingApp(t, env.client)
	server := itoa(app.server)
	checks := []querycheck.QueryResultCheck{querycheck.ExpectLength("nim_qchat_server_member.guild", 2)}
	for _, accid := range app.members {
		checks = append(checks, expectFound("nim_qchat_server_member.guild", identity("server_id", server, "accid", accid), accid,
			map[string]knownvalue.Check{
				"id":       knownvalue.StringExact(server + "/" + accid),
				"operator": knownvalue.StringExact("boss"),
			})...)
	}
	queryTest(t, env, listConfig("nim_qchat_server_member", "guild", "", `server_id = "`+server+`"`), checks...)
}

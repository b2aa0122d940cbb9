package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// TestQChatServerListResource: an owner's servers are found, not a server
// the account is only a member of.
func TestQChatServerListResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	app := makeExistingApp(t, env.client)
	id := itoa(app.server)
	checks := []querycheck.QueryResultCheck{
		querycheck.ExpectLength("nim_qchat_server.boss", 1),
		querycheck.ExpectLength("nim_qchat_server.rival", 1),
		querycheck.ExpectIdentity("nim_qchat_server.rival", identity("server_id", itoa(app.rivalServer))),
	}
	checks = append(checks, expectFound("nim_qchat_server.boss", identity("server_id", id), "Guild ("+id+")",
		map[string]knownvalue.Check{
			"id":                       knownvalue.StringExact(id),
			"owner":                    knownvalue.StringExact("boss"),
			"operator":                 knownvalue.StringExact("boss"),
			"name":                     knownvalue.StringExact("Guild"),
			"invite_requires_approval": knownvalue.Bool(false),
			"everyone_role_id":         knownvalue.NotNull(),
		})...)
	queryTest(t, env,
		listConfig("nim_qchat_server", "boss", "", `owner = "boss"`)+
			listConfig("nim_qchat_server", "rival", "", `owner = "rival"`),
		checks...)
}

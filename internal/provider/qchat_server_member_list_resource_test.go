package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/nimtf/terraform-provider-nim/internal/client"
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

// TestQChatServerMemberListResource_pages: members over several pages of
// getServerMemberListPage are all found.
func TestQChatServerMemberListResource_pages(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	ctx := context.Background()
	srv, err := env.client.QChat.CreateServer(ctx, &client.CreateServerRequest{Owner: "boss", Name: ptr("Crowd"), InviteMode: ptr(1)})
	if err != nil {
		t.Fatal(err)
	}
	const n = client.MaxQChatBatch + 50
	var accids []string
	for i := range n {
		accids = append(accids, fmt.Sprintf("fan%03d", i))
	}
	for start := 0; start < n; start += client.MaxQChatBatch {
		req := &client.InviteServerMemberRequest{ServerID: srv.ID, Operator: "boss", Accids: accids[start:min(start+client.MaxQChatBatch, n)]}
		if _, err := env.client.QChat.InviteServerMember(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	queryTest(t, env, listConfig("nim_qchat_server_member", "crowd", "limit = 1000", `server_id = "`+itoa(srv.ID)+`"`),
		querycheck.ExpectLength("nim_qchat_server_member.crowd", n),
		querycheck.ExpectIdentity("nim_qchat_server_member.crowd", identity("server_id", itoa(srv.ID), "accid", accids[n-1])),
	)
	if got := len(env.requests("qchat/getServerMemberListPage")); got < 2 {
		t.Errorf("%d getServerMemberListPage requests for %d members, want at least 2", got, n)
	}
}

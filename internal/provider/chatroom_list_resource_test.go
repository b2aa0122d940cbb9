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

// TestChatroomListResource: the open rooms of a creator are found, not its
// closed room nor another creator's; the limit is kept.
func TestChatroomListResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	app := makeExistingApp(t, env.client)
	lobby, stage := itoa(app.hostRooms[0]), itoa(app.hostRooms[1])
	checks := []querycheck.QueryResultCheck{
		querycheck.ExpectLength("nim_chatroom.open", 2),
		querycheck.ExpectLength("nim_chatroom.first", 1),
		querycheck.ExpectLength("nim_chatroom.nobody", 0),
	}
	checks = append(checks, expectFound("nim_chatroom.open", identity("room_id", lobby), "Lobby ("+lobby+")",
		map[string]knownvalue.Check{
			"id":           knownvalue.StringExact(lobby),
			"creator":      knownvalue.StringExact("host"),
			"name":         knownvalue.StringExact("Lobby"),
			"announcement": knownvalue.StringExact("Welcome to Lobby"),
			"open":         knownvalue.Null(),
			"queue_level":  knownvalue.StringExact("anyone"),
		})...)
	checks = append(checks, expectFound("nim_chatroom.open", identity("room_id", stage), "Stage ("+stage+")", nil)...)
	queryTest(t, env,
		listConfig("nim_chatroom", "open", "", `creator = "host"`)+
			listConfig("nim_chatroom", "first", "limit = 1", `creator = "host"`)+
			listConfig("nim_chatroom", "nobody", "", `creator = "nobody"`),
		checks...)
}

// TestChatroomListResource_many: a creator with more rooms than a getBatch
// call takes, and than Terraform's default limit of 100, is listed whole
// when the list block's limit allows it.
func TestChatroomListResource_many(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	const n = 130
	for i := range n {
		if _, err := env.client.Chatrooms.Create(context.Background(), createRoomRequest("busy", fmt.Sprintf("Room %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	queryTest(t, env,
		listConfig("nim_chatroom", "default", "", `creator = "busy"`)+
			listConfig("nim_chatroom", "all", "limit = 1000", `creator = "busy"`),
		querycheck.ExpectLength("nim_chatroom.default", 100),
		querycheck.ExpectLength("nim_chatroom.all", n),
	)
	if got, least := len(env.requests("chatroom/getBatch")), 2*(n+client.MaxChatroomBatch-1)/client.MaxChatroomBatch; got < least {
		t.Errorf("%d getBatch requests for two listings of %d rooms, want at least %d", got, n, least)
	}
}

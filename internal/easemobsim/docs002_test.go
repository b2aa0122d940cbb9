package easemobsim

import (
	"strings"
	"testing"
)

// TestDocs002Switch checks every place where the switch makes the
// simulator answer as 002 states rather than as the later documentation.
func TestDocs002Switch(t *testing.T) {
	t.Parallel()
	_, cl := newTestServer(t, Config{Docs002: true})
	id := cl.room("alice", "bob")

	// Bare {"data": ...} answers; one room is an object, more an array.
	c := cl.ok("POST", "chatrooms", obj{"name": "n", "description": "d", "owner": "alice"})
	must(t, len(c) == 1 && c.str("data.id") != "", "create answer %v", c)
	d := cl.ok("GET", "chatrooms/"+id, nil)
	must(t, len(d) == 1 && d.str("data.id") == id && d.get("data.mute") == nil, "details answer %v", d)
	d = cl.ok("GET", "chatrooms/"+id+","+c.str("data.id"), nil)
	must(t, len(d.list("data")) == 2, "two rooms: an array %v", d)
	l := cl.ok("GET", "chatrooms?limit=1", nil)
	must(t, l.str("data.id") == id && l.str("cursor") != "" && len(l) == 2, "list, one room per page: %v", l)
	j := cl.ok("GET", "users/bob/joined_chatrooms", nil)
	must(t, len(j) == 1 && j.str("data.id") == id, "joined %v", j)

	// Update: the three fields are required, newowner is not one of them.
	cl.fails(400, "invalid_parameter", "PUT", "chatrooms/"+id, obj{"name": "x"})
	d2 := cl.fails(400, "invalid_parameter", "PUT", "chatrooms/"+id, obj{"newowner": "bob"})
	must(t, strings.Contains(d2, "some of [newowner] are not valid fields"), "newowner %q", d2)
	u := cl.ok("PUT", "chatrooms/"+id, obj{"name": "x", "description": "y", "maxusers": 10})
	must(t, len(u) == 1 && u.get("data.groupname") == true, "update %v", u)

	// Adding a user who does not exist: 400 (002's wording), not 404.
	cl.fails(400, "invalid_parameter", "POST", "chatrooms/"+id+"/users/bad%20user", nil)
	// Batch remove takes up to 100 users.
	cl.ok("DELETE", "chatrooms/"+id+"/users/"+strings.Join(users("u", 100), ","), nil)
	cl.fails(400, "invalid_parameter", "DELETE", "chatrooms/"+id+"/users/"+strings.Join(users("u", 101), ","), nil)
	// The mute table's "String" usernames is accepted.
	m := cl.ok("POST", "chatrooms/"+id+"/mute", obj{"usernames": "bob", "mute_duration": 1000})
	must(t, m.str("data.0.user") == "bob", "mute with a string %v", m)
}

func TestCustomRoomIDs(t *testing.T) {
	t.Parallel()
	_, off := newTestServer(t, Config{})
	id := off.ok("POST", "chatrooms", obj{"name": "n", "description": "d", "owner": "alice", "roomid": "abc"}).str("data.id")
	must(t, id != "abc", "custom id used while the feature is off")

	_, cl := newTestServer(t, Config{CustomRoomIDs: true})
	must(t, cl.ok("POST", "chatrooms", obj{"name": "n", "description": "d", "owner": "alice", "roomid": "room1"}).str("data.id") == "room1", "roomid")
	d := cl.fails(400, "illegal_argument", "POST", "chatrooms", obj{"name": "n", "description": "d", "owner": "alice", "roomid": "room1"})
	must(t, d == "group ID room1 already exists!", "duplicate %q", d)
	cl.fails(400, "invalid_parameter", "POST", "chatrooms", obj{"name": "n", "description": "d", "owner": "alice", "roomid": "Room-1"})
	cl.ok("GET", "chatrooms/room1", nil)

	_, docs := newTestServer(t, Config{CustomRoomIDs: true, Docs002: true})
	must(t, docs.ok("POST", "chatrooms", obj{"name": "n", "description": "d", "owner": "alice", "groupid": "123456789012345678"}).str("data.id") == "123456789012345678", "groupid")
	docs.fails(400, "invalid_parameter", "POST", "chatrooms", obj{"name": "n", "description": "d", "owner": "alice", "groupid": "0123"})
	docs.fails(400, "invalid_parameter", "POST", "chatrooms", obj{"name": "n", "description": "d", "owner": "alice", "groupid": "1234567890123456789"})
}

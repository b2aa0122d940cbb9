package easemobsim

import (
	"encoding/json"
	"testing"
)

// TestPerUserAnswers: the batch endpoints answer each user of the request,
// in its order, with the fields and the reasons of the documents' examples,
// whether the change was made or refused.
func TestPerUserAnswers(t *testing.T) {
	t.Parallel()
	_, cl := newTestServer(t, Config{Users: []string{"owner", "ann", "ben", "cat", "dan", "eve"}})
	id := cl.room("owner", "ann", "ben", "cat", "dan")
	cl.ok("POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"ben"}, "mute_duration": -1})
	steps := []struct {
		method, path string
		body         any
		want         string
	}{
		{"POST", "chatrooms/" + id + "/white/users", obj{"usernames": []string{"ann", "nobody", "eve"}},
			`[{"action":"add_user_whitelist","chatroomid":"` + id + `","result":true,"user":"ann"},` +
				`{"action":"add_user_whitelist","chatroomid":"` + id + `","reason":"username nobody doesn't exist!","result":false,"user":"nobody"},` +
				`{"action":"add_user_whitelist","chatroomid":"` + id + `","reason":"users [eve] are not members of this group!","result":false,"user":"eve"}]`},
		{"DELETE", "chatrooms/" + id + "/white/users/ANN,ben", nil,
			`[{"action":"remove_user_whitelist","chatroomid":"` + id + `","result":true,"user":"ann"},` +
				`{"action":"remove_user_whitelist","chatroomid":"` + id + `","reason":"user: ben is not in the white list of chatroom: ` + id + `","result":false,"user":"ben"}]`},
		{"DELETE", "chatrooms/" + id + "/mute/ben,cat", nil,
			`[{"result":true,"user":"ben"},{"reason":"user: cat is not muted in chatroom: ` + id + `","result":false,"user":"cat"}]`},
		{"POST", "chatrooms/" + id + "/blocks/users", obj{"usernames": []string{"cat", "owner"}},
			`[{"action":"add_blocks","chatroomid":"` + id + `","result":true,"user":"cat"},` +
				`{"action":"add_blocks","chatroomid":"` + id + `","reason":"forbidden operation on group owner!","result":false,"user":"owner"}]`},
		{"DELETE", "chatrooms/" + id + "/blocks/users/cat,dan", nil,
			`[{"action":"remove_blocks","chatroomid":"` + id + `","result":true,"user":"cat"},` +
				`{"action":"remove_blocks","chatroomid":"` + id + `","reason":"user: dan is not in the block list of chatroom: ` + id + `","result":false,"user":"dan"}]`},
		{"DELETE", "chatrooms/" + id + "/users/owner,dan,eve", nil,
			`[{"action":"remove_member","id":"` + id + `","reason":"forbidden operation on group owner!","result":false,"user":"owner"},` +
				`{"action":"remove_member","id":"` + id + `","result":true,"user":"dan"},` +
				`{"action":"remove_member","id":"` + id + `","reason":"user: eve doesn't exist in group: ` + id + `","result":false,"user":"eve"}]`},
	}
	for _, s := range steps {
		a := cl.ok(s.method, s.path, s.body)
		got, err := json.Marshal(a["data"])
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != s.want {
			t.Errorf("%s %s:\n got %s\nwant %s", s.method, s.path, got, s.want)
		}
	}
}

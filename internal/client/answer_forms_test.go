package client

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// stringForms returns an answer in the forms the vendor's SDKs read: every
// top-level array- or object-valued field (code aside) as a JSON string
// holding it, and, when desc is an object, desc kept with each of its own
// array- or object-valued fields as such a string.
func stringForms(t *testing.T, answer []byte) map[string][]byte {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(answer, &top); err != nil {
		t.Fatalf("answer: %v", err)
	}
	stringify := func(m map[string]json.RawMessage) (map[string]json.RawMessage, bool) {
		out, changed := map[string]json.RawMessage{}, false
		for k, v := range m {
			if s := strings.TrimSpace(string(v)); k != "code" && (strings.HasPrefix(s, "[") || strings.HasPrefix(s, "{")) {
				q, _ := json.Marshal(s)
				out[k], changed = q, true
				continue
			}
			out[k] = v
		}
		return out, changed
	}
	forms := map[string][]byte{}
	if m, ok := stringify(top); ok {
		forms["top-level fields as strings"], _ = json.Marshal(m)
	}
	var desc map[string]json.RawMessage
	if err := json.Unmarshal(top["desc"], &desc); err == nil {
		if d, ok := stringify(desc); ok {
			m := map[string]json.RawMessage{}
			for k, v := range top {
				m[k] = v
			}
			m["desc"], _ = json.Marshal(d)
			forms["desc's fields as strings"], _ = json.Marshal(m)
		}
	}
	return forms
}

// answerOf is a case's answer: a testdata file, or inline JSON.
func answerOf(t *testing.T, answer string) []byte {
	if strings.HasPrefix(answer, "{") {
		return []byte(answer)
	}
	b, err := os.ReadFile(filepath.Join("testdata", answer))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every QChat endpoint decodes to the same result when its array- and
// object-valued answer fields arrive as JSON strings holding them.
func TestQChatAnswersInStringForm(t *testing.T) {
	tested := 0
	for _, tc := range qchatCases() {
		for form, body := range stringForms(t, answerOf(t, tc.answer)) {
			t.Run(tc.name+"/"+form, func(t *testing.T) {
				e := newEnv(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, string(body)) })
				got, err := tc.call(context.Background(), e.c)
				if err != nil {
					t.Fatalf("%v\nanswer %s", err, body)
				}
				if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
					gb, _ := json.Marshal(got)
					wb, _ := json.Marshal(tc.want)
					t.Errorf("decoded\n got %s\nwant %s\nfrom %s", gb, wb, body)
				}
			})
			tested++
		}
	}
	if tested < 20 {
		t.Errorf("only %d answers had a field to turn into a string", tested)
	}
}

// The chatroom answers whose array- and object-valued fields the vendor's Go
// SDK reads as JSON strings decode the same in both forms.
func TestChatroomAnswersInStringForm(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		file string
		call func(c *Client) (any, error)
	}{
		{`{"code":200,"succRooms":[{"roomid":6002,"name":"n","valid":true,"creator":"c","ionotify":true,` +
			`"delayInfo":{"delayCloseEnable":true,"delayClosePolicy":1,"delaySeconds":60,"status":2}}],` +
			`"noExistRooms":[6001],"failRooms":[]}`, func(c *Client) (any, error) {
			res, err := c.Chatrooms.GetBatch(ctx, []int64{6001, 6002})
			if err != nil {
				return nil, err
			}
			return []any{res.NotFound, res.Failed, res.Rooms[6002]}, nil
		}},
		{"chatroom_membersByPage.json", func(c *Client) (any, error) { return c.Chatrooms.MembersByPage(ctx, 1, 0, 0, 10) }},
		{"chatroom_queryMembers.json", func(c *Client) (any, error) { return c.Chatrooms.QueryMembers(ctx, 1, []string{"a"}) }},
		{"chatroom_queryUserRoomIds.json", func(c *Client) (any, error) { return c.Chatrooms.ListIDsByCreator(ctx, "a") }},
		{"chatroom_setMemberRole.json", func(c *Client) (any, error) {
			return c.Chatrooms.SetMemberRole(ctx, &SetMemberRoleRequest{RoomID: 16, Operator: "a", Target: "zhangsan", Opt: 2, OptValue: true})
		}},
		{"chatroom_updateDelayClosePolicy.json", func(c *Client) (any, error) { return c.Chatrooms.UpdateDelayClosePolicy(ctx, 66, 2, 600) }},
		{"chatroom_get.json", func(c *Client) (any, error) { return c.Chatrooms.get(ctx, 1, false) }},
	}
	for _, tc := range cases {
		orig := answerOf(t, tc.file)
		serve := func(body []byte) (any, error) {
			e := newEnv(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, string(body)) })
			return tc.call(e.c)
		}
		want, err := serve(orig)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		forms := stringForms(t, orig)
		if len(forms) == 0 {
			t.Errorf("%s: no field to turn into a string", tc.file)
		}
		for form, body := range forms {
			got, err := serve(body)
			if err != nil {
				t.Errorf("%s, %s: %v", tc.file, form, err)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s: decoded %+v, want %+v", tc.file, form, got, want)
			}
		}
	}
}

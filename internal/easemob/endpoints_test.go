package easemob

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// TestEndpoints replays 002's example answers and checks, for every method,
// the request sent (method, escaped path, query, JSON body) and what was
// decoded.
func TestEndpoints(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		call   func(c *Client) (any, error)
		method string
		path   string
		query  string
		body   string // JSON, "" = no body
		file   string
		want   any
	}{
		{"create", func(c *Client) (any, error) {
			return c.Chatrooms.Create(ctx, &CreateRequest{Name: "testchatroom1", Description: "test", MaxUsers: 300, Owner: "user1", Members: []string{"user2"}})
		}, "POST", "/chatrooms", "", `{"name":"testchatroom1","description":"test","maxusers":300,"owner":"user1","members":["user2"]}`,
			"chatroom_create.json", &CreateResult{ID: "66XXXX33"}},
		{"get (002 shows one object)", func(c *Client) (any, error) { return c.Chatrooms.Get(ctx, "662XXXX13") },
			"GET", "/chatrooms/662XXXX13", "", "", "chatroom_details.json", &Chatroom{
				ID: "662XXXX13", Name: "testchatroom1", Description: "test", Owner: "user1", MaxUsers: 200,
				Created: time.UnixMilli(1542542951527).UTC(), MemberCount: 2, Public: true,
				Affiliations: []Member{{Username: "user2"}, {Username: "user1", Owner: true}},
			}},
		{"list (002 shows one object)", func(c *Client) (any, error) { return c.Chatrooms.List(ctx, 0, "") },
			"GET", "/chatrooms", "limit=100", "", "chatrooms_list.json",
			&RoomPage{Rooms: []RoomSummary{{ID: "662XXXX13", Name: "testchatroom1", Owner: "user1", MemberCount: 2}}}},
		{"update", func(c *Client) (any, error) {
			return c.Chatrooms.Update(ctx, "662XXXX13", &UpdateRequest{Name: ptr("testchatroom"), Description: ptr("test"), MaxUsers: ptr(300)})
		}, "PUT", "/chatrooms/662XXXX13", "", `{"name":"testchatroom","description":"test","maxusers":300}`,
			"chatroom_update.json", &UpdateResult{Name: true, Description: true, MaxUsers: true}},
		{"update one field", func(c *Client) (any, error) {
			return c.Chatrooms.Update(ctx, "662XXXX13", &UpdateRequest{MaxUsers: ptr(10)})
		}, "PUT", "/chatrooms/662XXXX13", "", `{"maxusers":10}`, "chatroom_update.json", &UpdateResult{Name: true, Description: true, MaxUsers: true}},
		{"transfer", func(c *Client) (any, error) { return c.Chatrooms.TransferOwner(ctx, "662XXXX13", "user2") },
			"PUT", "/chatrooms/662XXXX13", "", `{"newowner":"user2"}`, "", &TransferResult{NewOwner: true}},
		{"delete", func(c *Client) (any, error) { return c.Chatrooms.Delete(ctx, "662XXXX13") },
			"DELETE", "/chatrooms/662XXXX13", "", "", "chatroom_delete.json", &DeleteResult{ID: "662XXXX13", Success: true}},
		{"announcement get", func(c *Client) (any, error) { return c.Chatrooms.GetAnnouncement(ctx, "12XXXX11") },
			"GET", "/chatrooms/12XXXX11/announcement", "", "", "announcement_get.json", &Announcement{Text: "XXXX."}},
		{"announcement set", func(c *Client) (any, error) { return c.Chatrooms.SetAnnouncement(ctx, "12XXXX11", "hello") },
			"POST", "/chatrooms/12XXXX11/announcement", "", `{"announcement":"hello"}`, "announcement_set.json", &Announcement{Text: "hello"}},
		{"mute all on", func(c *Client) (any, error) { return c.Chatrooms.SetMuteAll(ctx, "12XXXX11", true) },
			"POST", "/chatrooms/12XXXX11/ban", "", "", "ban_on.json", &MuteAllState{Muted: true}},
		{"mute all off", func(c *Client) (any, error) { return c.Chatrooms.SetMuteAll(ctx, "12XXXX11", false) },
			"DELETE", "/chatrooms/12XXXX11/ban", "", "", "ban_off.json", &MuteAllState{Muted: false}},
		{"members list", func(c *Client) (any, error) { return c.Members.List(ctx, "12XXXX11", 2, 2) },
			"GET", "/chatrooms/12XXXX11/users", "pagenum=2&pagesize=2", "", "members_list.json",
			&MemberPage{Members: []Member{{Username: "user1"}, {Username: "user2"}}}},
		{"member add", func(c *Client) (any, error) { return c.Members.Add(ctx, "66XXXX33", "user1") },
			"POST", "/chatrooms/66XXXX33/users/user1", "", "", "member_add.json", &UserResult{User: "user1", OK: true}},
		{"members add", func(c *Client) (any, error) { return c.Members.AddMany(ctx, "66XXXX33", []string{"user1", "user2"}) },
			"POST", "/chatrooms/66XXXX33/users", "", `{"usernames":["user1","user2"]}`, "members_add.json",
			&BatchResult{Results: []UserResult{{User: "user1", OK: true}, {User: "user2", OK: true}}}},
		{"member remove", func(c *Client) (any, error) { return c.Members.Remove(ctx, "66XXXX33", "user1") },
			"DELETE", "/chatrooms/66XXXX33/users/user1", "", "", "member_remove.json", &UserResult{User: "user1", OK: true}},
		{"admins list", func(c *Client) (any, error) { return c.Admins.List(ctx, "12XXXX11") },
			"GET", "/chatrooms/12XXXX11/admin", "", "", "admins_list.json", &UserList{Users: []string{"user1"}}},
		{"admin add", func(c *Client) (any, error) { return c.Admins.Add(ctx, "12XXXX11", "user1") },
			"POST", "/chatrooms/12XXXX11/admin", "", `{"newadmin":"user1"}`, "admin_add.json", &UserResult{User: "user1", OK: true}},
		{"admin remove", func(c *Client) (any, error) { return c.Admins.Remove(ctx, "12XXXX11", "user1") },
			"DELETE", "/chatrooms/12XXXX11/admin/user1", "", "", "admin_remove.json", &UserResult{User: "user1", OK: true}},
		{"block list", func(c *Client) (any, error) { return c.BlockList.List(ctx, "66XXXX33") },
			"GET", "/chatrooms/66XXXX33/blocks/users", "", "", "blocks_list.json", &UserList{Users: []string{"user2", "user3"}}},
		{"block add", func(c *Client) (any, error) { return c.BlockList.Add(ctx, "66XXXX33", "user1") },
			"POST", "/chatrooms/66XXXX33/blocks/users/user1", "", "", "block_add.json", &UserResult{User: "user1", OK: true}},
		{"block remove", func(c *Client) (any, error) { return c.BlockList.Remove(ctx, "66XXXX33", "user1") },
			"DELETE", "/chatrooms/66XXXX33/blocks/users/user1", "", "", "block_remove.json", &UserResult{User: "user1", OK: true}},
		{"blocks remove", func(c *Client) (any, error) {
			return c.BlockList.RemoveMany(ctx, "66XXXX33", []string{"user1", "user2"})
		},
			"DELETE", "/chatrooms/66XXXX33/blocks/users/user1%2Cuser2", "", "", "blocks_remove.json",
			&BatchResult{Results: []UserResult{{User: "user1", OK: true}, {User: "user2", OK: true}}}},
		{"allow list", func(c *Client) (any, error) { return c.AllowList.List(ctx, "66XXXX33") },
			"GET", "/chatrooms/66XXXX33/white/users", "", "", "allow_list.json",
			&UserList{Users: []string{"wzy_test", "wzy_vivo", "wzy_huawei", "wzy_xiaomi", "wzy_meizu"}}},
		{"allow add", func(c *Client) (any, error) { return c.AllowList.Add(ctx, "66XXXX33", "wzy_xiaomi") },
			"POST", "/chatrooms/66XXXX33/white/users/wzy_xiaomi", "", "", "allow_add.json", &UserResult{User: "wzy_xiaomi", OK: true}},
		{"allows add", func(c *Client) (any, error) {
			return c.AllowList.AddMany(ctx, "66XXXX33", []string{"wzy_test", "wzy_meizu"})
		}, "POST", "/chatrooms/66XXXX33/white/users", "", `{"usernames":["wzy_test","wzy_meizu"]}`, "allows_add.json",
			&BatchResult{Results: []UserResult{{User: "wzy_test", OK: true}, {User: "wzy_meizu", OK: true}}}},
		{"allows remove", func(c *Client) (any, error) {
			return c.AllowList.RemoveMany(ctx, "66XXXX33", []string{"wzy_huawei", "wzy_meizu"})
		}, "DELETE", "/chatrooms/66XXXX33/white/users/wzy_huawei%2Cwzy_meizu", "", "", "allows_remove.json",
			&BatchResult{Results: []UserResult{{User: "wzy_huawei", OK: true}, {User: "wzy_meizu", OK: true}}}},
		{"mutes list", func(c *Client) (any, error) { return c.Mutes.List(ctx, "12XXXX11") },
			"GET", "/chatrooms/12XXXX11/mute", "", "", "mutes_list.json", &MuteList{Mutes: []Mute{
				{User: "user1", ExpireMillis: 1489158589481, Expire: time.UnixMilli(1489158589481).UTC()},
				{User: "user2", ExpireMillis: 1489158589481, Expire: time.UnixMilli(1489158589481).UTC()},
			}, ServerTime: time.UnixMilli(1489072802179).UTC()}},
		{"mute add", func(c *Client) (any, error) { return c.Mutes.Add(ctx, "12XXXX11", []string{"user1"}, 86400000) },
			"POST", "/chatrooms/12XXXX11/mute", "", `{"mute_duration":86400000,"usernames":["user1"]}`, "mute_add.json",
			&BatchResult{Results: []UserResult{{User: "user1", OK: true, Expire: time.UnixMilli(1489158589481).UTC()}}}},
		{"mute remove", func(c *Client) (any, error) { return c.Mutes.Remove(ctx, "12XXXX11", []string{"user1"}) },
			"DELETE", "/chatrooms/12XXXX11/mute/user1", "", "", "mute_remove.json",
			&BatchResult{Results: []UserResult{{User: "user1", OK: true}}}},
		{"super admin add", func(c *Client) (any, error) { return c.SuperAdmins.Add(ctx, "user1") },
			"POST", "/chatrooms/super_admin", "", `{"superadmin":"user1"}`, "superadmin_add.json", &UserResult{User: "user1", OK: true}},
		{"super admins list", func(c *Client) (any, error) { return c.SuperAdmins.List(ctx, 2, 2) },
			"GET", "/chatrooms/super_admin", "pagenum=2&pagesize=2", "", "superadmins_list.json",
			&UserList{Users: []string{"hXXXX1", "hXXXX11", "hXXXX10"}}},
		{"super admin remove", func(c *Client) (any, error) { return c.SuperAdmins.Remove(ctx, "XXXX") },
			"DELETE", "/chatrooms/super_admin/XXXX", "", "", "superadmin_remove.json", &UserResult{User: "XXXX", OK: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method != tc.method || rel(r) != tc.path || r.URL.RawQuery != tc.query {
					t.Errorf("request %s %s?%s, want %s %s?%s", r.Method, rel(r), r.URL.RawQuery, tc.method, tc.path, tc.query)
				}
				body := bodyOf(t, r)
				if tc.body == "" && body != nil {
					t.Errorf("unexpected body %v", body)
				}
				if tc.body != "" {
					var want map[string]any
					if err := json.Unmarshal([]byte(tc.body), &want); err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(body, want) {
						t.Errorf("body = %v, want %v", body, want)
					}
				}
				if tc.file == "" {
					writeJSON(w, 200, `{"action":"put","data":{"newowner":true},"entities":[]}`)
					return
				}
				replay(t, w, tc.file)
			})
			got, err := tc.call(f.c)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %s\nwant %s", dump(got), dump(tc.want))
			}
			if n := f.apiRequests.Load(); n != 1 {
				t.Fatalf("%d requests, want 1", n)
			}
		})
	}
}

func dump(v any) string { b, _ := json.Marshal(v); return fmt.Sprintf("%T %s", v, b) }

// TestBadInputSendsNothing: the client refuses what the API documents as
// invalid before any request, the token request included.
func TestBadInputSendsNothing(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s %s", r.Method, r.URL) })
	ctx := context.Background()
	long := func(n int) string {
		b := make([]rune, n)
		for i := range b {
			b[i] = '名'
		}
		return string(b)
	}
	calls := map[string]func() error{
		"no name": func() error {
			_, err := f.c.Chatrooms.Create(ctx, &CreateRequest{Description: "d", Owner: "u"})
			return err
		},
		"no description": func() error { _, err := f.c.Chatrooms.Create(ctx, &CreateRequest{Name: "n", Owner: "u"}); return err },
		"name too long": func() error {
			_, err := f.c.Chatrooms.Create(ctx, &CreateRequest{Name: long(129), Description: "d", Owner: "u"})
			return err
		},
		"maxusers too big": func() error {
			_, err := f.c.Chatrooms.Create(ctx, &CreateRequest{Name: "n", Description: "d", Owner: "u", MaxUsers: 10001})
			return err
		},
		"custom too long": func() error {
			_, err := f.c.Chatrooms.Create(ctx, &CreateRequest{Name: "n", Description: "d", Owner: "u", Custom: long(1025)})
			return err
		},
		"slash in update":    func() error { _, err := f.c.Chatrooms.Update(ctx, "1", &UpdateRequest{Name: ptr("a/b")}); return err },
		"comma in room id":   func() error { _, err := f.c.Chatrooms.Get(ctx, "1,2"); return err },
		"comma in user":      func() error { _, err := f.c.Members.Add(ctx, "1", "a,b"); return err },
		"announcement long":  func() error { _, err := f.c.Chatrooms.SetAnnouncement(ctx, "1", long(513)); return err },
		"mute duration zero": func() error { _, err := f.c.Mutes.Add(ctx, "1", []string{"u"}, 0); return err },
	}
	for name, call := range calls {
		if err := call(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if n := f.tokenRequests.Load() + f.apiRequests.Load(); n != 0 {
		t.Fatalf("%d requests for bad input", n)
	}
	if res, err := f.c.Chatrooms.Update(ctx, "1", &UpdateRequest{}); err != nil || *res != (UpdateResult{}) {
		t.Fatalf("empty update: %v %v", res, err)
	}
}

// TestServerTime: an answer tells the server's clock by its timestamp
// (milliseconds), else by its Date header, else not at all.
func TestServerTime(t *testing.T) {
	date := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		name, body, dateHeader string
		want                   time.Time
	}{
		{"timestamp", `{"data":[],"timestamp":1489072802179}`, date.Format(http.TimeFormat), time.UnixMilli(1489072802179).UTC()},
		{"date header", `{"data":[]}`, date.Format(http.TimeFormat), date},
		{"neither", `{"data":[]}`, "", time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.dateHeader == "" {
					w.Header()["Date"] = nil // keeps net/http from adding one
				} else {
					w.Header().Set("Date", tc.dateHeader)
				}
				writeJSON(w, http.StatusOK, tc.body)
			})
			l, err := f.c.Mutes.List(context.Background(), "12")
			if err != nil {
				t.Fatal(err)
			}
			if !l.ServerTime.Equal(tc.want) {
				t.Fatalf("ServerTime %v, want %v", l.ServerTime, tc.want)
			}
		})
	}
}

package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestChatroomCreate(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "chatroom/create")
		testFormValues(t, r, map[string]string{
			"creator":           "test100",
			"name":              "test1-chatroom",
			"announcement":      "",
			"broadcasturl":      "xxxxxx",
			"ext":               `{"k":"v"}`,
			"queuelevel":        "1",
			"bid":               `{"textbid":"","picbid":""}`,
			"delayClosePolicy":  "1",
			"delaySeconds":      "180",
			"inOutNotification": "0",
		})
		replay(t, w, "chatroom_create.json")
	})
	room, err := e.c.Chatrooms.Create(context.Background(), &CreateChatroomRequest{
		Creator:           "test100",
		Name:              "test1-chatroom",
		Announcement:      ptr(""),
		BroadcastURL:      ptr("xxxxxx"),
		Ext:               ptr(`{"k":"v"}`),
		QueueLevel:        ptr(1),
		Bid:               ptr(`{"textbid":"","picbid":""}`),
		DelayClosePolicy:  ptr(1),
		DelaySeconds:      ptr(int64(180)),
		InOutNotification: ptr(false),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &Chatroom{
		ID: 1600849145, Creator: "test100", Name: "test1-chatroom", BroadcastURL: "xxxxxx",
		Valid: true,
		Delay: &DelayInfo{Policy: 1, Seconds: 180, Enabled: true, Status: 2, StartTime: 1666595100158},
	}
	if !reflect.DeepEqual(room, want) {
		t.Errorf("room = %+v (delay %+v), want %+v", room, room.Delay, want)
	}
}

func TestChatroomCreateMinimal(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testFormValues(t, r, map[string]string{"creator": "zhangsan", "name": "mychatroom", "inOutNotification": "1"})
		writeJSON(w, `{"chatroom":{"roomid":66,"valid":true,"announcement":null,"name":"mychatroom","broadcasturl":"xxxxxx","ext":"","creator":"zhangsan"},"code":200}`)
	})
	room, err := e.c.Chatrooms.Create(context.Background(), &CreateChatroomRequest{Creator: "zhangsan", Name: "mychatroom", InOutNotification: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if room.ID != 66 || room.Delay != nil || room.InOutNotification != nil {
		t.Errorf("room = %+v", room)
	}
}

func TestChatroomCreateError(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) { replay(t, w, "chatroom_create_error.json") })
	_, err := e.c.Chatrooms.Create(context.Background(), &CreateChatroomRequest{Creator: "nobody", Name: "x"})
	if !IsParameterError(err) || err.Error() != "nim chatroom/create: code 414: owner not register" {
		t.Errorf("err = %v", err)
	}
}

// TestChatroomGet covers the unbatched path: one chatroom/get per Get.
func TestChatroomGet(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "chatroom/get")
		_ = r.ParseForm()
		switch r.PostForm.Get("roomid") {
		case "66":
			testFormValues(t, r, map[string]string{"roomid": "66", "needOnlineUserCount": "false"})
			replay(t, w, "chatroom_get.json")
		case "67":
			testFormValues(t, r, map[string]string{"roomid": "67", "needOnlineUserCount": "true"})
			writeJSON(w, `{"code":200,"chatroom":{"roomid":"67","valid":"true","muted":true,"ionotify":false,"onlineusercount":"12","delayInfo":"{\"delayClosePolicy\":2,\"delaySeconds\":\"60\",\"delayCloseEnable\":true,\"status\":1,\"startTime\":5}"}}`)
		default:
			writeJSON(w, `{"code":404,"desc":"chatroom not exist"}`)
		}
	}, WithBatchReads(false))
	room, err := e.c.Chatrooms.Get(context.Background(), 66)
	if err != nil {
		t.Fatal(err)
	}
	want := &Chatroom{ID: 66, Creator: "zhangsan", OnlineUserCount: 1}
	if !reflect.DeepEqual(room, want) {
		t.Errorf("room = %+v, want %+v", room, want)
	}

	room, err = e.c.Chatrooms.GetWithOnlineUserCount(context.Background(), 67)
	if err != nil {
		t.Fatal(err)
	}
	if room.ID != 67 || !room.Valid || !room.Muted || room.InOutNotification == nil || *room.InOutNotification ||
		room.OnlineUserCount != 12 || !reflect.DeepEqual(room.Delay, &DelayInfo{Policy: 2, Seconds: 60, Enabled: true, Status: 1, StartTime: 5}) {
		t.Errorf("room = %+v delay %+v", room, room.Delay)
	}

	_, err = e.c.Chatrooms.Get(context.Background(), 1)
	var apiErr *APIError
	if !IsNotFound(err) || !errors.As(err, &apiErr) || apiErr.Endpoint != "chatroom/get" {
		t.Errorf("err = %v, want a 404 *APIError", err)
	}
}

// The page's getBatch example has no valid, creator or ionotify: such an
// entry is read again with chatroom/get, never given invented values.
func TestChatroomGetBatchReplay(t *testing.T) {
	var gets atomic.Int32
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/chatroom/get.action") {
			gets.Add(1)
			testFormValues(t, r, map[string]string{"roomid": "6002", "needOnlineUserCount": "false"})
			writeJSON(w, `{"code":200,"chatroom":{"roomid":6002,"valid":false,"creator":"zhangsan","ionotify":false,`+
				`"name":"6002 chatroom","ext":"6002 ext","queuelevel":0,"muted":false}}`)
			return
		}
		testPath(t, r, "chatroom/getBatch")
		testFormValues(t, r, map[string]string{"roomids": `["6001","6002","6003"]`, "needOnlineUserCount": "false"})
		replay(t, w, "chatroom_getBatch.json")
	})
	res, err := e.c.Chatrooms.GetBatch(context.Background(), []int64{6001, 6002, 6003, 6002})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rooms) != 1 || res.Rooms[6002] == nil || res.Rooms[6002].Name != "6002 chatroom" || res.Rooms[6002].Ext != "6002 ext" {
		t.Errorf("rooms = %+v", res.Rooms)
	}
	if r := res.Rooms[6002]; r == nil || r.Creator != "zhangsan" || r.Valid || r.InOutNotification == nil || *r.InOutNotification || gets.Load() != 1 {
		t.Errorf("room 6002 %+v after %d gets: want chatroom/get's creator, valid and ionotify", r, gets.Load())
	}
	if !reflect.DeepEqual(res.NotFound, []int64{6001}) || !reflect.DeepEqual(res.Failed, []int64{6003}) {
		t.Errorf("notFound %v failed %v", res.NotFound, res.Failed)
	}
}

func TestChatroomGetBatchSplits(t *testing.T) {
	var mu sync.Mutex
	var chunks [][]int64
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		var strs []string
		if err := json.Unmarshal([]byte(r.PostForm.Get("roomids")), &strs); err != nil {
			t.Errorf("roomids %q: %v", r.PostForm.Get("roomids"), err)
		}
		var ids []int64
		var succ []string
		var noExist, fail []int64
		for _, s := range strs {
			id, _ := strconv.ParseInt(s, 10, 64)
			ids = append(ids, id)
			switch id % 3 {
			case 0:
				succ = append(succ, fmt.Sprintf(`{"roomid":%d,"name":"room %d","valid":true,"creator":"c","ionotify":true}`, id, id))
			case 1:
				noExist = append(noExist, id)
			default:
				fail = append(fail, id)
			}
		}
		mu.Lock()
		chunks = append(chunks, ids)
		mu.Unlock()
		ne, _ := json.Marshal(noExist)
		fl, _ := json.Marshal(fail)
		if noExist == nil {
			ne = []byte("[]")
		}
		if fail == nil {
			fl = []byte("[]")
		}
		writeJSON(w, fmt.Sprintf(`{"code":200,"succRooms":[%s],"noExistRooms":%s,"failRooms":%s}`, join(succ), ne, fl))
	})
	var ids []int64
	for i := int64(1); i <= 45; i++ {
		ids = append(ids, i)
	}
	res, err := e.c.Chatrooms.GetBatch(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) != 3 || len(chunks[0]) != 20 || len(chunks[1]) != 20 || len(chunks[2]) != 5 {
		t.Fatalf("chunks = %v, want 20+20+5", chunks)
	}
	var all []int64
	for _, c := range chunks {
		all = append(all, c...)
	}
	if !reflect.DeepEqual(all, ids) {
		t.Errorf("ids asked = %v", all)
	}
	if len(res.Rooms)+len(res.NotFound)+len(res.Failed) != 45 || len(res.Rooms) != 15 || len(res.NotFound) != 15 || len(res.Failed) != 15 {
		t.Errorf("merge: %d rooms, %d not found, %d failed", len(res.Rooms), len(res.NotFound), len(res.Failed))
	}
	for id, room := range res.Rooms {
		if id%3 != 0 || room.ID != id || room.Name != fmt.Sprintf("room %d", id) {
			t.Errorf("room %d = %+v", id, room)
		}
	}
	sort.Slice(res.NotFound, func(i, j int) bool { return res.NotFound[i] < res.NotFound[j] })
	if res.NotFound[0] != 1 || res.NotFound[14] != 43 {
		t.Errorf("notFound = %v", res.NotFound)
	}

	// No ids, no call.
	before := e.requests.Load()
	res, err = e.c.Chatrooms.GetBatch(context.Background(), nil)
	if err != nil || len(res.Rooms) != 0 || e.requests.Load() != before {
		t.Errorf("empty batch: %v %v", res, err)
	}
}

func join(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += ","
		}
		out += p
	}
	return out
}

func TestChatroomUpdateSendsOnlySetFields(t *testing.T) {
	var want map[string]string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "chatroom/update")
		testFormValues(t, r, want)
		writeJSON(w, `{"chatroom":{"roomid":66,"announcement":"x"},"code":200}`)
	})
	want = map[string]string{"roomid": "66", "name": "new", "needNotify": "false"}
	if err := e.c.Chatrooms.Update(context.Background(), &UpdateChatroomRequest{ID: 66, Name: ptr("new"), NeedNotify: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"roomid": "66", "name": "n", "announcement": "", "broadcasturl": "b", "ext": "e",
		"queuelevel": "0", "needNotify": "true", "notifyExt": "ne", "bid": "{}"}
	err := e.c.Chatrooms.Update(context.Background(), &UpdateChatroomRequest{ID: 66, Name: ptr("n"), Announcement: ptr(""),
		BroadcastURL: ptr("b"), Ext: ptr("e"), QueueLevel: ptr(0), NeedNotify: ptr(true), NotifyExt: ptr("ne"), Bid: ptr("{}")})
	if err != nil {
		t.Fatal(err)
	}
}

func TestChatroomToggles(t *testing.T) {
	type tc struct {
		name     string
		endpoint string
		form     map[string]string
		call     func(c *Client) error
	}
	cases := []tc{
		{"close", "chatroom/toggleCloseStat", map[string]string{"roomid": "66", "operator": "zhangsan", "valid": "false"},
			func(c *Client) error { return c.Chatrooms.SetOpen(context.Background(), 66, "zhangsan", false) }},
		{"open", "chatroom/toggleCloseStat", map[string]string{"roomid": "66", "operator": "zhangsan", "valid": "true"},
			func(c *Client) error { return c.Chatrooms.SetOpen(context.Background(), 66, "zhangsan", true) }},
		{"mute", "chatroom/muteRoom", map[string]string{"roomid": "4235", "operator": "zhangsan", "mute": "true"},
			func(c *Client) error { return c.Chatrooms.SetMuted(context.Background(), 4235, "zhangsan", true) }},
		{"unmute", "chatroom/muteRoom", map[string]string{"roomid": "4235", "operator": "zhangsan", "mute": "false"},
			func(c *Client) error { return c.Chatrooms.SetMuted(context.Background(), 4235, "zhangsan", false) }},
		{"notify on", "chatroom/updateInOutNotification", map[string]string{"roomid": "7", "close": "false"},
			func(c *Client) error { return c.Chatrooms.SetInOutNotification(context.Background(), 7, true) }},
		{"notify off", "chatroom/updateInOutNotification", map[string]string{"roomid": "7", "close": "true"},
			func(c *Client) error { return c.Chatrooms.SetInOutNotification(context.Background(), 7, false) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
				testPath(t, r, c.endpoint)
				testFormValues(t, r, c.form)
				replay(t, w, "chatroom_muteRoom.json")
			})
			if err := c.call(e.c); err != nil {
				t.Fatal(err)
			}
			if e.requests.Load() != 1 {
				t.Errorf("%d requests", e.requests.Load())
			}
		})
	}
}

// updateDelayClosePolicy sends the policy, and the seconds only for a timed
// one, and reads the room with its delayInfo from the answer's chatroom.
func TestChatroomUpdateDelayClosePolicy(t *testing.T) {
	for _, c := range []struct {
		policy  int
		seconds int64
		form    map[string]string
	}{
		{2, 600, map[string]string{"roomid": "66", "delayClosePolicy": "2", "delaySeconds": "600"}},
		{0, 600, map[string]string{"roomid": "66", "delayClosePolicy": "0"}},
	} {
		e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
			testPath(t, r, "chatroom/updateDelayClosePolicy")
			testFormValues(t, r, c.form)
			replay(t, w, "chatroom_updateDelayClosePolicy.json")
		})
		room, err := e.c.Chatrooms.UpdateDelayClosePolicy(context.Background(), 66, c.policy, c.seconds)
		if err != nil {
			t.Fatal(err)
		}
		want := DelayInfo{Policy: 2, Seconds: 600, Enabled: true, Status: 2, StartTime: 1710000000000}
		if room.ID != 66 || room.Delay == nil || *room.Delay != want {
			t.Errorf("room %+v, delay %+v", room, room.Delay)
		}
	}
}

func TestChatroomListIDsByCreator(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "chatroom/queryUserRoomIds")
		testFormValues(t, r, map[string]string{"creator": "xiaoming01"})
		replay(t, w, "chatroom_queryUserRoomIds.json")
	})
	ids, err := e.c.Chatrooms.ListIDsByCreator(context.Background(), "xiaoming01")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids, []int64{1015, 2016, 2017, 5062, 23037398}) {
		t.Errorf("ids = %v", ids)
	}
}

func TestChatroomSetMemberRole(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "chatroom/setMemberRole")
		testFormValues(t, r, map[string]string{"roomid": "16", "operator": "owner", "target": "zhangsan", "opt": "-1", "optvalue": "true", "notifyExt": "n"})
		replay(t, w, "chatroom_setMemberRole.json")
	})
	role, err := e.c.Chatrooms.SetMemberRole(context.Background(), &SetMemberRoleRequest{
		RoomID: 16, Operator: "owner", Target: "zhangsan", Opt: ChatroomRoleBlacklist, OptValue: true, NotifyExt: ptr("n")})
	if err != nil {
		t.Fatal(err)
	}
	if *role != (MemberRole{RoomID: 16, Accid: "zhangsan", Level: 10, Type: "COMMON"}) {
		t.Errorf("role = %+v", role)
	}
}

func TestChatroomMembersByPage(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "chatroom/membersByPage")
		testFormValues(t, r, map[string]string{"roomid": "4235", "type": "0", "endtime": "0", "limit": "20"})
		replay(t, w, "chatroom_membersByPage.json")
	})
	members, err := e.c.Chatrooms.MembersByPage(context.Background(), 4235, 0, 0, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 1 {
		t.Fatalf("members = %+v", members)
	}
	m := members[0]
	if m.RoomID != 111 || m.Accid != "abc" || m.Type != "MANAGER" || m.Level != 2 || !m.Online || m.EnterTime != 1487145487971 ||
		!m.Blacklisted || !m.Muted || !m.TempMuted || m.TempMuteTTL != 120 || !m.IsRobot || m.RobotExpireAt != 120 ||
		m.Avatar == "" || m.Ext != "ext" {
		t.Errorf("member = %+v", m)
	}
	if _, err := e.c.Chatrooms.MembersByPage(context.Background(), 1, 0, 0, 101); err == nil {
		t.Error("limit 101 accepted")
	}
}

func TestChatroomQueryMembers(t *testing.T) {
	var sizes []int
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "chatroom/queryMembers")
		_ = r.ParseForm()
		var accids []string
		if err := json.Unmarshal([]byte(r.PostForm.Get("accids")), &accids); err != nil {
			t.Error(err)
		}
		sizes = append(sizes, len(accids))
		if r.PostForm.Get("roomid") != "4235" {
			t.Errorf("roomid = %q", r.PostForm.Get("roomid"))
		}
		replay(t, w, "chatroom_queryMembers.json")
	})
	members, err := e.c.Chatrooms.QueryMembers(context.Background(), 4235, []string{"abc", "def"})
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 1 || members[0].Type != "CREATOR" || members[0].Nick != "cba" || !members[0].Online {
		t.Errorf("members = %+v", members)
	}
	many := make([]string, 450)
	for i := range many {
		many[i] = fmt.Sprint("u", i)
	}
	if _, err := e.c.Chatrooms.QueryMembers(context.Background(), 4235, many); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sizes, []int{2, 200, 200, 50}) {
		t.Errorf("call sizes = %v", sizes)
	}
}

func TestMemberTypeDecoding(t *testing.T) {
	for in, want := range map[string]string{`"MANAGER"`: "MANAGER", `0`: "COMMON", `1`: "CREATOR", `2`: "MANAGER",
		`3`: "TEMPORARY", `4`: "ANONYMOUS", `-1`: "LIMITED", `"2"`: "MANAGER", `null`: ""} {
		var m memberType
		if err := json.Unmarshal([]byte(in), &m); err != nil || string(m) != want {
			t.Errorf("%s → %q, %v; want %q", in, m, err, want)
		}
	}
}

// modeCase checks the mode of a method: with answers of code 500, a read or
// an idempotent write is retried and a write returns ErrOutcomeUnknown after
// one attempt.
func checkMode(t *testing.T, mode CallMode, call func(c *Client) error) {
	t.Helper()
	e := newEnv(t, scripted(t, `{"code":500,"desc":"internal"}`), WithMaxRetries(1))
	err := call(e.c)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 500 {
		t.Fatalf("err = %v, want APIError 500", err)
	}
	switch mode {
	case Read, Idempotent:
		if n := e.requests.Load(); n != 2 || errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("%s: %d requests, err %v; want 2 requests, no ErrOutcomeUnknown", mode, n, err)
		}
	case Write:
		if n := e.requests.Load(); n != 1 || !errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("write: %d requests, err %v; want 1 request, ErrOutcomeUnknown", n, err)
		}
	}
}

func TestChatroomModes(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		mode CallMode
		call func(c *Client) error
	}{
		"Create": {Write, func(c *Client) error {
			_, err := c.Chatrooms.Create(ctx, &CreateChatroomRequest{Creator: "a", Name: "b"})
			return err
		}},
		"Get":                  {Read, func(c *Client) error { _, err := c.Chatrooms.Get(ctx, 1); return err }},
		"GetBatch":             {Read, func(c *Client) error { _, err := c.Chatrooms.GetBatch(ctx, []int64{1}); return err }},
		"Update":               {Idempotent, func(c *Client) error { return c.Chatrooms.Update(ctx, &UpdateChatroomRequest{ID: 1}) }},
		"SetOpen":              {Idempotent, func(c *Client) error { return c.Chatrooms.SetOpen(ctx, 1, "a", true) }},
		"SetMuted":             {Idempotent, func(c *Client) error { return c.Chatrooms.SetMuted(ctx, 1, "a", true) }},
		"SetInOutNotification": {Idempotent, func(c *Client) error { return c.Chatrooms.SetInOutNotification(ctx, 1, true) }},
		"ListIDsByCreator":     {Read, func(c *Client) error { _, err := c.Chatrooms.ListIDsByCreator(ctx, "a"); return err }},
		"UpdateDelayClosePolicy": {Idempotent, func(c *Client) error {
			_, err := c.Chatrooms.UpdateDelayClosePolicy(ctx, 1, 1, 60)
			return err
		}},
		"SetMemberRole": {Idempotent, func(c *Client) error {
			_, err := c.Chatrooms.SetMemberRole(ctx, &SetMemberRoleRequest{RoomID: 1, Operator: "a", Target: "b", Opt: 1, OptValue: true})
			return err
		}},
		"MembersByPage": {Read, func(c *Client) error { _, err := c.Chatrooms.MembersByPage(ctx, 1, 0, 0, 10); return err }},
		"QueryMembers":  {Read, func(c *Client) error { _, err := c.Chatrooms.QueryMembers(ctx, 1, []string{"a"}); return err }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { checkMode(t, tc.mode, tc.call) })
	}
}

// toggleCloseStat answers 417 for a room already in the asked state, which is
// the goal reached (a repeat after a lost answer lands here too).
func TestSetOpenAlreadyInState(t *testing.T) {
	e := newEnv(t, scripted(t, `{"code":417,"desc":"already closed"}`))
	if err := e.c.Chatrooms.SetOpen(context.Background(), 66, "zhangsan", false); err != nil {
		t.Fatalf("SetOpen on a room already closed: %v", err)
	}
	e = newEnv(t, scripted(t, `{"code":403,"desc":"not the creator"}`))
	if err := e.c.Chatrooms.SetOpen(context.Background(), 66, "lisi", false); !IsForbidden(err) {
		t.Fatalf("SetOpen by another account: err = %v, want 403", err)
	}
}

package nimsim

import (
	"strings"
	"testing"
	"time"
)

func TestChatroomCreateValidation(t *testing.T) {
	_, cl := newTestServer(t, Config{})
	base := []string{"creator", "zhangsan", "name", "room"}
	with := func(kv ...string) []string {
		f := form(base...)
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "<del>" {
				f.Del(kv[i])
			} else {
				f.Set(kv[i], kv[i+1])
			}
		}
		var out []string
		for k, v := range f {
			out = append(out, k, v[0])
		}
		return out
	}
	bad := []struct {
		kv   []string
		desc string
	}{
		{with("creator", "<del>"), "missing creator"},
		{with("creator", strings.Repeat("c", 33)), "creator too long"},
		{with("name", "<del>"), "missing name"},
		{with("name", ""), "missing name"},
		{with("name", strings.Repeat("名", 129)), "name too long"},
		{with("announcement", strings.Repeat("a", 4097)), "announcement too long"},
		{with("broadcasturl", strings.Repeat("b", 1025)), "broadcasturl too long"},
		{with("ext", strings.Repeat("e", 4097)), "ext too long"},
		{with("queuelevel", "2"), "invalid queuelevel"},
		{with("queuelevel", "x"), "invalid queuelevel"},
		{with("bid", "textbid"), "invalid bid"},
		{with("bid", `["a"]`), "invalid bid"},
		{with("delayClosePolicy", "3"), "invalid delayClosePolicy"},
		{with("delayClosePolicy", "1"), "missing delaySeconds"},
		{with("delayClosePolicy", "2", "delaySeconds", "7201"), "invalid delaySeconds"},
		{with("delayClosePolicy", "1", "delaySeconds", "0"), "invalid delaySeconds"},
		{with("inOutNotification", "2"), "invalid inOutNotification"},
	}
	for _, tc := range bad {
		if d := cl.fails(414, "chatroom/create", tc.kv...); d != tc.desc {
			t.Errorf("%v: desc %q, want %q", tc.kv, d, tc.desc)
		}
	}
	// Limits are inclusive and count characters, not bytes.
	a := cl.ok("chatroom/create", with("creator", strings.Repeat("c", 32), "name", strings.Repeat("名", 128),
		"announcement", strings.Repeat("a", 4096), "delayClosePolicy", "2", "delaySeconds", "7200",
		"bid", `{"textbid":"1","picbid":""}`, "inOutNotification", "0", "queuelevel", "1")...)
	if a.num("chatroom.delayInfo.delaySeconds") != 7200 || a.num("chatroom.queuelevel") != 1 {
		t.Fatalf("create: %v", a)
	}
	g := cl.ok("chatroom/get", "roomid", id(a.num("chatroom.roomid")))
	if g.get("chatroom.ionotify") != false || g.get("chatroom.onlineusercount") != nil {
		t.Fatalf("get: %v", g)
	}
}

func TestChatroomLifecycle(t *testing.T) {
	sim, cl := newTestServer(t, Config{})
	r1 := cl.ok("chatroom/create", "creator", "zs", "name", "one", "ext", "e").num("chatroom.roomid")
	r2 := cl.ok("chatroom/create", "creator", "zs", "name", "two").num("chatroom.roomid")
	must(t, r2 > r1 && r1 > 1<<31, "room ids %d, %d", r1, r2)
	room := id(r1)

	cl.fails(404, "chatroom/get", "roomid", "12345")
	cl.fails(414, "chatroom/get", "roomid", "abc")
	cl.fails(414, "chatroom/get")
	cl.fails(414, "chatroom/get", "roomid", room, "needOnlineUserCount", "yes")
	g := cl.ok("chatroom/get", "roomid", room, "needOnlineUserCount", "true")
	must(t, g.num("chatroom.onlineusercount") == 0 && g.get("chatroom.muted") == false && g.get("chatroom.ionotify") == true, "get %v", g)

	// update merges what is given.
	u := cl.ok("chatroom/update", "roomid", room, "name", "uno", "announcement", "hi", "queuelevel", "1")
	must(t, u.str("chatroom.name") == "uno" && u.str("chatroom.announcement") == "hi" && u.str("chatroom.ext") == "e", "update %v", u)
	cl.fails(414, "chatroom/update", "roomid", room, "name", strings.Repeat("n", 129))
	cl.fails(414, "chatroom/update", "roomid", room, "name", "")
	cl.fails(414, "chatroom/update", "roomid", room, "notifyExt", strings.Repeat("n", 2049))
	cl.fails(404, "chatroom/update", "roomid", "1", "name", "x")

	// getBatch: ≤20 ids, strings or numbers; unknown ids as numbers.
	b := cl.ok("chatroom/getBatch", "roomids", `["`+room+`",`+id(r2)+`,"6001"]`)
	must(t, len(b.list("succRooms")) == 2 && b.num("noExistRooms.0") == 6001 && len(b.list("failRooms")) == 0, "getBatch %v", b)
	many := make([]any, 21)
	for i := range many {
		many[i] = i + 1
	}
	cl.fails(414, "chatroom/getBatch", "roomids", jsonList(many...))
	cl.fails(414, "chatroom/getBatch", "roomids", "[]")
	cl.fails(414, "chatroom/getBatch", "roomids", `["x"]`)

	// queryUserRoomIds: strings, open rooms only.
	q := cl.ok("chatroom/queryUserRoomIds", "creator", "zs")
	must(t, len(q.list("desc.roomids")) == 2 && q.str("desc.roomids.0") == room, "roomids %v", q)

	// Only the creator toggles; the same state again is a 417.
	cl.ok("chatroom/setMemberRole", "roomid", room, "operator", "zs", "target", "mgr", "opt", "1", "optvalue", "true")
	cl.fails(403, "chatroom/toggleCloseStat", "roomid", room, "operator", "mgr", "valid", "false")
	cl.fails(417, "chatroom/toggleCloseStat", "roomid", room, "operator", "zs", "valid", "true")
	tg := cl.ok("chatroom/toggleCloseStat", "roomid", room, "operator", "zs", "valid", "false")
	must(t, tg.get("desc.valid") == false, "toggle %v", tg)
	q = cl.ok("chatroom/queryUserRoomIds", "creator", "zs")
	must(t, len(q.list("desc.roomids")) == 1, "closed room still listed: %v", q)

	// A closed room: get works; update/setMemberRole/temporaryMute answer
	// 13002 (their code lists have it), muteRoom/sendMsg 403 (theirs do not).
	must(t, cl.ok("chatroom/get", "roomid", room).get("chatroom.valid") == false, "get closed")
	cl.fails(13002, "chatroom/update", "roomid", room, "name", "x")
	cl.fails(13002, "chatroom/setMemberRole", "roomid", room, "operator", "zs", "target", "t", "opt", "2", "optvalue", "true")
	cl.fails(13002, "chatroom/temporaryMute", "roomid", room, "operator", "zs", "target", "t", "muteDuration", "10")
	cl.fails(403, "chatroom/muteRoom", "roomid", room, "operator", "zs", "mute", "true")
	cl.fails(403, "chatroom/sendMsg", "roomid", room, "fromAccid", "zs", "msgType", "0", "msgId", "m1", "attach", "x")
	cl.ok("chatroom/updateInOutNotification", "roomid", room, "close", "true")
	cl.ok("chatroom/toggleCloseStat", "roomid", room, "operator", "zs", "valid", "true")
	cl.ok("chatroom/update", "roomid", room, "name", "reopened")

	o := sim.Objects().Chatrooms[0]
	must(t, o.Valid && !o.IONotify && o.Name == "reopened" && o.QueueLevel == 1 && o.Announcement == "hi", "objects %+v", o)
	cl.fails(414, "chatroom/updateInOutNotification", "roomid", room, "close", "1")
}

func TestChatroomRolesAndMutes(t *testing.T) {
	sim, cl := newTestServer(t, Config{})
	room := id(cl.ok("chatroom/create", "creator", "zs", "name", "r").num("chatroom.roomid"))
	set := func(op, target, opt, val string) answer {
		return cl.ok("chatroom/setMemberRole", "roomid", room, "operator", op, "target", target, "opt", opt, "optvalue", val)
	}
	fail := func(code int, op, target, opt, val string) {
		t.Helper()
		cl.fails(code, "chatroom/setMemberRole", "roomid", room, "operator", op, "target", target, "opt", opt, "optvalue", val)
	}
	a := set("zs", "m1", "1", "true")
	must(t, a.str("desc.type") == "MANAGER" && a.str("desc.accid") == "m1" && a.num("desc.roomid") > 0, "manager: %v", a)
	fail(403, "m1", "m2", "1", "true") // only the creator appoints managers
	must(t, set("m1", "c1", "2", "true").str("desc.type") == "COMMON", "common")
	fail(403, "c1", "c2", "2", "true")  // a common member cannot
	fail(403, "m1", "zs", "-2", "true") // nobody touches the creator
	fail(403, "zs", "zs", "2", "true")
	set("zs", "m2", "1", "true")
	fail(403, "m1", "m2", "-1", "true") // a manager cannot act on a manager
	must(t, set("m1", "c1", "-2", "true").str("desc.type") == "LIMITED", "muted common member is LIMITED")
	must(t, set("m1", "x1", "-1", "true").str("desc.type") == "LIMITED", "blacklisted")
	must(t, set("zs", "m2", "1", "false").str("desc.type") == "TEMPORARY", "manager removed")
	fail(414, "zs", "a", "3", "true")
	fail(414, "zs", "a", "1", "yes")
	cl.fails(414, "chatroom/setMemberRole", "roomid", room, "operator", "zs", "target", "a", "opt", "1")

	// muteRoom: creator or manager.
	cl.fails(403, "chatroom/muteRoom", "roomid", room, "operator", "c1", "mute", "true")
	must(t, cl.ok("chatroom/muteRoom", "roomid", room, "operator", "m1", "mute", "true").get("desc.success") == true, "mute")
	must(t, cl.ok("chatroom/get", "roomid", room).get("chatroom.muted") == true, "muted")
	cl.fails(403, "chatroom/sendMsg", "roomid", room, "fromAccid", "someone", "msgType", "0", "msgId", "m")
	s := cl.ok("chatroom/sendMsg", "roomid", room, "fromAccid", "m1", "msgType", "100", "msgId", "m", "attach", "hi", "highPriority", "true")
	must(t, s.str("desc.roomId") == room && s.str("desc.type") == "100" && s.num("desc.highPriorityFlag") == 1, "sendMsg %v", s)
	cl.fails(414, "chatroom/sendMsg", "roomid", room, "fromAccid", "m1", "msgType", "5", "msgId", "m")
	cl.fails(414, "chatroom/sendMsg", "roomid", room, "fromAccid", "m1", "msgType", "0", "msgId", "m", "attach", strings.Repeat("a", 4097))

	// temporaryMute: 0..2592000 s, 0 lifts.
	must(t, cl.ok("chatroom/temporaryMute", "roomid", room, "operator", "zs", "target", "t1", "muteDuration", "300").num("desc.muteDuration") == 300, "tempmute")
	cl.fails(414, "chatroom/temporaryMute", "roomid", room, "operator", "zs", "target", "t1", "muteDuration", "2592001")
	cl.fails(414, "chatroom/temporaryMute", "roomid", room, "operator", "zs", "target", "t1", "muteDuration", "-1")
	cl.fails(403, "chatroom/temporaryMute", "roomid", room, "operator", "c1", "target", "t1", "muteDuration", "10")
	o := sim.Objects().Chatrooms[0]
	var t1 *ChatroomMember
	for i := range o.Members {
		if o.Members[i].Accid == "t1" {
			t1 = &o.Members[i]
		}
	}
	must(t, t1 != nil && t1.TempMuteUntil > 0 && t1.Role == "", "t1 %+v", o.Members)

	// Fixed members: creator, m1 (manager), c1 (muted), x1 (blacklisted); not
	// m2 (role removed) nor t1 (temporary mute only).
	m := cl.ok("chatroom/membersByPage", "roomid", room, "type", "0", "endtime", "0", "limit", "100")
	types := map[string]string{}
	for _, it := range m.list("desc.data") {
		item := asAnswer(it)
		types[item.str("accid")] = item.str("type")
	}
	want := map[string]string{"zs": "CREATOR", "m1": "MANAGER", "c1": "LIMITED", "x1": "LIMITED"}
	must(t, len(types) == len(want), "fixed members %v", types)
	for k, v := range want {
		must(t, types[k] == v, "fixed members %v, want %v", types, want)
	}
	for _, typ := range []string{"1", "2"} {
		must(t, len(cl.ok("chatroom/membersByPage", "roomid", room, "type", typ, "endtime", "0", "limit", "10").list("desc.data")) == 0, "nobody is online")
	}
	cl.fails(414, "chatroom/membersByPage", "roomid", room, "type", "3", "endtime", "0", "limit", "10")
	cl.fails(414, "chatroom/membersByPage", "roomid", room, "type", "0", "endtime", "0", "limit", "101")
	cl.fails(414, "chatroom/membersByPage", "roomid", room, "type", "0", "endtime", "0", "limit", "0")

	q := cl.ok("chatroom/queryMembers", "roomid", room, "accids", `["zs","m1","nobody"]`)
	must(t, len(q.list("desc.data")) == 2 && q.num("desc.data.0.type") == 1 && q.num("desc.data.1.type") == 2, "queryMembers %v", q)
	many := make([]any, 201)
	for i := range many {
		many[i] = "a" + id(int64(i))
	}
	cl.fails(414, "chatroom/queryMembers", "roomid", room, "accids", jsonList(many...))
}

// membersByPage pages by endtime: following the last item's enterTime
// visits every fixed member exactly once, even with a frozen clock.
func TestChatroomMembersPaging(t *testing.T) {
	clk := newFakeClock()
	_, cl := newTestServer(t, Config{Now: clk.Now})
	room := id(cl.ok("chatroom/create", "creator", "zs", "name", "r").num("chatroom.roomid"))
	for i := 0; i < 30; i++ {
		cl.ok("chatroom/setMemberRole", "roomid", room, "operator", "zs", "target", "u"+id(int64(i)), "opt", "2", "optvalue", "true")
	}
	seen := map[string]int{}
	end := "0"
	for pages := 0; ; pages++ {
		must(t, pages < 10, "paging does not end")
		l := cl.ok("chatroom/membersByPage", "roomid", room, "type", "0", "endtime", end, "limit", "7").list("desc.data")
		for _, it := range l {
			seen[asAnswer(it).str("accid")]++
		}
		if len(l) < 7 {
			break
		}
		end = id(asAnswer(l[len(l)-1]).num("enterTime"))
	}
	must(t, len(seen) == 31, "saw %d members", len(seen))
	for k, n := range seen {
		must(t, n == 1, "%s seen %d times", k, n)
	}
}

func TestChatroomAccountRegistry(t *testing.T) {
	_, cl := newTestServer(t, Config{Accounts: []string{"zs", "ls"}})
	must(t, cl.fails(414, "chatroom/create", "creator", "ghost", "name", "r") == "owner not register", "creator")
	room := id(cl.ok("chatroom/create", "creator", "zs", "name", "r").num("chatroom.roomid"))
	must(t, cl.fails(414, "chatroom/setMemberRole", "roomid", room, "operator", "zs", "target", "ghost", "opt", "2", "optvalue", "true") == "target not register", "target")
	cl.fails(414, "chatroom/muteRoom", "roomid", room, "operator", "ghost", "mute", "true")
	cl.ok("chatroom/setMemberRole", "roomid", room, "operator", "zs", "target", "ls", "opt", "2", "optvalue", "true")
	cl.fails(414, "qchat/createServer", "accid", "ghost")
}

func TestChatroomDelayClose(t *testing.T) {
	clk := newFakeClock()
	sim, cl := newTestServer(t, Config{Now: clk.Now})
	fixed := id(cl.ok("chatroom/create", "creator", "zs", "name", "a", "delayClosePolicy", "1", "delaySeconds", "60").num("chatroom.roomid"))
	idle := id(cl.ok("chatroom/create", "creator", "zs", "name", "b", "delayClosePolicy", "2", "delaySeconds", "120").num("chatroom.roomid"))
	manual := id(cl.ok("chatroom/create", "creator", "zs", "name", "c", "delayClosePolicy", "1", "delaySeconds", "60").num("chatroom.roomid"))
	plain := cl.ok("chatroom/create", "creator", "zs", "name", "d")
	must(t, plain.get("chatroom.delayInfo") == nil, "delayInfo without a policy")
	cl.ok("chatroom/toggleCloseStat", "roomid", manual, "operator", "zs", "valid", "false")

	clk.Add(59 * time.Second)
	g := cl.ok("chatroom/get", "roomid", fixed)
	must(t, g.get("chatroom.valid") == true && g.num("chatroom.delayInfo.status") == 2, "before: %v", g)
	clk.Add(2 * time.Second)
	g = cl.ok("chatroom/get", "roomid", fixed)
	must(t, g.get("chatroom.valid") == false && g.num("chatroom.delayInfo.status") == 3, "after: %v", g)
	must(t, cl.ok("chatroom/get", "roomid", idle).get("chatroom.valid") == true, "idle room closed early")
	must(t, cl.ok("chatroom/get", "roomid", manual).num("chatroom.delayInfo.status") == 4, "manual close cancels the task")
	clk.Add(60 * time.Second)
	for _, r := range sim.Objects().Chatrooms {
		if r.Name == "b" {
			must(t, !r.Valid && r.DelayStatus == 3, "idle room: %+v", r)
		}
	}
}

package nimsim

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// delayKeys is the key set of delayInfo (003's create example and
// api-facts' updateDelayClosePolicy answer).
var delayKeys = []string{"delayCloseEnable", "delayClosePolicy", "delaySeconds", "startTime", "status"}

func checkDelayInfo(t *testing.T, a answer, prefix string, enable bool, policy, secs, status int64) {
	t.Helper()
	d, ok := a.get(prefix + ".delayInfo").(map[string]any)
	must(t, ok, "no %s.delayInfo object: %v", prefix, map[string]any(a))
	var keys []string
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	must(t, slices.Equal(keys, delayKeys), "delayInfo keys %v", keys)
	must(t, d["delayCloseEnable"] == enable && a.num(prefix+".delayInfo.delayClosePolicy") == policy &&
		a.num(prefix+".delayInfo.delaySeconds") == secs && a.num(prefix+".delayInfo.status") == status,
		"delayInfo %v, want enable %v policy %d seconds %d status %d", d, enable, policy, secs, status)
}

func TestUpdateDelayClosePolicy(t *testing.T) {
	clk := newFakeClock()
	sim, cl := newTestServer(t, Config{Now: clk.Now})
	room := id(cl.ok("chatroom/create", "creator", "zs", "name", "r").num("chatroom.roomid"))

	// Validation: each 414 names its parameter.
	for _, c := range []struct {
		kv   []string
		desc string
	}{
		{[]string{}, "missing roomid"},
		{[]string{"roomid", room}, "missing delayClosePolicy"},
		{[]string{"roomid", room, "delaySeconds", "60"}, "missing delayClosePolicy"},
		{[]string{"roomid", room, "delayClosePolicy", "3", "delaySeconds", "60"}, "invalid delayClosePolicy"},
		{[]string{"roomid", room, "delayClosePolicy", "x"}, "invalid delayClosePolicy"},
		{[]string{"roomid", room, "delayClosePolicy", "1"}, "missing delaySeconds"},
		{[]string{"roomid", room, "delayClosePolicy", "2", "delaySeconds", "0"}, "invalid delaySeconds"},
		{[]string{"roomid", room, "delayClosePolicy", "1", "delaySeconds", "7201"}, "invalid delaySeconds"},
		{[]string{"roomid", room, "delayClosePolicy", "0", "delaySeconds", "60"}, "invalid delaySeconds"},
		{[]string{"roomid", "x", "delayClosePolicy", "0"}, "invalid roomid"},
	} {
		must(t, cl.fails(414, "chatroom/updateDelayClosePolicy", c.kv...) == c.desc, "%v: want %q", c.kv, c.desc)
	}
	cl.fails(404, "chatroom/updateDelayClosePolicy", "roomid", "1", "delayClosePolicy", "0")
	must(t, cl.ok("chatroom/get", "roomid", room).get("chatroom.delayInfo") == nil, "a refused call changed the room")

	// Policy 1 on an open room starts waiting now; the answer is the room.
	a := cl.ok("chatroom/updateDelayClosePolicy", "roomid", room, "delayClosePolicy", "1", "delaySeconds", "60")
	must(t, a.str("chatroom.name") == "r" && a.get("chatroom.valid") == true, "answer: %v", map[string]any(a))
	checkDelayInfo(t, a, "chatroom", true, 1, 60, 2)
	must(t, a.num("chatroom.delayInfo.startTime") == clk.Now().UnixMilli(), "startTime")
	checkDelayInfo(t, cl.ok("chatroom/get", "roomid", room), "chatroom", true, 1, 60, 2)

	// Changing it restarts the wait from the change.
	clk.Add(50 * time.Second)
	checkDelayInfo(t, cl.ok("chatroom/updateDelayClosePolicy", "roomid", room, "delayClosePolicy", "2", "delaySeconds", "30"),
		"chatroom", true, 2, 30, 2)
	clk.Add(29 * time.Second)
	must(t, cl.ok("chatroom/get", "roomid", room).get("chatroom.valid") == true, "closed before the new deadline")
	clk.Add(2 * time.Second)
	g := cl.ok("chatroom/get", "roomid", room)
	must(t, g.get("chatroom.valid") == false, "not closed by its policy")
	checkDelayInfo(t, g, "chatroom", true, 2, 30, 3) // status 3: closed by its own policy

	// On a closed room: set up (status 1), started when reopened.
	checkDelayInfo(t, cl.ok("chatroom/updateDelayClosePolicy", "roomid", room, "delayClosePolicy", "1", "delaySeconds", "10"),
		"chatroom", true, 1, 10, 1)
	cl.ok("chatroom/toggleCloseStat", "roomid", room, "operator", "zs", "valid", "true")
	checkDelayInfo(t, cl.ok("chatroom/get", "roomid", room), "chatroom", true, 1, 10, 2)

	// Policy 0 cancels the task; delayInfo stays, disabled.
	a = cl.ok("chatroom/updateDelayClosePolicy", "roomid", room, "delayClosePolicy", "0")
	checkDelayInfo(t, a, "chatroom", false, 0, 0, 4)
	clk.Add(time.Hour)
	must(t, cl.ok("chatroom/get", "roomid", room).get("chatroom.valid") == true, "a cancelled task closed the room")
	a = cl.ok("chatroom/updateDelayClosePolicy", "roomid", room, "delayClosePolicy", "0", "delaySeconds", "0")
	checkDelayInfo(t, a, "chatroom", false, 0, 0, 4)

	// A room that never had a policy gets delayInfo from policy 0 on.
	other := id(cl.ok("chatroom/create", "creator", "zs", "name", "o").num("chatroom.roomid"))
	checkDelayInfo(t, cl.ok("chatroom/updateDelayClosePolicy", "roomid", other, "delayClosePolicy", "0"), "chatroom", false, 0, 0, 4)
	for _, r := range sim.Objects().Chatrooms {
		must(t, r.Valid, "room %d closed", r.RoomID)
	}
}

// TestDelayCloseClosedByPolicyOrByHand: get tells a room closed by its own
// policy (delayInfo.status 3) from one closed by hand (4, or no delayInfo
// when the room never had a policy), also after reopening and closing again.
func TestDelayCloseClosedByPolicyOrByHand(t *testing.T) {
	clk := newFakeClock()
	_, cl := newTestServer(t, Config{Now: clk.Now})
	room := id(cl.ok("chatroom/create", "creator", "zs", "name", "r", "delayClosePolicy", "1", "delaySeconds", "60").num("chatroom.roomid"))
	status := func() (bool, int64) {
		g := cl.ok("chatroom/get", "roomid", room)
		valid, ok := g.get("chatroom.valid").(bool)
		must(t, ok, "chatroom.valid is not a boolean: %v", g.get("chatroom.valid"))
		return valid, g.num("chatroom.delayInfo.status")
	}
	clk.Add(61 * time.Second)
	v, s := status()
	must(t, !v && s == 3, "closed by its policy: valid %v status %d", v, s)

	// Reopening restarts the room's own policy...
	a := cl.ok("chatroom/toggleCloseStat", "roomid", room, "operator", "zs", "valid", "true")
	checkDelayInfo(t, a, "desc", true, 1, 60, 2)
	must(t, a.num("desc.delayInfo.startTime") == clk.Now().UnixMilli(), "startTime not restarted")
	// ...so closing by hand now shows 4, not the earlier 3.
	cl.ok("chatroom/toggleCloseStat", "roomid", room, "operator", "zs", "valid", "false")
	v, s = status()
	must(t, !v && s == 4, "closed by hand: valid %v status %d", v, s)
	clk.Add(time.Hour)
	v, s = status()
	must(t, !v && s == 4, "a cancelled task ran: valid %v status %d", v, s)

	// Reopen, and let the policy close it again.
	cl.ok("chatroom/toggleCloseStat", "roomid", room, "operator", "zs", "valid", "true")
	clk.Add(61 * time.Second)
	v, s = status()
	must(t, !v && s == 3, "closed by its policy again: valid %v status %d", v, s)
}

// TestToggleCloseStatDelayParams: the optional delayClosePolicy and
// delaySeconds the vendor SDKs send are applied, never ignored.
func TestToggleCloseStatDelayParams(t *testing.T) {
	clk := newFakeClock()
	_, cl := newTestServer(t, Config{Now: clk.Now})
	room := id(cl.ok("chatroom/create", "creator", "zs", "name", "r").num("chatroom.roomid"))
	toggle := func(kv ...string) []string { return append([]string{"roomid", room, "operator", "zs"}, kv...) }

	for _, c := range []struct {
		kv   []string
		desc string
	}{
		{toggle("valid", "false", "delaySeconds", "60"), "missing delayClosePolicy"},
		{toggle("valid", "false", "delayClosePolicy", "1"), "missing delaySeconds"},
		{toggle("valid", "false", "delayClosePolicy", "9", "delaySeconds", "60"), "invalid delayClosePolicy"},
		{toggle("valid", "false", "delayClosePolicy", "2", "delaySeconds", "7201"), "invalid delaySeconds"},
		{toggle("valid", "false", "delayClosePolicy", "0", "delaySeconds", "5"), "invalid delaySeconds"},
	} {
		must(t, cl.fails(414, "chatroom/toggleCloseStat", c.kv...) == c.desc, "%v: want %q", c.kv, c.desc)
	}
	must(t, cl.ok("chatroom/get", "roomid", room).get("chatroom.valid") == true, "a refused toggle closed the room")

	// Closing with a timed policy sets it up for the next reopen.
	a := cl.ok("chatroom/toggleCloseStat", toggle("valid", "false", "delayClosePolicy", "1", "delaySeconds", "30")...)
	must(t, a.get("desc.valid") == false, "not closed: %v", map[string]any(a))
	checkDelayInfo(t, a, "desc", true, 1, 30, 1)
	clk.Add(time.Hour)
	// Reopening with another policy replaces it and starts it now.
	a = cl.ok("chatroom/toggleCloseStat", toggle("valid", "true", "delayClosePolicy", "2", "delaySeconds", "20")...)
	checkDelayInfo(t, a, "desc", true, 2, 20, 2)
	clk.Add(21 * time.Second)
	g := cl.ok("chatroom/get", "roomid", room)
	must(t, g.get("chatroom.valid") == false, "policy from toggleCloseStat did not run")
	checkDelayInfo(t, g, "chatroom", true, 2, 20, 3)
	// Reopening with policy 0 turns it off.
	checkDelayInfo(t, cl.ok("chatroom/toggleCloseStat", toggle("valid", "true", "delayClosePolicy", "0")...), "desc", false, 0, 0, 4)
	clk.Add(time.Hour)
	must(t, cl.ok("chatroom/get", "roomid", room).get("chatroom.valid") == true, "closed after policy 0")
	// A duplicate toggle is 417 even with delay parameters, and changes nothing.
	cl.fails(417, "chatroom/toggleCloseStat", toggle("valid", "true", "delayClosePolicy", "1", "delaySeconds", "5")...)
	checkDelayInfo(t, cl.ok("chatroom/get", "roomid", room), "chatroom", false, 0, 0, 4)
	// Empty values are absent ones: a plain close.
	a = cl.ok("chatroom/toggleCloseStat", toggle("valid", "false", "delayClosePolicy", "", "delaySeconds", "")...)
	must(t, a.get("desc.valid") == false, "not closed: %v", map[string]any(a))
	checkDelayInfo(t, a, "desc", false, 0, 0, 4)
}

// TestDelayCloseDisabled: Config.DelayCloseDisabled is an app without the
// feature (003's 13009).
func TestDelayCloseDisabled(t *testing.T) {
	_, cl := newTestServer(t, Config{DelayCloseDisabled: true})
	cl.fails(13009, "chatroom/create", "creator", "zs", "name", "r", "delayClosePolicy", "1", "delaySeconds", "60")
	room := id(cl.ok("chatroom/create", "creator", "zs", "name", "r", "delayClosePolicy", "0").num("chatroom.roomid"))
	desc := cl.fails(13009, "chatroom/updateDelayClosePolicy", "roomid", room, "delayClosePolicy", "0")
	must(t, strings.Contains(desc, "delay close"), "desc %q", desc)
	cl.fails(13009, "chatroom/updateDelayClosePolicy", "roomid", room, "delayClosePolicy", "2", "delaySeconds", "60")
	// Parameter errors still come first.
	must(t, cl.fails(414, "chatroom/updateDelayClosePolicy", "roomid", room) == "missing delayClosePolicy", "414 first")
	cl.fails(13009, "chatroom/toggleCloseStat", "roomid", room, "operator", "zs", "valid", "false", "delayClosePolicy", "1", "delaySeconds", "60")
	must(t, cl.ok("chatroom/get", "roomid", room).get("chatroom.valid") == true, "a refused toggle closed the room")
	cl.ok("chatroom/toggleCloseStat", "roomid", room, "operator", "zs", "valid", "false", "delayClosePolicy", "0")
	g := cl.ok("chatroom/get", "roomid", room)
	must(t, g.get("chatroom.valid") == false, "plain close refused")
	checkDelayInfo(t, g, "chatroom", false, 0, 0, 4)
}

// TestStringFormRaw pins the exact string form of the chatroom fields
// Config.JSONStringAnswers covers, as the bytes on the wire.
func TestStringFormRaw(t *testing.T) {
	clk := newFakeClock()
	_, cl := newTestServer(t, Config{JSONStringAnswers: true, Now: clk.Now})
	room := id(cl.ok("chatroom/create", "creator", "zs", "name", "r", "delayClosePolicy", "1", "delaySeconds", "60").num("chatroom.roomid"))
	cl.ok("chatroom/setMemberRole", "roomid", room, "operator", "zs", "target", "ls", "opt", "2", "optvalue", "true")
	raw := func(ep string, kv ...string) string {
		resp, b, err := cl.raw("POST", ep, form(kv...).Encode(), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", ep, err, resp)
		}
		return string(b)
	}
	for _, c := range []struct {
		ep   string
		kv   []string
		want []string
	}{
		{"chatroom/getBatch", []string{"roomids", jsonList(room, "1")},
			[]string{`"succRooms":"[{\"announcement\":null,`, `"noExistRooms":"[1]"`, `"failRooms":"[]"`}},
		{"chatroom/queryUserRoomIds", []string{"creator", "zs"}, []string{`"desc":{"roomids":"[\"` + room + `\"]"}`}},
		{"chatroom/membersByPage", []string{"roomid", room, "type", "0", "endtime", "0", "limit", "10"}, []string{`"desc":"{\"data\":[{`}},
		{"chatroom/queryMembers", []string{"roomid", room, "accids", `["ls"]`}, []string{`"desc":"{\"data\":[{`}},
		{"chatroom/get", []string{"roomid", room}, []string{`"chatroom":{`, `"delayInfo":"{\"delayCloseEnable\":true,`}},
		{"qchat/createServer", []string{"accid", "zs"}, []string{`"serverInfo":"{\"`}},
	} {
		got := raw(c.ep, c.kv...)
		for _, w := range c.want {
			must(t, strings.Contains(got, w), "%s: %s lacks %s", c.ep, got, w)
		}
	}
	// Default form: the same fields are arrays and objects.
	_, dcl := newTestServer(t, Config{})
	droom := id(dcl.ok("chatroom/create", "creator", "zs", "name", "r").num("chatroom.roomid"))
	_, b, _ := dcl.raw("POST", "chatroom/getBatch", form("roomids", jsonList(droom)).Encode(), nil)
	must(t, strings.Contains(string(b), `"succRooms":[{`) && strings.Contains(string(b), `"failRooms":[]`), "default form: %s", b)
}

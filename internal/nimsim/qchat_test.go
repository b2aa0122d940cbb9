package nimsim

import (
	"encoding/json"
	"strings"
	"testing"
)

// qworld: a server owned by "o" with members a, b, c and one channel.
type qworld struct {
	cl      *tclient
	sim     *Server
	srv, ch string
}

func newQWorld(t *testing.T, cfg Config) *qworld {
	sim, cl := newTestServer(t, cfg)
	w := &qworld{cl: cl, sim: sim}
	w.srv = id(cl.ok("qchat/createServer", "accid", "o", "name", "s").num("serverInfo.serverId"))
	for _, a := range []string{"a", "b", "c"} {
		cl.ok("qchat/applyServer", "accid", a, "serverId", w.srv)
	}
	w.ch = id(cl.ok("qchat/createChannel", "accid", "o", "serverId", w.srv, "type", "0", "name", "general").num("channelInfo.channelId"))
	return w
}

func (w *qworld) role(name string) string {
	return id(w.cl.ok("qchat/createServerIdentify", "accid", "o", "serverId", w.srv, "name", name).num("identify.roleId"))
}

func (w *qworld) everyone(t *testing.T) answer {
	t.Helper()
	l := w.cl.ok("qchat/getServerIdentifyPages", "accid", "o", "serverId", w.srv).list("identify")
	must(t, len(l) > 0, "no roles")
	e := asAnswer(l[0])
	must(t, e.num("type") == 1 && e.num("priority") == 0 && e.str("name") == "@everyone", "first role is not @everyone: %v", e)
	return e
}

func auths(t *testing.T, s string) map[string]int {
	t.Helper()
	var m map[string]int
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("auths %q is not a JSON object string: %v", s, err)
	}
	return m
}

func TestQChatServerBasics(t *testing.T) {
	w := newQWorld(t, Config{})
	cl := w.cl
	info := cl.ok("qchat/getServers", "serverIds", `["`+w.srv+`", 1]`).list("serverInfos")
	must(t, len(info) == 1, "getServers %v", info)
	s := asAnswer(info[0])
	must(t, s.num("memberNumber") == 4 && s.num("channelNumber") == 1 && s.str("owner") == "o", "server %v", s)

	e := w.everyone(t)
	a := auths(t, e.str("auths"))
	must(t, len(a) == 26 && a["4"] == 1 && a["1"] == -1, "default @everyone auths %v", a)
	must(t, e.num("membercount") == 4, "@everyone membercount %v", e)

	for _, kv := range [][]string{{"name", strings.Repeat("n", 65)}, {"icon", strings.Repeat("i", 1025)},
		{"custom", strings.Repeat("c", 1025)}, {"inviteMode", "2"}, {"applyMode", "x"}} {
		d := cl.fails(414, "qchat/createServer", "accid", "o", kv[0], kv[1])
		must(t, strings.Contains(d, kv[0]), "desc %q does not name %s", d, kv[0])
	}
	cl.fails(414, "qchat/createServer")
	cl.fails(403, "qchat/updateServer", "accid", "a", "serverId", w.srv, "name", "x")
	cl.fails(403, "qchat/updateServer", "accid", "stranger", "serverId", w.srv, "name", "x")
	cl.fails(404, "qchat/updateServer", "accid", "o", "serverId", "77", "name", "x")
	u := cl.ok("qchat/updateServer", "accid", "o", "serverId", w.srv, "name", "renamed", "applyMode", "1")
	must(t, u.str("serverInfo.name") == "renamed" && u.num("serverInfo.applyMode") == 1 && u.str("serverInfo.icon") == "", "update %v", u)
	many := make([]any, 201)
	cl.fails(414, "qchat/getServers", "serverIds", jsonList(many...))
	cl.fails(403, "qchat/removeServer", "accid", "a", "serverId", w.srv)
}

func TestQChatEveryoneRules(t *testing.T) {
	w := newQWorld(t, Config{})
	cl := w.cl
	eid := id(w.everyone(t).num("roleId"))
	cl.fails(403, "qchat/removeServerIdentify", "accid", "o", "serverId", w.srv, "roleId", eid)
	for _, kv := range [][]string{{"name", "x"}, {"icon", "x"}, {"ext", "x"}} {
		cl.fails(403, "qchat/updateServerIdentify", "accid", "o", "serverId", w.srv, "roleId", eid, kv[0], kv[1])
	}
	// A member who may manage roles still may not change @everyone.
	admin := w.role("admin")
	cl.ok("qchat/updateServerIdentify", "accid", "o", "serverId", w.srv, "roleId", admin, "auths", `{"3":1}`)
	cl.ok("qchat/createServerIdentifyMember", "accid", "o", "serverId", w.srv, "roleId", admin, "faccids", `["a"]`)
	cl.fails(403, "qchat/updateServerIdentify", "accid", "a", "serverId", w.srv, "roleId", eid, "auths", `{"4":-1}`)
	cl.ok("qchat/createServerIdentify", "accid", "a", "serverId", w.srv, "name", "made-by-a")
	// The owner may; keys merge.
	u := cl.ok("qchat/updateServerIdentify", "accid", "o", "serverId", w.srv, "roleId", eid, "auths", `{"4":-1,"13":1}`)
	a := auths(t, u.str("identify.auths"))
	must(t, a["4"] == -1 && a["13"] == 1 && a["5"] == 1 && len(a) == 26, "merged auths %v", a)
	// New custom roles start from @everyone's current auths.
	n := cl.ok("qchat/createServerIdentify", "accid", "o", "serverId", w.srv, "name", "new")
	na := auths(t, n.str("identify.auths"))
	must(t, na["4"] == -1 && na["13"] == 1 && n.num("identify.type") == 2, "new role %v", na)
	cl.fails(403, "qchat/createServerIdentifyMember", "accid", "o", "serverId", w.srv, "roleId", eid, "faccids", `["b"]`)
}

func TestQChatAuthsValidation(t *testing.T) {
	w := newQWorld(t, Config{})
	cl := w.cl
	r := w.role("r")
	// Keys only as the documents write them: "01", "+1", " 1" would be other
	// spellings of key 1 (with two in one object, the value kept would
	// depend on map order).
	srvBad := []string{`{"27":1}`, `{"0":1}`, `{"x":1}`, `{"1":0}`, `{"1":2}`, `{"1":"1"}`, `[1]`, `1`, `{"1":1`,
		`{"01":1}`, `{"+1":1}`, `{" 1":1}`, `{"1":1,"01":-1}`}
	for _, v := range srvBad {
		d := cl.fails(414, "qchat/updateServerIdentify", "accid", "o", "serverId", w.srv, "roleId", r, "auths", v)
		must(t, strings.Contains(d, "auths"), "desc %q for %s", d, v)
	}
	// With several bad keys, the one reported does not depend on map order.
	for i := 0; i < 20; i++ {
		d := cl.fails(414, "qchat/updateServerIdentify", "accid", "o", "serverId", w.srv, "roleId", r, "auths", `{"99":1,"98":1,"97":1,"96":1}`)
		must(t, d == `invalid auths key "96"`, "desc %q", d)
	}
	cl.ok("qchat/updateServerIdentify", "accid", "o", "serverId", w.srv, "roleId", r, "auths", `{"26":1,"15":-1}`)
	cr := id(cl.ok("qchat/createChannelIdentify", "accid", "o", "serverId", w.srv, "serverRoleId", r, "channelId", w.ch).num("identify.roleId"))
	for _, v := range []string{`{"1":1}`, `{"14":1}`, `{"4":2}`, `{}x`} {
		cl.fails(414, "qchat/updateChannelIdentify", "accid", "o", "serverId", w.srv, "roleId", cr, "channelId", w.ch, "auths", v)
	}
	cl.fails(414, "qchat/updateChannelIdentify", "accid", "o", "serverId", w.srv, "roleId", cr, "channelId", w.ch)
	cl.ok("qchat/updateChannelIdentify", "accid", "o", "serverId", w.srv, "roleId", cr, "channelId", w.ch, "auths", `{"4":-1,"13":1}`)
	u := cl.ok("qchat/updateChannelIdentify", "accid", "o", "serverId", w.srv, "roleId", cr, "channelId", w.ch, "auths", `{"13":0,"2":1}`)
	a := auths(t, u.str("identify.auths"))
	must(t, a["4"] == -1 && a["13"] == 0 && a["2"] == 1 && len(a) == len(channelPermKeys), "channel role auths %v", a)
	// RTC keys are channel-scoped too; server-only keys are not.
	u = cl.ok("qchat/updateChannelIdentify", "accid", "o", "serverId", w.srv, "roleId", cr, "channelId", w.ch, "auths", `{"15":-1,"24":1}`)
	a = auths(t, u.str("identify.auths"))
	must(t, a["15"] == -1 && a["24"] == 1, "channel role rtc auths %v", a)
	cl.fails(414, "qchat/updateChannelIdentify", "accid", "o", "serverId", w.srv, "roleId", cr, "channelId", w.ch, "auths", `{"25":1}`)
	must(t, u.str("identify.name") == "r" && u.num("identify.type") == 2, "channel role carries the server role's name: %v", u)
	cl.fails(417, "qchat/createChannelIdentify", "accid", "o", "serverId", w.srv, "serverRoleId", r, "channelId", w.ch)
	// A server role id is not a channel role id.
	cl.fails(404, "qchat/updateChannelIdentify", "accid", "o", "serverId", w.srv, "roleId", r, "channelId", w.ch, "auths", `{"4":1}`)
}

func TestQChatRoleLimitsAndPriority(t *testing.T) {
	w := newQWorld(t, Config{MaxRoles: 3})
	cl := w.cl
	cl.ok("qchat/createServerIdentify", "accid", "o", "serverId", w.srv, "name", "p5", "priority", "5")
	d := cl.fails(414, "qchat/createServerIdentify", "accid", "o", "serverId", w.srv, "name", "dup", "priority", "5")
	must(t, strings.Contains(d, "priority"), "desc %q", d)
	must(t, cl.ok("qchat/createServerIdentify", "accid", "o", "serverId", w.srv, "name", "next").num("identify.priority") == 6, "default priority")
	cl.fails(414, "qchat/createServerIdentify", "accid", "o", "serverId", w.srv, "name", "t", "type", "1")
	cl.fails(414, "qchat/createServerIdentify", "accid", "o", "serverId", w.srv, "name", "z", "priority", "0")
	cl.fails(414, "qchat/createServerIdentify", "accid", "o", "serverId", w.srv)
	w.role("third")
	cl.fails(419, "qchat/createServerIdentify", "accid", "o", "serverId", w.srv, "name", "fourth")
	cl.fails(403, "qchat/createServerIdentify", "accid", "a", "serverId", w.srv, "name", "x")
}

// walk follows nextTimetag and returns how often each id was seen.
func walk(t *testing.T, cl *tclient, ep, listKey, idKey string, kv ...string) map[int64]int {
	t.Helper()
	seen := map[int64]int{}
	tt := "0"
	for pages := 0; ; pages++ {
		must(t, pages < 20, "%s: paging does not end", ep)
		a := cl.ok(ep, append(kv, "timetag", tt, "limit", "200")...)
		l := a.list(listKey)
		must(t, len(l) <= 200, "page of %d", len(l))
		for _, it := range l {
			seen[asAnswer(it).num(idKey)]++
		}
		if a.get("pageInfo.hasMore") != true {
			break
		}
		tt = id(a.num("pageInfo.nextTimetag"))
	}
	for k, n := range seen {
		must(t, n == 1, "%s: %d seen %d times", ep, k, n)
	}
	return seen
}

// 450 objects of each kind, all created at the same instant (frozen clock),
// are each seen exactly once by a client that follows nextTimetag.
func TestQChatPaging450(t *testing.T) {
	clk := newFakeClock()
	sim, cl := newTestServer(t, Config{Now: clk.Now, MaxRoles: 500})
	const n = 450
	var srv string
	for i := 0; i < n; i++ {
		s := id(cl.ok("qchat/createServer", "accid", "o").num("serverInfo.serverId"))
		if i == 0 {
			srv = s
		}
	}
	must(t, len(walk(t, cl, "qchat/getServerListPage", "serverInfos", "serverId", "accid", "o")) == n, "servers")
	for i := 0; i < n-1; i++ {
		cl.ok("qchat/applyServer", "accid", "u"+id(int64(i)), "serverId", srv)
	}
	members := walk(t, cl, "qchat/getServerMemberListPage", "serverMembers", "joinTime", "serverId", srv)
	must(t, len(members) == n, "members %d", len(members))
	var ch string
	for i := 0; i < n; i++ {
		ch = id(cl.ok("qchat/createChannel", "accid", "o", "serverId", srv, "type", "100").num("channelInfo.channelId"))
	}
	must(t, len(walk(t, cl, "qchat/getChannelListPage", "channelInfos", "channelId", "serverId", srv)) == n, "channels")
	must(t, len(walk(t, cl, "qchat/getChannelMemberListPage", "members", "joinTime", "serverId", srv, "channelId", ch)) == n, "channel members")

	// Server roles page by priority; @everyone comes first on the first page only.
	for i := 0; i < n; i++ {
		cl.ok("qchat/createServerIdentify", "accid", "o", "serverId", srv, "name", "r")
	}
	seen := map[int64]int{}
	prio, everyone := "0", 0
	for pages := 0; ; pages++ {
		must(t, pages < 10, "role paging does not end")
		l := cl.ok("qchat/getServerIdentifyPages", "accid", "o", "serverId", srv, "priority", prio, "limit", "200").list("identify")
		custom := 0
		for _, it := range l {
			r := asAnswer(it)
			if r.num("type") == 1 {
				everyone++
				continue
			}
			custom++
			seen[r.num("roleId")]++
			prio = id(r.num("priority"))
		}
		if custom < 200 {
			break
		}
	}
	must(t, everyone == 1 && len(seen) == n, "@everyone %d times, %d custom roles", everyone, len(seen))
	for k, c := range seen {
		must(t, c == 1, "role %d seen %d times", k, c)
	}

	// Channel roles page by createtime (no pageInfo: the last item anchors).
	var roleIDs []int64
	for _, r := range sim.Objects().QChatServerRoles {
		if r.ServerID == toInt(jsonNumber(srv)) {
			roleIDs = append(roleIDs, r.RoleID)
		}
	}
	for _, r := range roleIDs {
		cl.ok("qchat/createChannelIdentify", "accid", "o", "serverId", srv, "serverRoleId", id(r), "channelId", ch)
	}
	seen, everyone = map[int64]int{}, 0
	tt := "0"
	for pages := 0; ; pages++ {
		must(t, pages < 10, "channel role paging does not end")
		l := cl.ok("qchat/getChannelIdentifyPages", "accid", "o", "serverId", srv, "channelId", ch, "timetag", tt, "limit", "200").list("identifies")
		custom := 0
		for _, it := range l {
			r := asAnswer(it)
			if r.num("type") == 1 {
				everyone++
				continue
			}
			custom++
			seen[r.num("roleId")]++
			tt = id(r.num("createtime"))
		}
		if custom < 200 {
			break
		}
	}
	must(t, everyone == 1 && len(seen) == n, "@everyone %d times, %d channel roles", everyone, len(seen))
	for _, ep := range []string{"qchat/getServerListPage", "qchat/getServerMemberListPage"} {
		cl.fails(414, ep, "accid", "o", "serverId", srv, "limit", "201")
		cl.fails(414, ep, "accid", "o", "serverId", srv, "limit", "0")
	}
}

func jsonNumber(s string) json.Number { return json.Number(s) }

func TestQChatPermissions(t *testing.T) {
	w := newQWorld(t, Config{})
	cl := w.cl
	// Defaults: members may invite (6) but not manage channels (2).
	cl.ok("qchat/inviteServerMember", "accid", "a", "serverId", w.srv, "invitedAccids", `["x"]`)
	cl.fails(403, "qchat/createChannel", "accid", "a", "serverId", w.srv, "type", "0")
	cl.fails(403, "qchat/createChannel", "accid", "stranger", "serverId", w.srv, "type", "0")
	// A role grants it.
	mod := w.role("mod")
	cl.ok("qchat/updateServerIdentify", "accid", "o", "serverId", w.srv, "roleId", mod, "auths", `{"2":1}`)
	cl.ok("qchat/createServerIdentifyMember", "accid", "o", "serverId", w.srv, "roleId", mod, "faccids", `["a","stranger"]`)
	ch := id(cl.ok("qchat/createChannel", "accid", "a", "serverId", w.srv, "type", "0").num("channelInfo.channelId"))
	cl.ok("qchat/updateChannel", "accid", "a", "channelId", ch, "topic", "t")
	// A channel-level user override denies it in that channel only.
	cl.ok("qchat/createUserIdentify", "accid", "o", "serverId", w.srv, "channelId", ch, "faccid", "a")
	cl.ok("qchat/updateUserIdentify", "accid", "o", "serverId", w.srv, "channelId", ch, "faccid", "a", "auths", `{"2":-1}`)
	cl.fails(403, "qchat/updateChannel", "accid", "a", "channelId", ch, "topic", "t2")
	cl.ok("qchat/updateChannel", "accid", "a", "channelId", w.ch, "topic", "t2")
	// A channel role deny applies to the role's holders, an override allow wins.
	cr := id(cl.ok("qchat/createChannelIdentify", "accid", "o", "serverId", w.srv, "serverRoleId", mod, "channelId", w.ch).num("identify.roleId"))
	cl.ok("qchat/updateChannelIdentify", "accid", "o", "serverId", w.srv, "roleId", cr, "channelId", w.ch, "auths", `{"2":-1}`)
	cl.fails(403, "qchat/updateChannel", "accid", "a", "channelId", w.ch, "topic", "t3")
	cl.ok("qchat/createUserIdentify", "accid", "o", "serverId", w.srv, "channelId", w.ch, "faccid", "a")
	cl.ok("qchat/updateUserIdentify", "accid", "o", "serverId", w.srv, "channelId", w.ch, "faccid", "a", "auths", `{"2":1}`)
	cl.ok("qchat/updateChannel", "accid", "a", "channelId", w.ch, "topic", "t3")
	cl.fails(417, "qchat/createUserIdentify", "accid", "o", "serverId", w.srv, "channelId", w.ch, "faccid", "a")
	cl.fails(404, "qchat/createUserIdentify", "accid", "o", "serverId", w.srv, "channelId", w.ch, "faccid", "stranger")
	// The owner is never refused; a channel of another server is a 404.
	other := id(cl.ok("qchat/createServer", "accid", "o").num("serverInfo.serverId"))
	cl.fails(404, "qchat/createChannelIdentify", "accid", "o", "serverId", other, "serverRoleId", mod, "channelId", w.ch)
	cl.fails(404, "qchat/getChannelMemberListPage", "serverId", other, "channelId", w.ch)
	cl.fails(404, "qchat/removeChannel", "accid", "o", "channelId", "1")
	cl.fails(414, "qchat/createChannel", "accid", "o", "serverId", w.srv)
	cl.fails(414, "qchat/createChannel", "accid", "o", "serverId", w.srv, "type", "1")
	cl.fails(414, "qchat/createChannel", "accid", "o", "serverId", w.srv, "type", "0", "viewMode", "2")
	cl.fails(414, "qchat/createChannel", "accid", "o", "serverId", w.srv, "type", "0", "topic", strings.Repeat("t", 65))
}

func TestQChatMembership(t *testing.T) {
	w := newQWorld(t, Config{})
	cl := w.cl
	// inviteMode 0: invitations wait.
	cl.ok("qchat/inviteServerMember", "accid", "o", "serverId", w.srv, "invitedAccids", `["i1","i2","a"]`, "msg", "hi")
	cl.ok("qchat/acceptServerInvite", "accid", "i1", "serverId", w.srv, "inviteAccid", "o")
	cl.ok("qchat/rejectServerInvite", "accid", "i2", "serverId", w.srv, "inviteAccid", "o", "msg", "no")
	cl.fails(404, "qchat/acceptServerInvite", "accid", "i2", "serverId", w.srv, "inviteAccid", "o")
	cl.fails(414, "qchat/inviteServerMember", "accid", "o", "serverId", w.srv, "invitedAccids", `["x"]`, "msg", strings.Repeat("m", 151))
	m := cl.ok("qchat/getServerMembers", "serverIdAccids", jsonList(w.srv+"|i1", w.srv+"|i2", "1|o"))
	must(t, len(m.list("serverMembers")) == 1 && m.str("serverMembers.0.inviter") == "o", "members %v", m)
	cl.fails(414, "qchat/getServerMembers", "serverIdAccids", `["nopipe"]`)
	// inviteMode 1: joined at once.
	cl.ok("qchat/updateServer", "accid", "o", "serverId", w.srv, "inviteMode", "1", "applyMode", "1")
	cl.ok("qchat/inviteServerMember", "accid", "o", "serverId", w.srv, "invitedAccids", `["i3"]`)
	// applyMode 1: applications wait; handling them needs permission 25.
	cl.ok("qchat/applyServer", "accid", "p1", "serverId", w.srv)
	cl.fails(417, "qchat/applyServer", "accid", "a", "serverId", w.srv)
	cl.fails(403, "qchat/acceptServerApply", "accid", "a", "serverId", w.srv, "applyAccid", "p1")
	cl.ok("qchat/acceptServerApply", "accid", "o", "serverId", w.srv, "applyAccid", "p1")
	cl.fails(404, "qchat/rejectServerApply", "accid", "o", "serverId", w.srv, "applyAccid", "p1")
	objs := w.sim.Objects()
	joined := map[string]bool{}
	for _, m := range objs.QChatServerMembers {
		joined[m.Accid] = true
	}
	must(t, joined["i1"] && !joined["i2"] && joined["i3"] && joined["p1"] && len(objs.QChatInvites) == 0 && len(objs.QChatApplies) == 0, "joined %v", joined)

	// Member info.
	u := cl.ok("qchat/updateServerMember", "accid", "a", "serverId", w.srv, "nick", "A", "custom", "c")
	must(t, u.str("serverMember.nick") == "A" && u.str("serverMember.custom") == "c", "self update %v", u)
	cl.fails(414, "qchat/updateServerMember", "accid", "a", "serverId", w.srv, "nick", strings.Repeat("n", 65))
	cl.fails(403, "qchat/updateOtherServerMember", "accid", "a", "serverId", w.srv, "otherAccid", "b", "nick", "B")
	cl.ok("qchat/updateOtherServerMember", "accid", "o", "serverId", w.srv, "otherAccid", "b", "nick", "B")
	cl.fails(404, "qchat/updateOtherServerMember", "accid", "o", "serverId", w.srv, "otherAccid", "ghost", "nick", "B")

	// Leaving and kicking drop role memberships and overrides.
	r := w.role("r")
	cl.ok("qchat/createServerIdentifyMember", "accid", "o", "serverId", w.srv, "roleId", r, "faccids", `["a","b"]`)
	cl.ok("qchat/createUserIdentify", "accid", "o", "serverId", w.srv, "channelId", w.ch, "faccid", "b")
	cl.fails(403, "qchat/leaveServer", "accid", "o", "serverId", w.srv)
	cl.fails(403, "qchat/kickServerMember", "accid", "a", "serverId", w.srv, "kickedAccids", `["b"]`)
	cl.fails(403, "qchat/kickServerMember", "accid", "o", "serverId", w.srv, "kickedAccids", `["b","o"]`)
	cl.ok("qchat/kickServerMember", "accid", "o", "serverId", w.srv, "kickedAccids", `["b","nobody"]`)
	cl.ok("qchat/leaveServer", "accid", "a", "serverId", w.srv)
	cl.fails(403, "qchat/leaveServer", "accid", "a", "serverId", w.srv)
	objs = w.sim.Objects()
	must(t, len(objs.QChatRoleMembers) == 0 && len(objs.QChatUserOverrides) == 0, "left-over memberships %+v", objs.QChatRoleMembers)
}

func TestQChatRoleMembers(t *testing.T) {
	w := newQWorld(t, Config{})
	cl := w.cl
	r := w.role("r")
	c := cl.ok("qchat/createServerIdentifyMember", "accid", "o", "serverId", w.srv, "roleId", r, "faccids", `["a","b","ghost"]`)
	must(t, len(c.list("successAccids")) == 2 && c.str("failAccids.0") == "ghost", "add %v", c)
	m := cl.ok("qchat/getServerIdentifyMemberPages", "accid", "o", "serverId", w.srv, "roleId", r, "limit", "1")
	must(t, len(m.list("serverMembers")) == 1 && m.str("serverMembers.0.accid") == "b", "newest first: %v", m)
	u := cl.ok("qchat/getUserServerIdentify", "accid", "c", "serverId", w.srv, "faccid", "a")
	must(t, len(u.list("serverIdentifies")) == 1 && u.num("serverIdentifies.0.ismember") == 0, "a's roles seen by c: %v", u)
	p := cl.ok("qchat/getServerIdentifyPages", "accid", "a", "serverId", w.srv)
	must(t, p.num("identify.1.ismember") == 1 && p.num("identify.1.membercount") == 2, "pages %v", p)
	d := cl.ok("qchat/deleteServerIdentifyMember", "accid", "o", "serverId", w.srv, "roleId", r, "faccids", `["a","c"]`)
	must(t, d.str("successAccids.0") == "a" && d.str("failAccids.0") == "c", "delete %v", d)
	cl.fails(403, "qchat/getServerIdentifyPages", "accid", "ghost", "serverId", w.srv)
}

func TestQChatWhiteBlackLists(t *testing.T) {
	w := newQWorld(t, Config{MaxRoles: 30})
	cl := w.cl
	list := func(typ, op string, kv ...string) {
		t.Helper()
		cl.ok("qchat/updateWhiteBlackIdentifyUser", append([]string{"accid", "o", "serverId", w.srv, "channelId", w.ch, "type", typ, "opeType", op}, kv...)...)
	}
	visible := func(accid string) bool {
		for _, it := range cl.ok("qchat/getChannelListPage", "serverId", w.srv, "accid", accid).list("channelInfos") {
			if id(asAnswer(it).num("channelId")) == w.ch {
				return true
			}
		}
		return false
	}
	// Public channel: the blacklist hides it.
	list("2", "1", "toAccids", `["a"]`)
	must(t, !visible("a") && visible("b"), "blacklist")
	cl.fails(403, "qchat/getChannelMemberListPage", "serverId", w.srv, "channelId", w.ch, "accid", "a")
	// Private channel: only the whitelist (users or roles) sees it.
	cl.ok("qchat/updateChannel", "accid", "o", "channelId", w.ch, "viewMode", "1")
	must(t, !visible("a") && !visible("b") && visible("o"), "private")
	list("1", "1", "toAccids", `["b"]`)
	r := w.role("seers")
	cl.ok("qchat/createServerIdentifyMember", "accid", "o", "serverId", w.srv, "roleId", r, "faccids", `["c"]`)
	cl.ok("qchat/updateWhiteBlackIdentify", "accid", "o", "serverId", w.srv, "channelId", w.ch, "type", "1", "opeType", "1", "roleid", r)
	must(t, visible("b") && visible("c") && !visible("a"), "whitelist")
	mem := cl.ok("qchat/getChannelMemberListPage", "serverId", w.srv, "channelId", w.ch).list("members")
	must(t, len(mem) == 3, "channel members %v", mem) // o, b, c
	q := cl.ok("qchat/queryWhiteBlackIdentify", "serverId", w.srv, "channelId", w.ch, "type", "1", "accid", "b")
	must(t, len(q.list("identifies")) == 1 && q.get("pageInfo.hasMore") == false, "query %v", q)
	bu := cl.ok("qchat/batchGetWhiteBlackIdentifyUser", "serverId", w.srv, "channelId", w.ch, "type", "1", "accids", `["a","b"]`)
	must(t, len(bu.list("members")) == 1, "batch %v", bu)
	// Removing the role removes its list entry.
	cl.ok("qchat/removeServerIdentify", "accid", "o", "serverId", w.srv, "roleId", r)
	must(t, !visible("c"), "removed role still whitelists")
	// Rights and limits.
	cl.fails(403, "qchat/updateWhiteBlackIdentifyUser", "accid", "b", "serverId", w.srv, "channelId", w.ch, "type", "1", "opeType", "1", "toAccids", `["c"]`)
	cl.fails(414, "qchat/updateWhiteBlackIdentifyUser", "accid", "o", "serverId", w.srv, "channelId", w.ch, "type", "1", "opeType", "1", "toAccids", `["ghost"]`)
	cl.fails(414, "qchat/updateWhiteBlackIdentifyUser", "accid", "o", "serverId", w.srv, "channelId", w.ch, "type", "3", "opeType", "1", "toAccids", `["c"]`)
	cl.fails(414, "qchat/updateWhiteBlackIdentifyUser", "accid", "o", "serverId", w.srv, "channelId", w.ch, "type", "1", "opeType", "0", "toAccids", `["c"]`)
	for i := 0; i < 20; i++ {
		cl.ok("qchat/updateWhiteBlackIdentify", "accid", "o", "serverId", w.srv, "channelId", w.ch, "type", "2", "opeType", "1", "roleid", w.role("r"+id(int64(i))))
	}
	cl.fails(419, "qchat/updateWhiteBlackIdentify", "accid", "o", "serverId", w.srv, "channelId", w.ch, "type", "2", "opeType", "1", "roleid", w.role("r21"))
	list("2", "2", "toAccids", `["a"]`) // the blacklist now starts empty
	var accs []any
	for i := 0; i < 1000; i++ {
		a := "m" + id(int64(i))
		accs = append(accs, a)
		cl.ok("qchat/applyServer", "accid", a, "serverId", w.srv)
	}
	for i := 0; i < 1000; i += 100 {
		list("2", "1", "toAccids", jsonList(accs[i:i+100]...))
	}
	cl.fails(419, "qchat/updateWhiteBlackIdentifyUser", "accid", "o", "serverId", w.srv, "channelId", w.ch, "type", "2", "opeType", "1", "toAccids", `["b"]`)
	list("2", "2", "toAccids", `["m0"]`)
	list("2", "1", "toAccids", `["b"]`)
	cl.fails(414, "qchat/updateWhiteBlackIdentifyUser", "accid", "o", "serverId", w.srv, "channelId", w.ch, "type", "2", "opeType", "1", "toAccids", jsonList(accs[:101]...))
}

func TestQChatCascades(t *testing.T) {
	w := newQWorld(t, Config{})
	cl, sim := w.cl, w.sim
	r := w.role("r")
	cl.ok("qchat/createServerIdentifyMember", "accid", "o", "serverId", w.srv, "roleId", r, "faccids", `["a"]`)
	cr := id(cl.ok("qchat/createChannelIdentify", "accid", "o", "serverId", w.srv, "serverRoleId", r, "channelId", w.ch).num("identify.roleId"))
	cl.ok("qchat/createUserIdentify", "accid", "o", "serverId", w.srv, "channelId", w.ch, "faccid", "a")
	cl.ok("qchat/updateWhiteBlackIdentify", "accid", "o", "serverId", w.srv, "channelId", w.ch, "type", "2", "opeType", "1", "roleid", r)
	cl.ok("qchat/updateWhiteBlackIdentifyUser", "accid", "o", "serverId", w.srv, "channelId", w.ch, "type", "2", "opeType", "1", "toAccids", `["b"]`)
	cl.ok("qchat/inviteServerMember", "accid", "o", "serverId", w.srv, "invitedAccids", `["pending"]`)

	// Removing the channel removes its channel roles, overrides and lists.
	ch2 := id(cl.ok("qchat/createChannel", "accid", "o", "serverId", w.srv, "type", "0").num("channelInfo.channelId"))
	cl.ok("qchat/removeChannel", "accid", "o", "channelId", w.ch)
	o := sim.Objects()
	must(t, len(o.QChatChannelRoles)+len(o.QChatUserOverrides)+len(o.QChatWhiteBlackRoles)+len(o.QChatWhiteBlackUsers) == 0, "channel leftovers %+v", o)
	cl.fails(404, "qchat/deleteChannelIdentify", "accid", "o", "serverId", w.srv, "roleId", cr, "channelId", w.ch)

	// Removing a role removes its channel roles and memberships.
	cl.ok("qchat/createChannelIdentify", "accid", "o", "serverId", w.srv, "serverRoleId", r, "channelId", ch2)
	cl.ok("qchat/removeServerIdentify", "accid", "o", "serverId", w.srv, "roleId", r)
	o = sim.Objects()
	must(t, len(o.QChatChannelRoles)+len(o.QChatRoleMembers) == 0 && len(o.QChatServerRoles) == 1, "role leftovers %+v", o)
	cl.fails(404, "qchat/removeServerIdentify", "accid", "o", "serverId", w.srv, "roleId", r)

	// Removing the server removes everything in it, and only that.
	other := id(cl.ok("qchat/createServer", "accid", "z").num("serverInfo.serverId"))
	again := w.role("again")
	cl.ok("qchat/createServerIdentifyMember", "accid", "o", "serverId", w.srv, "roleId", again, "faccids", `["a"]`)
	cl.ok("qchat/createChannelIdentify", "accid", "o", "serverId", w.srv, "serverRoleId", again, "channelId", ch2)
	cl.ok("qchat/createUserIdentify", "accid", "o", "serverId", w.srv, "channelId", ch2, "faccid", "a")
	cl.ok("qchat/updateWhiteBlackIdentify", "accid", "o", "serverId", w.srv, "channelId", ch2, "type", "1", "opeType", "1", "roleid", again)
	cl.ok("qchat/updateWhiteBlackIdentifyUser", "accid", "o", "serverId", w.srv, "channelId", ch2, "type", "1", "opeType", "1", "toAccids", `["b"]`)
	cl.ok("qchat/updateServer", "accid", "o", "serverId", w.srv, "applyMode", "1")
	cl.ok("qchat/applyServer", "accid", "applicant", "serverId", w.srv)
	cl.ok("qchat/removeServer", "accid", "o", "serverId", w.srv)
	o = sim.Objects()
	must(t, len(o.QChatServers) == 1 && id(o.QChatServers[0].ServerID) == other, "servers %+v", o.QChatServers)
	must(t, len(o.QChatChannelRoles)+len(o.QChatUserOverrides)+len(o.QChatWhiteBlackRoles)+len(o.QChatWhiteBlackUsers)+
		len(o.QChatRoleMembers)+len(o.QChatApplies) == 0, "server leftovers %+v", o)
	must(t, len(o.QChatChannels) == 0 && len(o.QChatServerRoles) == 1 && len(o.QChatServerMembers) == 1 && len(o.QChatInvites) == 0, "server leftovers %+v", o)
	cl.fails(404, "qchat/getServerMemberListPage", "serverId", w.srv)

	// Delete behind the API's back cascades the same way.
	ch := id(cl.ok("qchat/createChannel", "accid", "z", "serverId", other, "type", "0").num("channelInfo.channelId"))
	rr := cl.ok("qchat/createServerIdentify", "accid", "z", "serverId", other, "name", "x").num("identify.roleId")
	crr := cl.ok("qchat/createChannelIdentify", "accid", "z", "serverId", other, "serverRoleId", id(rr), "channelId", ch).num("identify.roleId")
	must(t, sim.Delete("qchat_channel_role", crr) && !sim.Delete("qchat_channel_role", crr), "delete channel role")
	must(t, sim.Delete("qchat_role", rr), "delete role")
	must(t, sim.Delete("qchat_server", toInt(jsonNumber(other))), "delete server")
	o = sim.Objects()
	must(t, len(o.QChatServers)+len(o.QChatChannels)+len(o.QChatServerRoles)+len(o.QChatServerMembers) == 0, "after Delete %+v", o)
}

package easemobsim

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func users(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i)
	}
	return out
}

func TestMembersAddRemove(t *testing.T) {
	t.Parallel()
	sim, cl := newTestServer(t, Config{Users: append(users("u", 70), "alice", "bob", "carol")})
	id := cl.room("alice")
	a := cl.ok("POST", "chatrooms/"+id+"/users/Bob", nil)
	must(t, a.get("data.result") == true && a.str("data.action") == "add_member" && a.str("data.user") == "bob" && a.str("data.id") == id, "add %v", a)
	cl.fails(400, "forbidden_op", "POST", "chatrooms/"+id+"/users/bob", nil)
	cl.fails(400, "forbidden_op", "POST", "chatrooms/"+id+"/users/alice", nil)
	cl.fails(404, "resource_not_found", "POST", "chatrooms/"+id+"/users/nobody", nil)
	cl.fails(404, "resource_not_found", "POST", "chatrooms/999/users/bob", nil)

	// Batch add: ≤60, the answer lists only the users added.
	d := cl.fails(400, "invalid_parameter", "POST", "chatrooms/"+id+"/users", obj{"usernames": users("u", 61)})
	must(t, d == "addMembers: addMembers number more than maxSize : 60", "batch limit %q", d)
	cl.fails(400, "invalid_parameter", "POST", "chatrooms/"+id+"/users", obj{"usernames": []string{}})
	b := cl.ok("POST", "chatrooms/"+id+"/users", obj{"usernames": append([]string{"bob", "nobody", "carol"}, users("u", 3)...)})
	must(t, slices.Equal(b.strs("data.newmembers"), []string{"carol", "u00", "u01", "u02"}), "newmembers %v", b)

	m := cl.ok("GET", "chatrooms/"+id+"/users", nil)
	must(t, m.str("data.0.owner") == "alice" && m.str("data.1.member") == "u02" && len(m.list("data")) == 6 && m.num("count") == 6,
		"members, owner first then newest: %v", m)
	p := cl.ok("GET", "chatrooms/"+id+"/users?pagenum=2&pagesize=2", nil)
	must(t, p.str("data.0.member") == "u01" && p.str("data.1.member") == "u00" && p.strs("params.pagesize")[0] == "2", "page 2: %v", p)
	v3 := cl.ok("GET", "chatrooms/"+id+"/users?version=v3&limit=4", nil)
	must(t, slices.Equal(v3.strs("data"), []string{"alice", "u02", "u01", "u00"}) && v3.str("cursor") != "", "v3 page %v", v3)
	v3 = cl.ok("GET", "chatrooms/"+id+"/users?version=v3&limit=4&cursor="+v3.str("cursor"), nil)
	must(t, slices.Equal(v3.strs("data"), []string{"carol", "bob"}) && v3.get("cursor") == nil, "v3 last page %v", v3)
	cl.fails(404, "service_resource_not_found", "GET", "chatrooms/999/users", nil)

	// Single remove: one object, non-members and the owner refused.
	r := cl.ok("DELETE", "chatrooms/"+id+"/users/carol", nil)
	must(t, r.get("data.result") == true && r.str("data.action") == "remove_member" && r.str("data.user") == "carol", "remove %v", r)
	must(t, cl.fails(400, "forbidden_op", "DELETE", "chatrooms/"+id+"/users/carol", nil) == "users [carol] are not members of this group!", "non-member")
	cl.fails(403, "forbidden_op", "DELETE", "chatrooms/"+id+"/users/alice", nil)

	// Batch remove: per-user results.
	r = cl.ok("DELETE", "chatrooms/"+id+"/users/u00%2Cnobody,u01", nil)
	must(t, r.get("data.0.result") == true && r.get("data.1.result") == false &&
		r.str("data.1.reason") == "user: nobody doesn't exist in group: "+id && r.get("data.2.result") == true, "batch remove %v", r)
	must(t, len(sim.Objects().Rooms[0].Members) == 2, "members left: %+v", sim.Objects().Rooms[0].Members)
	d = cl.fails(400, "invalid_parameter", "DELETE", "chatrooms/"+id+"/users/"+strings.Join(users("u", 61), ","), nil)
	must(t, d == "userNames size is more than max limit : 60", "remove limit %q", d)

	// A full room takes nobody more.
	cl.ok("PUT", "chatrooms/"+id, obj{"maxusers": 3})
	cl.fails(403, "exceed_limit", "POST", "chatrooms/"+id+"/users/carol", nil)
	must(t, len(cl.ok("POST", "chatrooms/"+id+"/users", obj{"usernames": []string{"carol"}}).list("data.newmembers")) == 0, "full room batch")
}

func TestAdmins(t *testing.T) {
	t.Parallel()
	_, cl := newTestServer(t, Config{})
	id := cl.room("alice", append(users("m", 100), "bob")...)
	cl.ok("PUT", "chatrooms/"+id, obj{"maxusers": 200})
	a := cl.ok("POST", "chatrooms/"+id+"/admin", obj{"newadmin": "bob"})
	must(t, a.get("data.result") == "success" && a.str("data.newadmin") == "bob", "add admin %v", a)
	cl.fails(400, "forbidden_op", "POST", "chatrooms/"+id+"/admin", obj{"newadmin": "bob"})
	cl.fails(400, "forbidden_op", "POST", "chatrooms/"+id+"/admin", obj{"newadmin": "stranger"})
	cl.fails(403, "forbidden_op", "POST", "chatrooms/"+id+"/admin", obj{"newadmin": "alice"})
	cl.fails(400, "invalid_parameter", "POST", "chatrooms/"+id+"/admin", obj{})
	l := cl.ok("GET", "chatrooms/"+id+"/admin", nil)
	must(t, slices.Equal(l.strs("data"), []string{"bob"}) && l.num("count") == 1, "admins %v", l)
	for _, u := range users("m", 98) {
		cl.ok("POST", "chatrooms/"+id+"/admin", obj{"newadmin": u})
	}
	cl.fails(403, "exceed_limit", "POST", "chatrooms/"+id+"/admin", obj{"newadmin": "m98"})
	r := cl.ok("DELETE", "chatrooms/"+id+"/admin/bob", nil)
	must(t, r.get("data.result") == "success" && r.str("data.oldadmin") == "bob", "remove admin %v", r)
	cl.fails(400, "forbidden_op", "DELETE", "chatrooms/"+id+"/admin/bob", nil)
	// Leaving ends admin rights.
	cl.ok("DELETE", "chatrooms/"+id+"/users/m00", nil)
	must(t, !slices.Contains(cl.ok("GET", "chatrooms/"+id+"/admin", nil).strs("data"), "m00"), "a removed member stays admin")
	// Transfer to an admin: the admin becomes owner, no longer listed.
	cl.ok("PUT", "chatrooms/"+id, obj{"newowner": "m01"})
	must(t, !slices.Contains(cl.ok("GET", "chatrooms/"+id+"/admin", nil).strs("data"), "m01"), "the owner is listed as admin")
}

func TestBlockList(t *testing.T) {
	t.Parallel()
	sim, cl := newTestServer(t, Config{})
	id := cl.room("alice", "bob", "carol", "dave")
	cl.ok("POST", "chatrooms/"+id+"/admin", obj{"newadmin": "bob"})
	cl.ok("POST", "chatrooms/"+id+"/white/users/bob", nil)
	a := cl.ok("POST", "chatrooms/"+id+"/blocks/users/bob", nil)
	must(t, a.get("data.result") == true && a.str("data.action") == "add_blocks" && a.str("data.chatroomid") == id, "block %v", a)
	o := sim.Objects().Rooms[0]
	must(t, slices.Equal(o.Blocks, []string{"bob"}) && len(o.Admins) == 0 && len(o.Allow) == 0 && len(o.Members) == 2,
		"blocking ends membership, admin and allow list: %+v", o)
	cl.ok("POST", "chatrooms/"+id+"/blocks/users/bob", nil) // already blocked: fine
	cl.fails(403, "forbidden_op", "POST", "chatrooms/"+id+"/users/bob", nil)
	cl.fails(403, "forbidden_op", "POST", "chatrooms/"+id+"/blocks/users/alice", nil)
	cl.fails(400, "forbidden_op", "POST", "chatrooms/"+id+"/blocks/users/erin", nil)

	b := cl.ok("POST", "chatrooms/"+id+"/blocks/users", obj{"usernames": []string{"erin", "carol", "alice"}})
	must(t, b.get("data.0.result") == false && b.str("data.0.reason") == "user: erin doesn't exist in chatroom: "+id &&
		b.get("data.1.result") == true && b.get("data.2.result") == false, "batch block %v", b)
	d := cl.fails(400, "invalid_parameter", "POST", "chatrooms/"+id+"/blocks/users", obj{"usernames": users("u", 61)})
	must(t, d == "usernames size is more than max limit : 60", "batch block limit %q", d)
	l := cl.ok("GET", "chatrooms/"+id+"/blocks/users", nil)
	must(t, slices.Equal(l.strs("data"), []string{"bob", "carol"}) && l.num("count") == 2, "block list %v", l)

	r := cl.ok("DELETE", "chatrooms/"+id+"/blocks/users/bob", nil)
	must(t, r.get("data.result") == true && r.str("data.action") == "remove_blocks", "unblock %v", r)
	cl.fails(403, "forbidden_op", "DELETE", "chatrooms/"+id+"/blocks/users/bob", nil)
	r = cl.ok("DELETE", "chatrooms/"+id+"/blocks/users/carol%2Cbob", nil)
	must(t, r.get("data.0.result") == true && r.get("data.1.result") == false, "batch unblock %v", r)
	d = cl.fails(400, "invalid_parameter", "DELETE", "chatrooms/"+id+"/blocks/users/"+strings.Join(users("u", 61), "%2C"), nil)
	must(t, d == "removeBlacklist: list size more than max limit : 60", "unblock limit %q", d)
	cl.ok("POST", "chatrooms/"+id+"/users/bob", nil) // unblocked users may rejoin
}

func TestAllowList(t *testing.T) {
	t.Parallel()
	_, cl := newTestServer(t, Config{})
	id := cl.room("alice", "bob", "carol")
	a := cl.ok("POST", "chatrooms/"+id+"/white/users/bob", nil)
	must(t, a.get("data.result") == true && a.str("data.action") == "add_user_whitelist", "allow %v", a)
	must(t, cl.fails(400, "forbidden_op", "POST", "chatrooms/"+id+"/white/users/dave", nil) == "users [dave] are not members of this group!", "non-member")
	b := cl.ok("POST", "chatrooms/"+id+"/white/users", obj{"usernames": []string{"carol", "dave"}})
	must(t, b.get("data.0.result") == true && b.get("data.1.result") == false && b.str("data.1.reason") != "", "batch allow %v", b)
	cl.fails(400, "invalid_parameter", "POST", "chatrooms/"+id+"/white/users", obj{"usernames": users("u", 61)})
	must(t, slices.Equal(cl.ok("GET", "chatrooms/"+id+"/white/users", nil).strs("data"), []string{"bob", "carol"}), "allow list")
	r := cl.ok("DELETE", "chatrooms/"+id+"/white/users/bob,dave", nil)
	must(t, r.get("data.0.result") == true && r.get("data.1.result") == false && r.str("data.0.action") == "remove_user_whitelist", "unallow %v", r)
	r = cl.ok("DELETE", "chatrooms/"+id+"/white/users/carol", nil)
	must(t, len(r.list("data")) == 1, "single remove answers an array too: %v", r)
	d := cl.fails(400, "invalid_parameter", "DELETE", "chatrooms/"+id+"/white/users/"+strings.Join(users("u", 61), ","), nil)
	must(t, d == "removeWhitelist size is more than max limit : 60", "limit %q", d)
}

func TestMutesExpireWithTheClock(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	sim, cl := newTestServer(t, Config{Now: clock.Now})
	id := cl.room("alice", "bob", "carol", "dave")
	now := clock.Now().UnixMilli()
	a := cl.ok("POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"bob", "carol"}, "mute_duration": 60000})
	must(t, a.get("data.0.result") == true && a.num("data.0.expire") == now+60000 && a.str("data.1.user") == "carol", "mute %v", a)
	p := cl.ok("POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"dave"}, "mute_duration": -1})
	must(t, p.num("data.0.expire") == -1, "permanent mute %v", p)

	d := cl.fails(400, "forbidden_op", "POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"bob", "zed", "erin"}, "mute_duration": 1000})
	must(t, d == "users [erin, zed] are not members of this group!", "non-members %q", d)
	cl.fails(403, "forbidden_op", "POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"alice"}, "mute_duration": 1000})
	cl.fails(400, "invalid_parameter", "POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"bob"}})
	cl.fails(400, "invalid_parameter", "POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"bob"}, "mute_duration": -2})
	cl.fails(400, "invalid_parameter", "POST", "chatrooms/"+id+"/mute", obj{"usernames": "bob", "mute_duration": 1000})
	cl.fails(400, "invalid_parameter", "POST", "chatrooms/"+id+"/mute", obj{"usernames": users("u", 61), "mute_duration": 1000})

	clock.Add(59 * time.Second)
	must(t, len(cl.ok("GET", "chatrooms/"+id+"/mute", nil).list("data")) == 3, "before expiry")
	clock.Add(time.Second)
	l := cl.ok("GET", "chatrooms/"+id+"/mute", nil)
	must(t, len(l.list("data")) == 1 && l.str("data.0.user") == "dave" && l.num("data.0.expire") == -1, "after expiry %v", l)
	sim.Advance(1000 * time.Hour)
	must(t, len(sim.Objects().Rooms[0].Mutes) == 1, "a permanent mute never ends")

	// Mutes survive leaving; 0 unmutes; DELETE answers per user.
	cl.ok("DELETE", "chatrooms/"+id+"/users/dave", nil)
	must(t, len(cl.ok("GET", "chatrooms/"+id+"/mute", nil).list("data")) == 1, "mute survives leaving")
	cl.ok("POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"bob"}, "mute_duration": 5000})
	z := cl.ok("POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"bob"}, "mute_duration": 0})
	must(t, z.get("data.0.result") == true && len(sim.Objects().Rooms[0].Mutes) == 1, "mute_duration 0 unmutes: %v", z)
	r := cl.ok("DELETE", "chatrooms/"+id+"/mute/dave%2Cbob", nil)
	must(t, r.get("data.0.result") == true && r.str("data.0.user") == "dave" && r.get("data.1.result") == false, "unmute %v", r)
	d = cl.fails(400, "invalid_parameter", "DELETE", "chatrooms/"+id+"/mute/"+strings.Join(users("u", 61), ","), nil)
	must(t, d == "removeMute member size more than max limit :  60", "unmute limit %q", d)
}

func TestMembersLeaveAfterIdleTime(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	sim, cl := newTestServer(t, Config{Now: clock.Now, MemberIdleLeave: 2 * time.Minute})
	id := cl.room("alice", "creator-added")
	for _, u := range []string{"bob", "carol", "dave", "erin"} {
		cl.ok("POST", "chatrooms/"+id+"/users/"+u, nil)
	}
	cl.ok("POST", "chatrooms/"+id+"/white/users/carol", nil)
	cl.ok("POST", "chatrooms/"+id+"/admin", obj{"newadmin": "dave"})
	cl.ok("POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"bob"}, "mute_duration": -1})
	sim.SetOnline("erin", true)

	clock.Add(119 * time.Second)
	must(t, len(sim.Objects().Rooms[0].Members) == 5, "nobody leaves early")
	clock.Add(time.Second)
	var left []string
	for _, m := range sim.Objects().Rooms[0].Members {
		left = append(left, m.User)
	}
	slices.Sort(left)
	must(t, slices.Equal(left, []string{"carol", "creator-added", "erin"}), "members after idle time: %v", left)
	must(t, len(cl.ok("GET", "chatrooms/"+id+"/admin", nil).list("data")) == 0, "an admin who left keeps admin rights")
	must(t, len(cl.ok("GET", "chatrooms/"+id+"/mute", nil).list("data")) == 1, "the mute of a member who left is kept")
	must(t, cl.ok("GET", "chatrooms/"+id, nil).num("data.0.affiliations_count") == 4, "count after leaving")

	// Off by default: nobody leaves.
	clock2 := newFakeClock()
	sim2, cl2 := newTestServer(t, Config{Now: clock2.Now})
	id2 := cl2.room("alice")
	cl2.ok("POST", "chatrooms/"+id2+"/users/bob", nil)
	clock2.Add(1000 * time.Hour)
	must(t, len(sim2.Objects().Rooms[0].Members) == 1, "members left with the switch off")
}

func TestSuperAdmins(t *testing.T) {
	t.Parallel()
	_, cl := newTestServer(t, Config{Users: users("s", 15)})
	a := cl.ok("POST", "chatrooms/super_admin", obj{"superadmin": "s03"})
	must(t, a.get("data.result") == "success" && a.str("data.resource") == "", "add %v", a)
	cl.fails(400, "forbidden_op", "POST", "chatrooms/super_admin", obj{"superadmin": "s03"})
	cl.fails(404, "resource_not_found", "POST", "chatrooms/super_admin", obj{"superadmin": "nobody"})
	for _, u := range users("s", 15) {
		if u != "s03" {
			cl.ok("POST", "chatrooms/super_admin", obj{"superadmin": u})
		}
	}
	l := cl.ok("GET", "chatrooms/super_admin", nil)
	must(t, len(l.list("data")) == 10 && l.str("data.0") == "s03" && l.num("count") == 10 && l.get("params") == nil, "default page %v", l)
	p := cl.ok("GET", "chatrooms/super_admin?pagenum=2&pagesize=10", nil)
	must(t, len(p.list("data")) == 5 && p.strs("params.pagenum")[0] == "2", "page 2 %v", p)
	r := cl.ok("DELETE", "chatrooms/super_admin/s03", nil)
	must(t, r.str("data.newSuperAdmin") == "s03" && r.get("properties") != nil, "remove %v", r)
	cl.fails(404, "resource_not_found", "DELETE", "chatrooms/super_admin/s03", nil)
}

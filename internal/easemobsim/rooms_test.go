package easemobsim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestRoomLifecycle(t *testing.T) {
	t.Parallel()
	sim, cl := newTestServer(t, Config{})
	a := cl.ok("POST", "chatrooms", obj{"name": "n1", "description": "d1", "owner": "Alice", "maxusers": 300,
		"members": []string{"bob", "alice", "bob"}, "custom": "c"})
	id := a.str("data.id")
	must(t, len(id) == 15 && strings.Trim(id, "0123456789") == "", "room id %q: want 15 digits", id)
	must(t, a.str("action") == "post" && a.str("organization") == DefaultOrg && a.str("applicationName") == DefaultApp,
		"envelope %v", a)

	d := cl.ok("GET", "chatrooms/"+id, nil)
	must(t, d.str("data.0.name") == "n1" && d.str("data.0.owner") == "alice" && d.num("data.0.maxusers") == 300 &&
		d.num("data.0.affiliations_count") == 2 && d.str("data.0.custom") == "c" && d.get("data.0.mute") == false,
		"details %v", d)
	must(t, d.str("data.0.affiliations.0.owner") == "alice" && d.str("data.0.affiliations.1.member") == "bob", "affiliations %v", d)

	u := cl.ok("PUT", "chatrooms/"+id, obj{"name": "n2", "maxusers": 50})
	must(t, u.get("data.groupname") == true && u.get("data.maxusers") == true && u.get("data.description") == nil, "update %v", u)
	o := sim.Objects().Rooms[0]
	must(t, o.Name == "n2" && o.Description == "d1" && o.MaxUsers == 50, "after update %+v", o)

	cl.fails(400, "invalid_parameter", "PUT", "chatrooms/"+id, obj{"name": "a/b"})
	must(t, strings.Contains(cl.fails(400, "invalid_parameter", "PUT", "chatrooms/"+id, obj{"custom": "x", "public": true}),
		"some of [custom, public] are not valid fields"), "unknown fields")
	cl.fails(403, "exceed_limit", "PUT", "chatrooms/"+id, obj{"maxusers": 1})

	// Transfer: the new owner must be a member; the old one stays a member.
	cl.fails(403, "forbidden_op", "PUT", "chatrooms/"+id, obj{"newowner": "alice"})
	cl.fails(403, "forbidden_op", "PUT", "chatrooms/"+id, obj{"newowner": "carol"})
	must(t, cl.ok("PUT", "chatrooms/"+id, obj{"newowner": "bob"}).get("data.newowner") == true, "transfer")
	o = sim.Objects().Rooms[0]
	must(t, o.Owner == "bob" && len(o.Members) == 1 && o.Members[0].User == "alice", "after transfer %+v", o)

	cl.ok("POST", "chatrooms/"+id+"/announcement", obj{"announcement": "hello"})
	must(t, cl.ok("GET", "chatrooms/"+id+"/announcement", nil).str("data.announcement") == "hello", "announcement")
	cl.fails(403, "forbidden_op", "POST", "chatrooms/"+id+"/announcement", obj{"announcement": strings.Repeat("é", 513)})

	b := cl.ok("POST", "chatrooms/"+id+"/ban", nil)
	must(t, b.str("action") == "put" && b.get("data.mute") == true, "ban %v", b)
	must(t, cl.ok("GET", "chatrooms/"+id, nil).get("data.0.mute") == true, "mute in details")
	must(t, cl.ok("DELETE", "chatrooms/"+id+"/ban", nil).get("data.mute") == false, "unban")

	del := cl.ok("DELETE", "chatrooms/"+id, nil)
	must(t, del.get("data.success") == true && del.str("data.id") == id, "delete %v", del)
	must(t, strings.Contains(cl.fails(404, "resource_not_found", "DELETE", "chatrooms/"+id, nil), "grpID "+id+" does not exist!"), "delete twice")
	cl.fails(404, "service_resource_not_found", "GET", "chatrooms/"+id, nil)
	cl.fails(404, "resource_not_found", "PUT", "chatrooms/"+id, obj{"name": "x"})
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	_, cl := newTestServer(t, Config{Users: []string{"alice", "bob"}, MaxRooms: 2})
	for _, tc := range []struct {
		body         obj
		status       int
		kind, phrase string
	}{
		{obj{"description": "d", "owner": "alice"}, 400, "invalid_parameter", "name must be provided"},
		{obj{"name": "n", "owner": "alice"}, 400, "invalid_parameter", "description must be provided"},
		{obj{"name": "n", "description": "", "owner": "alice"}, 400, "invalid_parameter", "description must be provided"},
		{obj{"name": "n", "description": "d"}, 400, "invalid_parameter", "owner must be provided"},
		{obj{"name": 5, "description": "d", "owner": "alice"}, 400, "invalid_parameter", "name must be a string"},
		{obj{"name": strings.Repeat("名", 129), "description": "d", "owner": "alice"}, 403, "exceed_limit", "title cannot exceed to 128"},
		{obj{"name": "n", "description": strings.Repeat("d", 513), "owner": "alice"}, 403, "exceed_limit", "desc cannot exceed to 512"},
		{obj{"name": "n", "description": "d", "owner": "alice", "maxusers": 10001}, 403, "exceed_limit", "maxUsers cannot exceed 10000"},
		{obj{"name": "n", "description": "d", "owner": "alice", "maxusers": 0}, 400, "invalid_parameter", "maxusers"},
		{obj{"name": "n", "description": "d", "owner": "alice", "maxusers": 1.5}, 400, "invalid_parameter", "maxusers"},
		{obj{"name": "n", "description": "d", "owner": "alice", "custom": strings.Repeat("c", 1025)}, 400, "invalid_parameter", "custom cannot exceed 1024"},
		{obj{"name": "n", "description": "d", "owner": "zed"}, 404, "resource_not_found", "username zed doesn't exist!"},
		{obj{"name": "n", "description": "d", "owner": "alice", "members": []string{}}, 400, "invalid_parameter", "members"},
		{obj{"name": "n", "description": "d", "owner": "alice", "members": []string{"zed"}}, 404, "resource_not_found", "zed"},
		{obj{"name": "n", "description": "d", "owner": "alice", "maxusers": 1, "members": []string{"bob"}}, 403, "exceed_limit", "members size is greater than max user size !"},
	} {
		d := cl.fails(tc.status, tc.kind, "POST", "chatrooms", tc.body)
		must(t, strings.Contains(d, tc.phrase), "%v: description %q lacks %q", tc.body, d, tc.phrase)
	}
	cl.fails(400, "json_parse", "POST", "chatrooms", `{"name": "n",`)
	cl.fails(400, "json_parse", "POST", "chatrooms", `["n"]`)
	cl.fails(400, "json_parse", "POST", "chatrooms", `{} {}`)
	cl.room("alice")
	cl.room("bob")
	must(t, strings.Contains(cl.fails(403, "exceed_limit", "POST", "chatrooms", obj{"name": "n", "description": "d", "owner": "alice"}),
		"has create too many chatrooms!"), "room cap")
}

func TestContentTypeAndBodyLimits(t *testing.T) {
	t.Parallel()
	_, cl := newTestServer(t, Config{})
	body := `{"name":"n","description":"d","owner":"alice"}`
	resp, b := cl.raw("POST", "chatrooms", body, func(h http.Header) { delete(h, "Content-Type") })
	must(t, resp.StatusCode == 415 && decode(t, b).str("error") == "web_application", "no content type: %d %s", resp.StatusCode, b)
	resp, b = cl.raw("POST", "chatrooms", body, func(h http.Header) { h["Content-Type"] = []string{"Application/JSON; charset=utf-8"} })
	must(t, resp.StatusCode == 200, "json with charset: %d %s", resp.StatusCode, b)
	big := fmt.Sprintf(`{"name":"n","description":"d","owner":"alice","custom":%q}`, strings.Repeat("x", maxBody))
	resp, b = cl.raw("POST", "chatrooms", big, nil)
	must(t, resp.StatusCode == 413, "big body: %d %s", resp.StatusCode, b)

	_, lenient := newTestServer(t, Config{LenientContentType: true})
	resp, b = lenient.raw("POST", "chatrooms", body, func(h http.Header) { h["Content-Type"] = []string{"application/x-www-form-urlencoded"} })
	must(t, resp.StatusCode == 200, "lenient: %d %s", resp.StatusCode, b)
}

func TestDetailsBatchAndList(t *testing.T) {
	t.Parallel()
	_, cl := newTestServer(t, Config{})
	var ids []string
	for i := 0; i < 25; i++ {
		ids = append(ids, cl.room(fmt.Sprintf("owner%d", i)))
	}
	d := cl.ok("GET", "chatrooms/"+strings.Join(ids[:3], "%2C"), nil)
	must(t, len(d.list("data")) == 3 && d.str("data.2.id") == ids[2], "batch details %v", d)
	d = cl.ok("GET", "chatrooms/"+strings.Join(ids[:2], ","), nil)
	must(t, len(d.list("data")) == 2, "plain comma")
	desc := cl.fails(404, "service_resource_not_found", "GET", "chatrooms/"+ids[0]+"%2C999", nil)
	must(t, desc == "do not find this group:999", "missing one of a batch: %q", desc)
	many := make([]string, 101)
	for i := range many {
		many[i] = ids[0]
	}
	cl.fails(400, "invalid_parameter", "GET", "chatrooms/"+strings.Join(many, ","), nil)

	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		must(t, pages < 10, "cursor paging does not end")
		p := cl.ok("GET", "chatrooms?limit=10&cursor="+cursor, nil)
		for _, x := range p.list("data") {
			room, _ := x.(map[string]any)
			id, ok := room["id"].(string)
			must(t, ok, "listed room without a string id: %v", x)
			seen = append(seen, id)
		}
		if cursor = p.str("cursor"); cursor == "" {
			break
		}
	}
	must(t, slices.Equal(seen, ids), "paged list %v, want %v", seen, ids)
	must(t, len(cl.ok("GET", "chatrooms", nil).list("data")) == 10, "default limit 10")
	must(t, len(cl.ok("GET", "chatrooms?pagenum=3&pagesize=10", nil).list("data")) == 5, "pagenum form")
	cl.fails(400, "invalid_parameter", "GET", "chatrooms?cursor=garbage!", nil)
	cl.fails(400, "invalid_parameter", "GET", "chatrooms?limit=0", nil)

	j := cl.ok("GET", "users/owner3/joined_chatrooms", nil)
	must(t, len(j.list("data")) == 1 && j.str("data.0.id") == ids[3] && j.str("data.0.name") == "r", "joined %v", j)
	cl.fails(404, "resource_not_found", "GET", "users/bad%20user/joined_chatrooms", nil)
}

func TestRoutingErrors(t *testing.T) {
	t.Parallel()
	_, cl := newTestServer(t, Config{})
	base := strings.TrimSuffix(cl.base, DefaultOrg+"/"+DefaultApp+"/")
	resp, b := cl.raw("GET", base+"other-org/"+DefaultApp+"/chatrooms", nil, nil)
	a := decode(t, b)
	must(t, resp.StatusCode == 404 && a.str("error") == "organization_application_not_found" &&
		strings.HasPrefix(a.str("error_description"), "Could not find application for other-org/"+DefaultApp), "wrong org: %d %s", resp.StatusCode, b)
	resp, b = cl.raw("PATCH", "chatrooms", nil, nil)
	must(t, resp.StatusCode == 405 && resp.Header.Get("Allow") == "GET, POST", "wrong method: %d %v %s", resp.StatusCode, resp.Header, b)
	resp, b = cl.raw("DELETE", "chatrooms/super_admin", nil, nil)
	must(t, resp.StatusCode == 405, "super_admin is not a room id: %d %s", resp.StatusCode, b)
	cl.fails(500, "unsupported_service_operation", "GET", "chatrooms/1/nothing", nil)
}

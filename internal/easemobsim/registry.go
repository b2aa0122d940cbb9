package easemobsim

import "strings"

// handler serves one route. It runs with the state lock held.
type handler func(c *call) (*result, error)

// route is one documented endpoint under /{org}/{app}/.
type route struct {
	method  string
	pattern string // segments; {name} matches one segment
	class   rateClass
	body    bool // takes a JSON object body (Content-Type checked, 413/415/400 json_parse)
	bare    bool // with Docs002: answered as 002's example, {"data": ...} only
	h       handler
	segs    []string
}

// routes lists every endpoint of 002, the token request, and the transfer
// of ownership (a PUT chatrooms/{id} field, from the newer pages), with the
// file of each handler. Anything else under /{org}/{app}/ is a 500
// unsupported_service_operation, or a 405 when only the method is wrong.
var routes = compile([]route{
	// auth.go
	{method: "POST", pattern: "token", class: classToken, body: true, h: nil}, // served before the table: no token needed

	// superadmin.go
	{method: "POST", pattern: "chatrooms/super_admin", body: true, h: superAdminAdd},
	{method: "GET", pattern: "chatrooms/super_admin", h: superAdminList},
	{method: "DELETE", pattern: "chatrooms/super_admin/{username}", h: superAdminRemove},

	// rooms.go
	{method: "GET", pattern: "chatrooms", class: classCreateList, bare: true, h: roomList},
	{method: "POST", pattern: "chatrooms", class: classCreateList, body: true, bare: true, h: roomCreate},
	{method: "GET", pattern: "users/{username}/joined_chatrooms", class: classCreateList, bare: true, h: roomsJoined},
	{method: "GET", pattern: "chatrooms/{ids}", bare: true, h: roomDetails},
	{method: "PUT", pattern: "chatrooms/{id}", body: true, bare: true, h: roomUpdate},
	{method: "DELETE", pattern: "chatrooms/{id}", h: roomDelete},
	{method: "GET", pattern: "chatrooms/{id}/announcement", h: announcementGet},
	{method: "POST", pattern: "chatrooms/{id}/announcement", body: true, h: announcementSet},
	{method: "POST", pattern: "chatrooms/{id}/ban", h: muteAllSet},
	{method: "DELETE", pattern: "chatrooms/{id}/ban", h: muteAllUnset},

	// members.go
	{method: "GET", pattern: "chatrooms/{id}/users", h: membersList},
	{method: "POST", pattern: "chatrooms/{id}/users", body: true, h: membersAdd},
	{method: "POST", pattern: "chatrooms/{id}/users/{username}", h: memberAdd},
	{method: "DELETE", pattern: "chatrooms/{id}/users/{usernames}", h: membersRemove},
	{method: "GET", pattern: "chatrooms/{id}/admin", h: adminsList},
	{method: "POST", pattern: "chatrooms/{id}/admin", body: true, h: adminAdd},
	{method: "DELETE", pattern: "chatrooms/{id}/admin/{username}", h: adminRemove},

	// lists.go
	{method: "GET", pattern: "chatrooms/{id}/blocks/users", h: blocksList},
	{method: "POST", pattern: "chatrooms/{id}/blocks/users", body: true, h: blocksAdd},
	{method: "POST", pattern: "chatrooms/{id}/blocks/users/{username}", h: blockAdd},
	{method: "DELETE", pattern: "chatrooms/{id}/blocks/users/{usernames}", h: blocksRemove},
	{method: "GET", pattern: "chatrooms/{id}/white/users", h: allowList},
	{method: "POST", pattern: "chatrooms/{id}/white/users", body: true, h: allowAddBatch},
	{method: "POST", pattern: "chatrooms/{id}/white/users/{username}", h: allowAdd},
	{method: "DELETE", pattern: "chatrooms/{id}/white/users/{usernames}", h: allowRemove},
	{method: "GET", pattern: "chatrooms/{id}/mute", h: mutesList},
	{method: "POST", pattern: "chatrooms/{id}/mute", body: true, h: mutesAdd},
	{method: "DELETE", pattern: "chatrooms/{id}/mute/{usernames}", h: mutesRemove},
})

func compile(rs []route) []route {
	for i := range rs {
		rs[i].segs = strings.Split(rs[i].pattern, "/")
	}
	return rs
}

// key names the route in Stats.
func (rt *route) key() string { return rt.method + " " + rt.pattern }

// match finds the route for a method and the path segments after
// /{org}/{app}/. Literal segments beat wildcards (chatrooms/super_admin is
// not a room id). When the path matches but not the method, allowed lists
// the methods that would.
func match(method string, segs []string) (rt *route, vars map[string]string, allowed []string) {
	best := -1
	var cands []int
	for i := range routes {
		score, ok := routes[i].score(segs)
		if !ok {
			continue
		}
		if score > best {
			best, cands = score, cands[:0]
		}
		if score == best {
			cands = append(cands, i)
		}
	}
	for _, i := range cands {
		if routes[i].method == method {
			rt = &routes[i]
			vars = map[string]string{}
			for j, p := range rt.segs {
				if strings.HasPrefix(p, "{") {
					vars[strings.Trim(p, "{}")] = segs[j]
				}
			}
			return rt, vars, nil
		}
		allowed = append(allowed, routes[i].method)
	}
	return nil, nil, allowed
}

func (rt *route) score(segs []string) (int, bool) {
	if len(segs) != len(rt.segs) {
		return 0, false
	}
	n := 0
	for i, p := range rt.segs {
		switch {
		case strings.HasPrefix(p, "{"):
			if segs[i] == "" {
				return 0, false
			}
		case p == segs[i]:
			n++
		default:
			return 0, false
		}
	}
	return n, true
}

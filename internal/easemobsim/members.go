package easemobsim

import (
	"net/http"
	"strings"
)

const adminsMax = 99 // owner + admins ≤ 100

func notMembers(us ...string) *apiError {
	return errf(http.StatusBadRequest, "forbidden_op", "users [%s] are not members of this group!", strings.Join(us, ", "))
}

func onOwner() *apiError {
	return errf(http.StatusForbidden, "forbidden_op", "forbidden operation on group owner!")
}

// membersList: GET /chatrooms/{id}/users. The owner comes first as
// {"owner": u}, then members newest first as {"member": u} (admins too).
// Forms: pagenum/pagesize (002's example; pagesize 0..1000, default 1000,
// echoed in params), limit/cursor (002's table), and version=v3 with
// limit/cursor, whose items are plain user ids.
func membersList(c *call) (*result, error) {
	r, err := c.roomFor(true)
	if err != nil {
		return nil, err
	}
	all := append([]string{r.owner}, r.membersNewestFirst()...)
	item := func(u string) any {
		if u == r.owner {
			return obj{"owner": u}
		}
		return obj{"member": u}
	}
	v3 := c.query.Get("version") == "v3"
	if v3 {
		item = func(u string) any { return u }
	}
	res := &result{}
	var page []string
	if !v3 && (c.query.Has("pagenum") || c.query.Has("pagesize")) {
		from, to, err := c.pageNum(len(all), 1000, 0)
		if err != nil {
			return nil, err
		}
		page, res.params = all[from:to], c.query
	} else {
		limit, err := c.queryInt("limit", 1000)
		if err != nil {
			return nil, err
		}
		if limit < 0 {
			return nil, badParam("limit must be 0 or more")
		}
		limit = min(limit, 1000)
		off, err := decodeCursor(c.query.Get("cursor"))
		if err != nil {
			return nil, err
		}
		from := min(off, len(all))
		to := min(from+limit, len(all))
		page = all[from:to]
		if to < len(all) && limit > 0 {
			res.cursor = encodeCursor(to)
		}
	}
	out := []any{}
	for _, u := range page {
		out = append(out, item(u))
	}
	res.data, res.count = out, intp(len(out))
	return res, nil
}

// canJoin says why u cannot join r now, or nil.
func (c *call) canJoin(r *room, u string) *apiError {
	switch {
	case r.isMember(u):
		return errf(http.StatusBadRequest, "forbidden_op", "user: %s already in chatroom: %s", u, r.id)
	case r.blocks[u]:
		return errf(http.StatusForbidden, "forbidden_op", "user: %s is in the block list of chatroom: %s", u, r.id)
	case r.count() >= r.maxUsers:
		return errf(http.StatusForbidden, "exceed_limit", "members size is greater than max user size !")
	}
	return nil
}

// memberAdd: POST /chatrooms/{id}/users/{username}.
func memberAdd(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	u, err := c.user(c.vars["username"])
	if err != nil {
		return nil, err
	}
	if e := c.canJoin(r, u); e != nil {
		return nil, e
	}
	c.st.join(r, u, c.nowMs, false)
	c.changed = true
	return &result{data: obj{"result": true, "action": "add_member", "id": r.id, "user": u}}, nil
}

// membersAdd: POST /chatrooms/{id}/users {"usernames": [...]} (≤60). The
// answer lists only the users added; the others (unknown, blocked, already
// members, no room left) are left out, as documented.
func membersAdd(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	us, err := c.batch("addMembers: addMembers number more than maxSize : %d")
	if err != nil {
		return nil, err
	}
	added := []string{}
	for _, u := range us {
		f := fold(u)
		if !c.s.userExists(f) || c.canJoin(r, f) != nil {
			continue
		}
		c.st.join(r, f, c.nowMs, false)
		added = append(added, f)
	}
	c.changed = len(added) > 0
	return &result{data: obj{"newmembers": added, "action": "add_member", "id": r.id}}, nil
}

// batch reads the body list usernames: present, non-empty, ≤60.
func (c *call) batch(tooMany string) ([]string, error) {
	us, _, err := c.strList("usernames", c.docs && c.rt.pattern == "chatrooms/{id}/mute")
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, badParam("usernames must be provided")
	}
	if len(us) > batchMax {
		return nil, badParam(tooMany, batchMax)
	}
	return dedupe(us), nil
}

// membersRemove: DELETE /chatrooms/{id}/users/{username} answers one
// object (and fails for a non-member); with a comma list it answers a
// per-user array: a user who is not a member gets result false and the
// reason, the others are removed. Limit 60 (100 with Docs002).
func membersRemove(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	limit := batchMax
	if c.docs {
		limit = 100
	}
	us, err := pathUsers(c.vars["usernames"], limit, "userNames size is more than max limit : %d")
	if err != nil {
		return nil, err
	}
	if !strings.Contains(c.vars["usernames"], ",") {
		u := fold(us[0])
		if u == r.owner {
			return nil, onOwner()
		}
		if r.members[u] == nil {
			return nil, notMembers(u)
		}
		r.leave(u)
		c.changed = true
		return &result{data: obj{"result": true, "action": "remove_member", "user": u, "id": r.id}}, nil
	}
	return &result{data: perUser(us, obj{"action": "remove_member", "id": r.id}, func(u string) string {
		switch {
		case u == r.owner:
			return "forbidden operation on group owner!"
		case r.members[u] == nil:
			return "user: " + u + " doesn't exist in group: " + r.id
		}
		r.leave(u)
		c.changed = true
		return ""
	})}, nil
}

// adminsList: GET /chatrooms/{id}/admin → ["u", ...] and count.
func adminsList(c *call) (*result, error) {
	r, err := c.roomFor(true)
	if err != nil {
		return nil, err
	}
	as := sortedKeys(r.admins)
	return &result{data: as, count: intp(len(as))}, nil
}

// adminAdd: POST /chatrooms/{id}/admin {"newadmin": u}: u must be a
// member other than the owner, not yet an admin; at most 99 admins.
func adminAdd(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	u, _, err := c.str("newadmin", true)
	if err != nil {
		return nil, err
	}
	if u, err = c.user(u); err != nil {
		return nil, err
	}
	switch {
	case u == r.owner:
		return nil, onOwner()
	case r.members[u] == nil:
		return nil, notMembers(u)
	case r.admins[u]:
		return nil, errf(http.StatusBadRequest, "forbidden_op", "user: %s is already an admin of chatroom: %s", u, r.id)
	case len(r.admins) >= adminsMax:
		return nil, errf(http.StatusForbidden, "exceed_limit", "admin count of chatroom: %s cannot exceed %d", r.id, adminsMax)
	}
	r.admins[u] = true
	c.changed = true
	return &result{data: obj{"result": "success", "newadmin": u}}, nil
}

// adminRemove: DELETE /chatrooms/{id}/admin/{oldadmin}.
func adminRemove(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	u := fold(c.vars["username"])
	if !r.admins[u] {
		return nil, errf(http.StatusBadRequest, "forbidden_op", "user: %s is not an admin of chatroom: %s", u, r.id)
	}
	delete(r.admins, u)
	c.changed = true
	return &result{data: obj{"result": "success", "oldadmin": u}}, nil
}

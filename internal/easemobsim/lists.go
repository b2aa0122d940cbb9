package easemobsim

import (
	"net/http"
	"sort"
	"strings"
)

// --- block list ("blocks"): blocking ends membership and bars rejoining.

// blocksList: GET /chatrooms/{id}/blocks/users → ["u", ...] and count.
func blocksList(c *call) (*result, error) {
	r, err := c.roomFor(true)
	if err != nil {
		return nil, err
	}
	bs := sortedKeys(r.blocks)
	return &result{data: bs, count: intp(len(bs))}, nil
}

// blockReason says why u cannot be blocked in r, or "". Blocking needs
// current membership (the batch answer's reason for a non-member); a user
// already blocked is no member any more and blocking again succeeds.
func (c *call) blockReason(r *room, u string) (status int, kind, reason string) {
	switch {
	case !c.s.userExists(u):
		return http.StatusNotFound, "resource_not_found", "username " + u + " doesn't exist!"
	case u == r.owner:
		return http.StatusForbidden, "forbidden_op", "forbidden operation on group owner!"
	case r.blocks[u]:
		return 0, "", ""
	case r.members[u] == nil:
		return http.StatusBadRequest, "forbidden_op", "user: " + u + " doesn't exist in chatroom: " + r.id
	}
	return 0, "", ""
}

func (c *call) block(r *room, u string) {
	r.leave(u)
	r.blocks[u] = true
	c.changed = true
}

// blockAdd: POST /chatrooms/{id}/blocks/users/{username}.
func blockAdd(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	u := fold(c.vars["username"])
	if st, kind, reason := c.blockReason(r, u); reason != "" {
		return nil, &apiError{status: st, kind: kind, desc: reason}
	}
	c.block(r, u)
	return &result{data: obj{"result": true, "action": "add_blocks", "user": u, "chatroomid": r.id}}, nil
}

// blocksAdd: POST /chatrooms/{id}/blocks/users {"usernames": [...]} (≤60),
// answered per user.
func blocksAdd(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	us, err := c.batch("usernames size is more than max limit : %d")
	if err != nil {
		return nil, err
	}
	return &result{data: perUser(us, obj{"action": "add_blocks", "chatroomid": r.id}, func(u string) string {
		if _, _, reason := c.blockReason(r, u); reason != "" {
			return reason
		}
		c.block(r, u)
		return ""
	})}, nil
}

// blocksRemove: DELETE /chatrooms/{id}/blocks/users/{u[,u...]} (≤60). One
// user answers one object (403 when not blocked); a list answers per user.
func blocksRemove(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	us, err := pathUsers(c.vars["usernames"], batchMax, "removeBlacklist: list size more than max limit : %d")
	if err != nil {
		return nil, err
	}
	single := !strings.Contains(c.vars["usernames"], ",")
	if u := fold(us[0]); single && !r.blocks[u] {
		return nil, errf(http.StatusForbidden, "forbidden_op", "users [%s] are not members of this group!", u)
	}
	out := perUser(us, obj{"action": "remove_blocks", "chatroomid": r.id}, func(u string) string {
		if !r.blocks[u] {
			return "user: " + u + " is not in the block list of chatroom: " + r.id
		}
		delete(r.blocks, u)
		c.changed = true
		return ""
	})
	if single {
		return &result{data: out[0]}, nil
	}
	return &result{data: out}, nil
}

// --- allow list ("white"): members only; they may speak during mute-all
// and never leave by idling.

// allowList: GET /chatrooms/{id}/white/users → ["u", ...] and count.
func allowList(c *call) (*result, error) {
	r, err := c.roomFor(true)
	if err != nil {
		return nil, err
	}
	as := sortedKeys(r.allow)
	return &result{data: as, count: intp(len(as))}, nil
}

// allowAdd: POST /chatrooms/{id}/white/users/{username}; a non-member is
// a 400 forbidden_op.
func allowAdd(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	u, err := c.user(c.vars["username"])
	if err != nil {
		return nil, err
	}
	if !r.isMember(u) {
		return nil, notMembers(u)
	}
	r.allow[u] = true
	c.changed = true
	return &result{data: obj{"result": true, "action": "add_user_whitelist", "user": u, "chatroomid": r.id}}, nil
}

// allowAddBatch: POST /chatrooms/{id}/white/users {"usernames": [...]}
// (≤60), answered per user; a non-member gets result false.
func allowAddBatch(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	us, err := c.batch("usernames size is more than max limit : %d")
	if err != nil {
		return nil, err
	}
	return &result{data: perUser(us, obj{"action": "add_user_whitelist", "chatroomid": r.id}, func(u string) string {
		switch {
		case !c.s.userExists(u):
			return "username " + u + " doesn't exist!"
		case !r.isMember(u):
			return "users [" + u + "] are not members of this group!"
		}
		r.allow[u] = true
		c.changed = true
		return ""
	})}, nil
}

// allowRemove: DELETE /chatrooms/{id}/white/users/{u[,u...]} (≤60),
// always answered per user, as 002's only example is.
func allowRemove(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	us, err := pathUsers(c.vars["usernames"], batchMax, "removeWhitelist size is more than max limit : %d")
	if err != nil {
		return nil, err
	}
	return &result{data: perUser(us, obj{"action": "remove_user_whitelist", "chatroomid": r.id}, func(u string) string {
		if !r.allow[u] {
			return "user: " + u + " is not in the white list of chatroom: " + r.id
		}
		delete(r.allow, u)
		c.changed = true
		return ""
	})}, nil
}

// --- mutes

// mutesList: GET /chatrooms/{id}/mute → [{expire, user}]; expire is Unix
// ms, -1 for a permanent mute. Expired mutes are gone.
func mutesList(c *call) (*result, error) {
	r, err := c.roomFor(true)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, u := range sortedKeys(r.mutes) {
		out = append(out, obj{"expire": r.mutes[u], "user": u})
	}
	return &result{data: out}, nil
}

// mutesAdd: POST /chatrooms/{id}/mute {"usernames": [...], "mute_duration": ms}
// (≤60). -1 = permanent, 0 = unmute, >0 = for that many milliseconds. Every
// user must be a member (else the whole call is a 400 forbidden_op naming
// them); the owner cannot be muted. Answer: [{result, expire, user}].
func mutesAdd(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	us, err := c.batch("usernames size is more than max limit : %d")
	if err != nil {
		return nil, err
	}
	d, given, err := c.integer("mute_duration")
	if err != nil {
		return nil, err
	}
	if !given {
		return nil, badParam("mute_duration must be provided")
	}
	if d < -1 {
		return nil, badParam("mute_duration must be -1 (permanent), 0 (unmute) or a number of milliseconds")
	}
	var outside []string
	for i, u := range us {
		u = fold(u)
		us[i] = u
		if _, err := c.user(u); err != nil {
			return nil, err
		}
		if u == r.owner {
			return nil, onOwner()
		}
		if !r.isMember(u) {
			outside = append(outside, u)
		}
	}
	if len(outside) > 0 {
		sort.Strings(outside)
		return nil, notMembers(outside...)
	}
	exp := int64(-1)
	if d > 0 {
		exp = c.nowMs + d
	}
	out := []any{}
	for _, u := range us {
		if d == 0 {
			delete(r.mutes, u)
			out = append(out, obj{"result": true, "expire": int64(0), "user": u})
			continue
		}
		r.mutes[u] = exp
		out = append(out, obj{"result": true, "expire": exp, "user": u})
	}
	c.changed = true
	return &result{data: out}, nil
}

// mutesRemove: DELETE /chatrooms/{id}/mute/{u[,u...]} (≤60) →
// [{result, user}]; a user who is not muted gets result false.
func mutesRemove(c *call) (*result, error) {
	r, err := c.roomFor(false)
	if err != nil {
		return nil, err
	}
	us, err := pathUsers(c.vars["usernames"], batchMax, "removeMute member size more than max limit :  %d")
	if err != nil {
		return nil, err
	}
	return &result{data: perUser(us, obj{}, func(u string) string {
		if _, ok := r.mutes[u]; !ok {
			return "user: " + u + " is not muted in chatroom: " + r.id
		}
		delete(r.mutes, u)
		c.changed = true
		return ""
	})}, nil
}

// perUser answers a batch endpoint user by user, as the documents' examples
// do: each item is fields plus "user" and "result": true, or "result": false
// with the reason apply returns. apply makes the change for one user (folded
// to lower case) and returns "" when it was made.
func perUser(us []string, fields obj, apply func(u string) (reason string)) []any {
	out := []any{}
	for _, u := range us {
		u = fold(u)
		item := obj{"result": true, "user": u}
		for k, v := range fields {
			item[k] = v
		}
		if reason := apply(u); reason != "" {
			item["result"], item["reason"] = false, reason
		}
		out = append(out, item)
	}
	return out
}

package nimsim

import (
	"cmp"
	"maps"
	"slices"
)

// Server identifies (身份组, roles) and their members (001).
//
// @everyone (type 1, priority 0) is created with the server and cannot be
// removed (403) nor renamed, re-iconed, re-ext'ed (403); only the owner may
// change its auths (403). Custom roles (type 2) need permission 3 (manage
// role), start from @everyone's auths, and have distinct priorities ≥ 1 so
// that getServerIdentifyPages' priority anchor pages without loss.

// qchatCreateServerIdentify: name required (a role without a name cannot be
// shown; 001's table lost its 必须 column), ≤64 like every other QChat name;
// priority optional, default one below the lowest existing role.
func qchatCreateServerIdentify(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	c.enum("type", false, roleTypeCustom, roleTypeCustom) // "目前只能设置为2"
	name := c.str("name", 64, true)
	icon := c.str("icon", 1024, false)
	ext := c.str("ext", 1024, false)
	prio := c.integer("priority", false, 0, 1, 1<<53)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requirePerm(s, op, permManageRole); err != nil {
		return nil, err
	}
	custom, lowest := 0, int64(0)
	for _, r := range c.st.serverRoles(s.ServerID) {
		if r.Type != roleTypeCustom {
			continue
		}
		custom++
		lowest = max(lowest, r.Priority)
		if r.Priority == prio {
			return nil, paramErr("priority already used by another role")
		}
	}
	if custom >= c.s.cfg.MaxRoles {
		return nil, errf(419, "too many roles in the server")
	}
	if prio == 0 {
		prio = lowest + 1
	}
	tt := c.st.timetag(c.nowMs)
	auths := defaultEveryoneAuths()
	if e := c.st.everyone(s.ServerID); e != nil {
		auths = maps.Clone(e.Auths)
	}
	r := &QChatServerRole{
		RoleID: nextID(&c.st.NextRoleID), ServerID: s.ServerID, Name: name, Icon: icon,
		Ext: ext, Type: roleTypeCustom, Priority: prio, Auths: auths, CreateTime: tt, UpdateTime: tt,
	}
	c.st.roles[r.RoleID] = r
	c.changed = true
	return obj{"identify": c.st.roleInfo(r)}, nil
}

// qchatRemoveServerIdentify also removes the role's channel roles, list
// entries and memberships.
func qchatRemoveServerIdentify(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	r := c.serverRole(s, "roleId")
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requirePerm(s, op, permManageRole); err != nil {
		return nil, err
	}
	if r.Type == roleTypeEveryone {
		return nil, forbidden("@everyone cannot be removed")
	}
	c.st.removeRole(r.RoleID)
	c.changed = true
	return obj{}, nil
}

// qchatUpdateServerIdentify merges the given auths keys into the role's.
// 001's update has no priority parameter, so priorities never change here.
func qchatUpdateServerIdentify(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	r := c.serverRole(s, "roleId")
	name, hasName := c.str("name", 64, false), c.has("name")
	icon, hasIcon := c.str("icon", 1024, false), c.has("icon")
	ext, hasExt := c.str("ext", 1024, false), c.has("ext")
	auths := c.auths(false, false)
	if hasName && name == "" {
		c.fail(paramErr("invalid name"))
	}
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requirePerm(s, op, permManageRole); err != nil {
		return nil, err
	}
	if r.Type == roleTypeEveryone {
		if hasName || hasIcon || hasExt {
			return nil, forbidden("@everyone's name, icon and ext cannot be changed")
		}
		if auths != nil && op != s.Owner {
			return nil, forbidden("only the owner can change @everyone's permissions")
		}
	}
	if hasName {
		r.Name = name
	}
	if hasIcon {
		r.Icon = icon
	}
	if hasExt {
		r.Ext = ext
	}
	maps.Copy(r.Auths, auths)
	r.UpdateTime = c.st.timetag(c.nowMs)
	c.changed = true
	return obj{"identify": c.st.roleInfo(r)}, nil
}

// qchatGetServerIdentifyPages: custom roles by priority, ascending, after the
// anchor; the first page (no anchor or 0) starts with @everyone, one item
// more than limit (as 001 says of the channel-role pages). The answer key is
// "identify" (an array), exactly as 001's example has it.
func qchatGetServerIdentifyPages(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	anchor := c.integer("priority", false, 0, 0, 1<<53)
	lim := c.limit(maxPage)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requireMember(s, op); err != nil {
		return nil, err
	}
	roles := c.st.serverRoles(s.ServerID)
	slices.SortFunc(roles, func(a, b *QChatServerRole) int { return cmp.Compare(a.Priority, b.Priority) })
	out := []obj{}
	if anchor == 0 {
		if e := c.st.everyone(s.ServerID); e != nil {
			out = append(out, c.st.roleInfoFor(e, op))
		}
	}
	n := 0
	for _, r := range roles {
		if r.Type == roleTypeCustom && r.Priority > anchor && n < lim {
			out = append(out, c.st.roleInfoFor(r, op))
			n++
		}
	}
	return obj{"identify": out}, nil
}

// roleMemberOp reads accid, serverId, roleId, faccids (001 gives no maximum;
// 100, the limit of the other identify-adjacent lists) and checks permission 3.
// @everyone's membership is implicit, so it cannot be edited (403).
func (c *call) roleMemberOp() (*QChatServer, *QChatServerRole, []string) {
	op := c.account("accid", true)
	s := c.server()
	r := c.serverRole(s, "roleId")
	faccids := c.accountArray("faccids", 100)
	if c.err != nil {
		return nil, nil, nil
	}
	if err := c.requirePerm(s, op, permManageRole); err != nil {
		c.failCheck(err)
	} else if r.Type == roleTypeEveryone {
		c.fail(forbidden("@everyone's members cannot be changed"))
	}
	return s, r, faccids
}

// qchatCreateServerIdentifyMember: non-members of the server fail; accounts
// already holding the role count as successes (the call is idempotent).
func qchatCreateServerIdentifyMember(c *call) (obj, error) {
	s, r, faccids := c.roleMemberOp()
	if err := c.failed(); err != nil {
		return nil, err
	}
	ok, bad := []string{}, []string{}
	for _, a := range faccids {
		if c.st.member(s.ServerID, a) == nil {
			bad = append(bad, a)
			continue
		}
		ms := c.st.roleMemberMap(r.RoleID)
		if ms[a] == nil {
			ms[a] = &QChatRoleMember{RoleID: r.RoleID, ServerID: s.ServerID, Accid: a, JoinTime: c.st.timetag(c.nowMs)}
			c.changed = true
		}
		ok = append(ok, a)
	}
	return obj{"successAccids": ok, "failAccids": bad}, nil
}

// qchatDeleteServerIdentifyMember: accounts not holding the role fail.
func qchatDeleteServerIdentifyMember(c *call) (obj, error) {
	_, r, faccids := c.roleMemberOp()
	if err := c.failed(); err != nil {
		return nil, err
	}
	ok, bad := []string{}, []string{}
	for _, a := range faccids {
		if c.st.roleMembers[r.RoleID][a] == nil {
			bad = append(bad, a)
			continue
		}
		delete(c.st.roleMembers[r.RoleID], a)
		c.changed = true
		ok = append(ok, a)
	}
	return obj{"successAccids": ok, "failAccids": bad}, nil
}

// qchatGetServerIdentifyMemberPages: members of a role by the time they got
// it, newest first; faccid breaks ties at the anchor (001), though the
// simulator's timetags are distinct. For @everyone: every server member by
// join time.
func qchatGetServerIdentifyMemberPages(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	r := c.serverRole(s, "roleId")
	anchor := c.timetagParam()
	fanchor := c.str("faccid", 32, false)
	lim := c.limit(maxPage)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requireMember(s, op); err != nil {
		return nil, err
	}
	type ent struct {
		tt int64
		m  *QChatServerMember
	}
	var es []ent
	if r.Type == roleTypeEveryone {
		for _, m := range c.st.members[s.ServerID] {
			es = append(es, ent{m.JoinTime, m})
		}
	} else {
		for a, rm := range c.st.roleMembers[r.RoleID] {
			if m := c.st.member(s.ServerID, a); m != nil {
				es = append(es, ent{rm.JoinTime, m})
			}
		}
	}
	// Newest first, accid ascending among equal times; the page starts after
	// (anchor, faccid) in that order.
	slices.SortFunc(es, func(a, b ent) int { return cmp.Or(cmp.Compare(b.tt, a.tt), cmp.Compare(a.m.Accid, b.m.Accid)) })
	out := []obj{}
	for _, e := range es {
		if len(out) == lim {
			break
		}
		if anchor > 0 && (e.tt > anchor || (e.tt == anchor && (fanchor == "" || e.m.Accid <= fanchor))) {
			continue
		}
		out = append(out, memberInfo(e.m))
	}
	return obj{"serverMembers": out}, nil
}

// qchatGetUserServerIdentify: the custom roles faccid holds, by the time it
// got them, newest first; ismember tells whether the operator holds each.
func qchatGetUserServerIdentify(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	who := c.account("faccid", true)
	anchor := c.timetagParam()
	lim := c.limit(maxPage)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requireMember(s, op); err != nil {
		return nil, err
	}
	var entries []pageEntry
	for _, r := range c.st.heldRoles(s.ServerID, who) {
		entries = append(entries, pageEntry{c.st.roleMembers[r.RoleID][who].JoinTime, c.st.roleInfoFor(r, op)})
	}
	list, _ := pageDesc(entries, anchor, lim)
	return obj{"serverIdentifies": list}, nil
}

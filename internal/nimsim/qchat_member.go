package nimsim

import "strings"

// QChat server members, invitations and applications (001).

// join adds accid to the server (no-op for a member) and drops whatever
// invitations and application were pending for it.
func (c *call) join(s *QChatServer, accid, inviter string) {
	st := c.st
	for k := range st.invites {
		if k.ServerID == s.ServerID && k.Accid == accid {
			delete(st.invites, k)
		}
	}
	delete(st.applies, accKey{s.ServerID, accid})
	if st.member(s.ServerID, accid) == nil {
		tt := st.timetag(c.nowMs)
		st.memberMap(s.ServerID)[accid] = &QChatServerMember{
			ServerID: s.ServerID, Accid: accid, Type: memberTypeNormal, Inviter: inviter,
			JoinTime: tt, CreateTime: tt, UpdateTime: tt,
		}
	}
	c.changed = true
}

// qchatInviteServerMember: needs permission 6 (invite). With inviteMode 1
// ("邀请不需要同意") the invitees join at once, otherwise the invitation
// waits for acceptServerInvite. failAccid (per-user server limit) never
// occurs here, so it is never sent.
func qchatInviteServerMember(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	invited := c.accountArray("invitedAccids", 200)
	msg := c.str("msg", 150, false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requirePerm(s, op, permInvite); err != nil {
		return nil, err
	}
	for _, a := range invited {
		switch {
		case c.st.member(s.ServerID, a) != nil:
		case s.InviteMode == 1:
			c.join(s, a, op)
		default:
			c.st.invites[inviteKey{s.ServerID, a, op}] = &QChatPending{
				ServerID: s.ServerID, Accid: a, By: op, Msg: msg, CreateTime: c.st.timetag(c.nowMs),
			}
			c.changed = true
		}
	}
	return obj{}, nil
}

func (c *call) pendingInvite() (*QChatServer, string, inviteKey) {
	accid := c.account("accid", true)
	s := c.server()
	by := c.account("inviteAccid", true)
	c.str("msg", 150, false)
	if c.err != nil {
		return nil, "", inviteKey{}
	}
	k := inviteKey{s.ServerID, accid, by}
	if c.st.invites[k] == nil {
		c.fail(notFound("invitation"))
	}
	return s, accid, k
}

func qchatAcceptServerInvite(c *call) (obj, error) {
	s, accid, k := c.pendingInvite()
	if err := c.failed(); err != nil {
		return nil, err
	}
	c.join(s, accid, k.By)
	return obj{}, nil
}

func qchatRejectServerInvite(c *call) (obj, error) {
	_, _, k := c.pendingInvite()
	if err := c.failed(); err != nil {
		return nil, err
	}
	delete(c.st.invites, k)
	c.changed = true
	return obj{}, nil
}

// qchatApplyServer: applyMode 0 ("申请不需要同意") joins at once; 1 waits for
// acceptServerApply. A member applying again gets 417 (duplicate).
func qchatApplyServer(c *call) (obj, error) {
	accid := c.account("accid", true)
	s := c.server()
	msg := c.str("msg", 150, false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if c.st.member(s.ServerID, accid) != nil {
		return nil, duplicate("already a member")
	}
	if s.ApplyMode == 0 {
		c.join(s, accid, "")
		return obj{}, nil
	}
	c.st.applies[accKey{s.ServerID, accid}] = &QChatPending{
		ServerID: s.ServerID, Accid: accid, Msg: msg, CreateTime: c.st.timetag(c.nowMs),
	}
	c.changed = true
	return obj{}, nil
}

// pendingApply: handling applications needs permission 25 (api-facts table).
func (c *call) pendingApply() (*QChatServer, string) {
	op := c.account("accid", true)
	s := c.server()
	applicant := c.account("applyAccid", true)
	c.str("msg", 150, false)
	if c.err != nil {
		return nil, ""
	}
	if err := c.requirePerm(s, op, permHandleApply); err != nil {
		c.failCheck(err)
		return nil, ""
	}
	if c.st.applies[accKey{s.ServerID, applicant}] == nil {
		c.fail(notFound("application"))
	}
	return s, applicant
}

func qchatAcceptServerApply(c *call) (obj, error) {
	s, applicant := c.pendingApply()
	if err := c.failed(); err != nil {
		return nil, err
	}
	c.join(s, applicant, "")
	return obj{}, nil
}

func qchatRejectServerApply(c *call) (obj, error) {
	s, applicant := c.pendingApply()
	if err := c.failed(); err != nil {
		return nil, err
	}
	delete(c.st.applies, accKey{s.ServerID, applicant})
	c.changed = true
	return obj{}, nil
}

// qchatKickServerMember: permission 7; the owner cannot be kicked (403);
// accounts that are not members are ignored.
func qchatKickServerMember(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	kicked := c.accountArray("kickedAccids", 200)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requirePerm(s, op, permKick); err != nil {
		return nil, err
	}
	for _, a := range kicked {
		if a == s.Owner {
			return nil, forbidden("cannot kick the owner")
		}
	}
	for _, a := range kicked {
		if c.st.member(s.ServerID, a) != nil {
			c.st.removeMember(s.ServerID, a)
			c.changed = true
		}
	}
	return obj{}, nil
}

// qchatLeaveServer: the owner cannot leave (he would orphan the server).
func qchatLeaveServer(c *call) (obj, error) {
	accid := c.account("accid", true)
	s := c.server()
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requireMember(s, accid); err != nil {
		return nil, err
	}
	if accid == s.Owner {
		return nil, forbidden("the owner cannot leave the server")
	}
	c.st.removeMember(s.ServerID, accid)
	c.changed = true
	return obj{}, nil
}

// memberEdit is a validated set of member-info changes.
type memberEdit struct {
	nick, avatar, custom          string
	hasNick, hasAvatar, hasCustom bool
}

func (c *call) memberEdit(withCustom bool) memberEdit {
	var e memberEdit
	e.nick, e.hasNick = c.str("nick", 64, false), c.has("nick")
	e.avatar, e.hasAvatar = c.str("avatar", 1024, false), c.has("avatar")
	if withCustom { // 001 lists custom for one's own info only
		e.custom, e.hasCustom = c.str("custom", 1024, false), c.has("custom")
	}
	return e
}

func (c *call) applyMemberEdit(m *QChatServerMember, e memberEdit) obj {
	if e.hasNick {
		m.Nick = e.nick
	}
	if e.hasAvatar {
		m.Avatar = e.avatar
	}
	if e.hasCustom {
		m.Custom = e.custom
	}
	m.UpdateTime = c.st.timetag(c.nowMs)
	c.changed = true
	return obj{"serverMember": memberInfo(m)}
}

// qchatUpdateServerMember: one's own info; permission 5.
func qchatUpdateServerMember(c *call) (obj, error) {
	accid := c.account("accid", true)
	s := c.server()
	e := c.memberEdit(true)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requirePerm(s, accid, permEditOwnInfo); err != nil {
		return nil, err
	}
	return c.applyMemberEdit(c.st.member(s.ServerID, accid), e), nil
}

// qchatUpdateOtherServerMember: permission 8; only the owner edits the owner.
func qchatUpdateOtherServerMember(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	other := c.account("otherAccid", true)
	e := c.memberEdit(false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requirePerm(s, op, permEditOthers); err != nil {
		return nil, err
	}
	m := c.st.member(s.ServerID, other)
	if m == nil {
		return nil, notFound("member")
	}
	if other == s.Owner && op != s.Owner {
		return nil, forbidden("only the owner can edit the owner")
	}
	return c.applyMemberEdit(m, e), nil
}

// qchatGetServerMembers: "serverId|accid" pairs; 001 gives no maximum, 200
// is the limit of its other batch lookups. Unknown pairs are left out.
func qchatGetServerMembers(c *call) (obj, error) {
	pairs := c.strArray("serverIdAccids", 200, 64)
	if err := c.failed(); err != nil {
		return nil, err
	}
	out := []obj{}
	for _, p := range pairs {
		sid, accid, ok := strings.Cut(p, "|")
		id, n := parseID(sid)
		if !ok || !n || accid == "" {
			return nil, paramErr("invalid serverIdAccids")
		}
		if m := c.st.member(id, accid); m != nil {
			out = append(out, memberInfo(m))
		}
	}
	return obj{"serverMembers": out}, nil
}

// qchatGetServerMemberListPage: by join time, newest first; when accid is
// given it must be a member (001: "如果传入校验该用户是否为服务器成员").
func qchatGetServerMemberListPage(c *call) (obj, error) {
	s := c.server()
	anchor := c.timetagParam()
	lim := c.limit(defaultPage)
	accid := c.account("accid", false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if accid != "" {
		if err := c.requireMember(s, accid); err != nil {
			return nil, err
		}
	}
	var entries []pageEntry
	for _, m := range c.st.members[s.ServerID] {
		entries = append(entries, pageEntry{m.JoinTime, memberInfo(m)})
	}
	list, page := pageDesc(entries, anchor, lim)
	return obj{"pageInfo": page, "serverMembers": list}, nil
}

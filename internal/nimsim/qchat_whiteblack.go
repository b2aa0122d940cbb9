package nimsim

// Channel white/black lists (001). type 1 = whitelist, 2 = blacklist;
// opeType 1 = add, 2 = remove. Both lists are stored for every channel; the
// one that matches the channel's viewMode decides visibility (canSee).
// Adding what is there or removing what is not is a no-op success, so
// retries are safe.

// Per-channel limits (api-facts): 1000 members and 20 roles per list.
const (
	maxListUsers = 1000
	maxListRoles = 20
)

// listOp reads serverId, channelId, type and accid and checks the operator.
// Changing a list needs permission 13 in the channel. Reading one needs no
// operator (001's batchGet examples send none); one that is given must be a
// member of the server.
func (c *call) listOp(change bool) (*QChatServer, *QChatChannel, int) {
	s := c.server()
	ch := c.channel(s)
	typ := c.enum("type", true, 0, listWhite, listBlack)
	op := c.account("accid", change)
	if c.err != nil {
		return nil, nil, 0
	}
	var err error
	if op != "" {
		err = c.requireMember(s, op)
	}
	if err == nil && change {
		err = c.requireChannelPerm(s, ch, op, permManageLists)
	}
	if err != nil {
		c.failCheck(err)
	}
	return s, ch, typ
}

func qchatUpdateWhiteBlackIdentify(c *call) (obj, error) {
	s, ch, typ := c.listOp(true)
	add := c.enum("opeType", true, 0, 1, 2) == 1
	r := c.serverRole(s, "roleid")
	if err := c.failed(); err != nil {
		return nil, err
	}
	k := wbRoleKey{ch.ChannelID, typ, r.RoleID}
	switch {
	case add && c.st.wbRoles[k] == nil:
		n := 0
		for kk := range c.st.wbRoles {
			if kk.ChannelID == ch.ChannelID && kk.Type == typ {
				n++
			}
		}
		if n >= maxListRoles {
			return nil, errf(419, "too many roles on the list")
		}
		c.st.wbRoles[k] = &QChatWhiteBlackRole{ServerID: s.ServerID, ChannelID: ch.ChannelID, Type: typ, RoleID: r.RoleID, CreateTime: c.st.timetag(c.nowMs)}
		c.changed = true
	case !add && c.st.wbRoles[k] != nil:
		delete(c.st.wbRoles, k)
		c.changed = true
	}
	return obj{}, nil
}

// qchatUpdateWhiteBlackIdentifyUser: at most 100 accounts per call (001);
// they must be server members (414 otherwise: they cannot be listed).
func qchatUpdateWhiteBlackIdentifyUser(c *call) (obj, error) {
	s, ch, typ := c.listOp(true)
	add := c.enum("opeType", true, 0, 1, 2) == 1
	accids := c.accountArray("toAccids", 100)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if add {
		n := 0
		for k := range c.st.wbUsers {
			if k.ChannelID == ch.ChannelID && k.Type == typ {
				n++
			}
		}
		for _, a := range accids {
			if c.st.member(s.ServerID, a) == nil {
				return nil, paramErr("toAccids: " + a + " is not a server member")
			}
			if c.st.wbUsers[wbUserKey{ch.ChannelID, typ, a}] == nil {
				n++
			}
		}
		if n > maxListUsers {
			return nil, errf(419, "too many accounts on the list")
		}
	}
	for _, a := range accids {
		k := wbUserKey{ch.ChannelID, typ, a}
		switch {
		case add && c.st.wbUsers[k] == nil:
			c.st.wbUsers[k] = &QChatWhiteBlackUser{ServerID: s.ServerID, ChannelID: ch.ChannelID, Type: typ, Accid: a, CreateTime: c.st.timetag(c.nowMs)}
			c.changed = true
		case !add && c.st.wbUsers[k] != nil:
			delete(c.st.wbUsers, k)
			c.changed = true
		}
	}
	return obj{}, nil
}

// qchatQueryWhiteBlackIdentify pages the listed roles by the time they were
// listed, newest first; items are server identify objects (001).
func qchatQueryWhiteBlackIdentify(c *call) (obj, error) {
	_, ch, typ := c.listOp(false)
	anchor := c.timetagParam()
	lim := c.limit(defaultPage)
	if err := c.failed(); err != nil {
		return nil, err
	}
	var entries []pageEntry
	for k, w := range c.st.wbRoles {
		if k.ChannelID == ch.ChannelID && k.Type == typ {
			entries = append(entries, pageEntry{w.CreateTime, c.st.roleInfo(c.st.roles[k.RoleID])})
		}
	}
	list, page := pageDesc(entries, anchor, lim)
	return obj{"pageInfo": page, "identifies": list}, nil
}

func qchatQueryWhiteBlackIdentifyUser(c *call) (obj, error) {
	s, ch, typ := c.listOp(false)
	anchor := c.timetagParam()
	lim := c.limit(defaultPage)
	if err := c.failed(); err != nil {
		return nil, err
	}
	var entries []pageEntry
	for k, w := range c.st.wbUsers {
		if k.ChannelID == ch.ChannelID && k.Type == typ {
			if m := c.st.member(s.ServerID, k.Accid); m != nil {
				entries = append(entries, pageEntry{w.CreateTime, memberInfo(m)})
			}
		}
	}
	list, page := pageDesc(entries, anchor, lim)
	return obj{"pageInfo": page, "members": list}, nil
}

// qchatBatchGetWhiteBlackIdentify: which of the given roles (≤100) are on
// the list.
func qchatBatchGetWhiteBlackIdentify(c *call) (obj, error) {
	_, ch, typ := c.listOp(false)
	ids := c.idArray("roleids", 100)
	if err := c.failed(); err != nil {
		return nil, err
	}
	out := []obj{}
	for _, id := range dedupe(ids) {
		if c.st.wbRoles[wbRoleKey{ch.ChannelID, typ, id}] != nil {
			out = append(out, c.st.roleInfo(c.st.roles[id]))
		}
	}
	return obj{"identifies": out}, nil
}

func qchatBatchGetWhiteBlackIdentifyUser(c *call) (obj, error) {
	s, ch, typ := c.listOp(false)
	accids := c.strArray("accids", 100, 32)
	if err := c.failed(); err != nil {
		return nil, err
	}
	out := []obj{}
	for _, a := range accids {
		if c.st.wbUsers[wbUserKey{ch.ChannelID, typ, a}] != nil {
			if m := c.st.member(s.ServerID, a); m != nil {
				out = append(out, memberInfo(m))
			}
		}
	}
	return obj{"members": out}, nil
}

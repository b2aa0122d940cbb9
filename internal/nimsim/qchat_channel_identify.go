package nimsim

import "maps"

// Channel identifies (roles in a channel) and per-user channel permission
// overrides (001). Both need permission 3 (manage role) in the channel and
// take auths with the channel keys only, values 1/-1/0.

// chanRoleOp reads accid, serverId, channelId (in that server) and checks
// permission 3 in the channel.
func (c *call) chanRoleOp() (*QChatServer, *QChatChannel) {
	op := c.account("accid", true)
	s := c.server()
	ch := c.channel(s)
	if c.err != nil {
		return nil, nil
	}
	if err := c.requireChannelPerm(s, ch, op, permManageRole); err != nil {
		c.failCheck(err)
	}
	return s, ch
}

// qchatCreateChannelIdentify: one channel role per server role and channel;
// a second one is a 417 (duplicate). It starts with every key at 0 (inherit).
func qchatCreateChannelIdentify(c *call) (obj, error) {
	s, ch := c.chanRoleOp()
	r := c.serverRole(s, "serverRoleId")
	if err := c.failed(); err != nil {
		return nil, err
	}
	if c.st.channelRoleFor(ch.ChannelID, r.RoleID) != nil {
		return nil, duplicate("channel role already exists")
	}
	tt := c.st.timetag(c.nowMs)
	cr := &QChatChannelRole{
		RoleID: nextID(&c.st.NextChannelRoleID), ServerID: s.ServerID, ChannelID: ch.ChannelID,
		ServerRoleID: r.RoleID, Auths: inheritAuths(), CreateTime: tt, UpdateTime: tt,
	}
	c.st.chanRoles[cr.RoleID] = cr
	c.changed = true
	return obj{"identify": c.st.channelRoleInfo(cr)}, nil
}

// channelRole looks up "roleId" as a channel role of ch (not a server role id).
func (c *call) channelRole(ch *QChatChannel) *QChatChannelRole {
	id := c.id("roleId")
	if c.err != nil || ch == nil {
		return nil
	}
	cr := c.st.chanRoles[id]
	if cr == nil || cr.ChannelID != ch.ChannelID {
		c.fail(notFound("channel role"))
		return nil
	}
	return cr
}

func qchatDeleteChannelIdentify(c *call) (obj, error) {
	_, ch := c.chanRoleOp()
	cr := c.channelRole(ch)
	if err := c.failed(); err != nil {
		return nil, err
	}
	delete(c.st.chanRoles, cr.RoleID)
	c.changed = true
	return obj{}, nil
}

func qchatUpdateChannelIdentify(c *call) (obj, error) {
	_, ch := c.chanRoleOp()
	cr := c.channelRole(ch)
	auths := c.auths(true, true)
	if err := c.failed(); err != nil {
		return nil, err
	}
	maps.Copy(cr.Auths, auths)
	cr.UpdateTime = c.st.timetag(c.nowMs)
	c.changed = true
	return obj{"identify": c.st.channelRoleInfo(cr)}, nil
}

// qchatGetChannelIdentifyPages: channel roles by creation time, newest
// first; the first page starts with @everyone's channel role (if there is
// one), one item more than limit, and later pages leave it out (001).
// The example has no pageInfo: the anchor is the last item's createtime.
func qchatGetChannelIdentifyPages(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	ch := c.channel(s)
	anchor := c.timetagParam()
	lim := c.limit(maxPage)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requireMember(s, op); err != nil {
		return nil, err
	}
	var first []obj
	var entries []pageEntry
	for _, cr := range c.st.chanRoles {
		if cr.ChannelID != ch.ChannelID {
			continue
		}
		if r := c.st.roles[cr.ServerRoleID]; r != nil && r.Type == roleTypeEveryone {
			if anchor == 0 {
				first = append(first, c.st.channelRoleInfo(cr))
			}
			continue
		}
		entries = append(entries, pageEntry{cr.CreateTime, c.st.channelRoleInfo(cr)})
	}
	list, _ := pageDesc(entries, anchor, lim)
	return obj{"identifies": append(append([]obj{}, first...), list...)}, nil
}

// userOverrideOp reads accid, serverId, channelId, faccid; faccid must be a
// member of the server (404 otherwise).
func (c *call) userOverrideOp() (*QChatServer, *QChatChannel, string) {
	s, ch := c.chanRoleOp()
	who := c.account("faccid", true)
	if c.err == nil && c.st.member(s.ServerID, who) == nil {
		c.fail(notFound("member"))
	}
	return s, ch, who
}

// qchatCreateUserIdentify: one override per account and channel (417 for a
// second); every key starts at 0 (inherit).
func qchatCreateUserIdentify(c *call) (obj, error) {
	s, ch, who := c.userOverrideOp()
	if err := c.failed(); err != nil {
		return nil, err
	}
	k := accKey{ch.ChannelID, who}
	if c.st.overrides[k] != nil {
		return nil, duplicate("user identify already exists")
	}
	tt := c.st.timetag(c.nowMs)
	ov := &QChatUserOverride{ServerID: s.ServerID, ChannelID: ch.ChannelID, Accid: who, Auths: inheritAuths(), CreateTime: tt, UpdateTime: tt}
	c.st.overrides[k] = ov
	c.changed = true
	return obj{"identify": c.st.overrideInfo(ov)}, nil
}

func (c *call) existingOverride() *QChatUserOverride {
	_, ch, who := c.userOverrideOp()
	if c.err != nil {
		return nil
	}
	ov := c.st.overrides[accKey{ch.ChannelID, who}]
	if ov == nil {
		c.fail(notFound("user identify"))
	}
	return ov
}

func qchatDeleteUserIdentify(c *call) (obj, error) {
	ov := c.existingOverride()
	if err := c.failed(); err != nil {
		return nil, err
	}
	delete(c.st.overrides, accKey{ov.ChannelID, ov.Accid})
	c.changed = true
	return obj{}, nil
}

func qchatUpdateUserIdentify(c *call) (obj, error) {
	ov := c.existingOverride()
	auths := c.auths(true, true)
	if err := c.failed(); err != nil {
		return nil, err
	}
	maps.Copy(ov.Auths, auths)
	ov.UpdateTime = c.st.timetag(c.nowMs)
	c.changed = true
	return obj{"identify": c.st.overrideInfo(ov)}, nil
}

// qchatGetUserIdentifyPages: overrides by creation time, newest first
// (001: "不传或者传0默认为查询服务器当前时间之前的limit条数据").
func qchatGetUserIdentifyPages(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	ch := c.channel(s)
	anchor := c.timetagParam()
	lim := c.limit(maxPage)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requireMember(s, op); err != nil {
		return nil, err
	}
	var entries []pageEntry
	for k, ov := range c.st.overrides {
		if k.ID == ch.ChannelID {
			entries = append(entries, pageEntry{ov.CreateTime, c.st.overrideInfo(ov)})
		}
	}
	list, _ := pageDesc(entries, anchor, lim)
	return obj{"identifies": list}, nil
}

package nimsim

// QChat channels (001: createChannel ... getChannelMemberListPage).

type channelEdit struct {
	name, topic, custom          string
	viewMode                     int
	hasName, hasTopic, hasCustom bool
	hasView                      bool
}

// channelEdit reads name/topic/custom/viewMode. Name is optional: 001's
// createChannel example sends only accid, serverId and type.
func (c *call) channelEdit() channelEdit {
	var e channelEdit
	e.name, e.hasName = c.str("name", 64, false), c.has("name")
	e.topic, e.hasTopic = c.str("topic", 64, false), c.has("topic")
	e.custom, e.hasCustom = c.str("custom", 1024, false), c.has("custom")
	e.viewMode, e.hasView = c.enum("viewMode", false, 0, 0, 1), c.has("viewMode")
	return e
}

// qchatCreateChannel: permission 2 (manage channel) on the server. type is
// required: 001 marks a default for viewMode ("0-公开(默认)") but none for type.
func qchatCreateChannel(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	typ := c.enum("type", true, 0, 0, 100)
	e := c.channelEdit()
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requirePerm(s, op, permManageChannel); err != nil {
		return nil, err
	}
	tt := c.st.timetag(c.nowMs)
	ch := &QChatChannel{
		ChannelID: nextID(&c.st.NextChannelID), ServerID: s.ServerID, Name: e.name,
		Topic: e.topic, Custom: e.custom, Type: typ, ViewMode: e.viewMode, Owner: op,
		CreateTime: tt, UpdateTime: tt,
	}
	c.st.channels[ch.ChannelID] = ch
	c.changed = true
	return obj{"channelInfo": channelInfo(ch)}, nil
}

// channelOp reads accid + channelId and checks permission 2 in the channel.
func (c *call) channelOp() (*QChatChannel, error) {
	op := c.account("accid", true)
	ch := c.channel(nil)
	if c.err != nil {
		return nil, c.err
	}
	s := c.st.servers[ch.ServerID]
	if err := c.requireChannelPerm(s, ch, op, permManageChannel); err != nil {
		return nil, err
	}
	return ch, nil
}

// qchatRemoveChannel also removes the channel's roles, overrides and lists.
func qchatRemoveChannel(c *call) (obj, error) {
	ch, err := c.channelOp()
	if err != nil {
		return nil, err
	}
	c.st.removeChannel(ch.ChannelID)
	c.changed = true
	return obj{}, nil
}

func qchatUpdateChannel(c *call) (obj, error) {
	ch, err := c.channelOp()
	e := c.channelEdit()
	if err != nil {
		return nil, err
	}
	if err := c.failed(); err != nil {
		return nil, err
	}
	if e.hasName {
		ch.Name = e.name
	}
	if e.hasTopic {
		ch.Topic = e.topic
	}
	if e.hasCustom {
		ch.Custom = e.custom
	}
	if e.hasView {
		ch.ViewMode = e.viewMode
	}
	ch.UpdateTime = c.st.timetag(c.nowMs)
	c.changed = true
	return obj{"channelInfo": channelInfo(ch)}, nil
}

func qchatGetChannels(c *call) (obj, error) {
	ids := c.idArray("channelIds", 200)
	if err := c.failed(); err != nil {
		return nil, err
	}
	out := []obj{}
	for _, id := range dedupe(ids) {
		if ch := c.st.channels[id]; ch != nil {
			out = append(out, channelInfo(ch))
		}
	}
	return obj{"channelInfos": out}, nil
}

// qchatGetChannelListPage: by creation time, newest first; with accid only
// the channels that account can see (001), and it must be a member.
func qchatGetChannelListPage(c *call) (obj, error) {
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
	for _, ch := range c.st.channels {
		if ch.ServerID == s.ServerID && (accid == "" || c.st.canSee(s, ch, accid)) {
			entries = append(entries, pageEntry{ch.CreateTime, channelInfo(ch)})
		}
	}
	list, page := pageDesc(entries, anchor, lim)
	return obj{"pageInfo": page, "channelInfos": list}, nil
}

// qchatGetChannelMemberListPage: the server members who can see the channel,
// by join time, newest first (001's timetag text is copied from the channel
// list; members have no creation time of their own). With accid, that
// account must be able to see the channel (403 otherwise).
func qchatGetChannelMemberListPage(c *call) (obj, error) {
	s := c.server()
	ch := c.channel(s)
	anchor := c.timetagParam()
	lim := c.limit(defaultPage)
	accid := c.account("accid", false)
	if err := c.failed(); err != nil {
		return nil, err
	}
	if accid != "" && !c.st.canSee(s, ch, accid) {
		return nil, forbidden("accid cannot see the channel")
	}
	var entries []pageEntry
	for a, m := range c.st.members[s.ServerID] {
		if c.st.canSee(s, ch, a) {
			entries = append(entries, pageEntry{m.JoinTime, memberInfo(m)})
		}
	}
	list, page := pageDesc(entries, anchor, lim)
	return obj{"pageInfo": page, "members": list}, nil
}

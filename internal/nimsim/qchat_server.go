package nimsim

// QChat servers (001: createServer ... getServerListPage).

// serverFields reads the optional name/icon/custom/inviteMode/applyMode.
// Name is optional: 001's createServer example sends only accid.
type serverFields struct {
	name, icon, custom     string
	invite, apply          int
	hasName, hasIcon, hasC bool
	hasInvite, hasApply    bool
}

func (c *call) serverFields() serverFields {
	var f serverFields
	f.name, f.hasName = c.str("name", 64, false), c.has("name")
	f.icon, f.hasIcon = c.str("icon", 1024, false), c.has("icon")
	f.custom, f.hasC = c.str("custom", 1024, false), c.has("custom")
	f.invite, f.hasInvite = c.enum("inviteMode", false, 0, 0, 1), c.has("inviteMode")
	f.apply, f.hasApply = c.enum("applyMode", false, 0, 0, 1), c.has("applyMode")
	return f
}

func qchatCreateServer(c *call) (obj, error) {
	owner := c.account("accid", true)
	f := c.serverFields()
	if err := c.failed(); err != nil {
		return nil, err
	}
	st := c.st
	tt := st.timetag(c.nowMs)
	s := &QChatServer{
		ServerID: nextID(&st.NextServerID), Name: f.name, Icon: f.icon, Custom: f.custom,
		Owner: owner, InviteMode: f.invite, ApplyMode: f.apply, CreateTime: tt, UpdateTime: tt,
	}
	st.servers[s.ServerID] = s
	st.memberMap(s.ServerID)[owner] = &QChatServerMember{
		ServerID: s.ServerID, Accid: owner, Type: memberTypeOwner,
		JoinTime: tt, CreateTime: tt, UpdateTime: tt,
	}
	// The @everyone role comes with every server (api-facts): type 1, priority 0.
	e := &QChatServerRole{
		RoleID: nextID(&st.NextRoleID), ServerID: s.ServerID, Name: "@everyone",
		Type: roleTypeEveryone, Priority: 0, Auths: defaultEveryoneAuths(),
		CreateTime: tt, UpdateTime: tt,
	}
	st.roles[e.RoleID] = e
	c.changed = true
	return obj{"serverInfo": st.serverInfo(s)}, nil
}

// qchatRemoveServer: only the owner may remove a server. Everything in it
// goes with it (channels, roles, channel roles, members, lists, invites).
func qchatRemoveServer(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	if err := c.failed(); err != nil {
		return nil, err
	}
	if op != s.Owner {
		return nil, forbidden("only the owner can remove the server")
	}
	c.st.removeServer(s.ServerID)
	c.changed = true
	return obj{}, nil
}

func qchatUpdateServer(c *call) (obj, error) {
	op := c.account("accid", true)
	s := c.server()
	f := c.serverFields()
	if err := c.failed(); err != nil {
		return nil, err
	}
	if err := c.requirePerm(s, op, permManageServer); err != nil {
		return nil, err
	}
	if f.hasName {
		s.Name = f.name
	}
	if f.hasIcon {
		s.Icon = f.icon
	}
	if f.hasC {
		s.Custom = f.custom
	}
	if f.hasInvite {
		s.InviteMode = f.invite
	}
	if f.hasApply {
		s.ApplyMode = f.apply
	}
	s.UpdateTime = c.st.timetag(c.nowMs)
	c.changed = true
	return obj{"serverInfo": c.st.serverInfo(s)}, nil
}

// qchatGetServers: at most 200 ids; unknown ids are left out of the answer.
func qchatGetServers(c *call) (obj, error) {
	ids := c.idArray("serverIds", 200)
	if err := c.failed(); err != nil {
		return nil, err
	}
	out := []obj{}
	for _, id := range dedupe(ids) {
		if s := c.st.servers[id]; s != nil {
			out = append(out, c.st.serverInfo(s))
		}
	}
	return obj{"serverInfos": out}, nil
}

// qchatGetServerListPage: the servers accid belongs to, by join time, newest
// first (001: "用户加入服务器时间 ... 分页查询按照加入时间逆序").
func qchatGetServerListPage(c *call) (obj, error) {
	accid := c.account("accid", true)
	anchor := c.timetagParam()
	lim := c.limit(defaultPage)
	if err := c.failed(); err != nil {
		return nil, err
	}
	var entries []pageEntry
	for sid, ms := range c.st.members {
		if m := ms[accid]; m != nil {
			entries = append(entries, pageEntry{m.JoinTime, c.st.serverInfo(c.st.servers[sid])})
		}
	}
	list, page := pageDesc(entries, anchor, lim)
	return obj{"pageInfo": page, "serverInfos": list}, nil
}

func dedupe[T comparable](xs []T) []T {
	seen := map[T]bool{}
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

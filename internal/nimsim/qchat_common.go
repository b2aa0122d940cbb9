package nimsim

import (
	"cmp"
	"errors"
	"slices"
)

// Lookups, views, permission checks and paging shared by the QChat files.

const (
	memberTypeNormal = 0
	memberTypeOwner  = 1
	roleTypeEveryone = 1
	roleTypeCustom   = 2
	listWhite        = 1
	listBlack        = 2
)

func (c *call) server() *QChatServer {
	id := c.id("serverId")
	if c.err != nil {
		return nil
	}
	s := c.st.servers[id]
	if s == nil {
		c.fail(notFound("server"))
	}
	return s
}

// channel looks up "channelId"; when srv is given the channel must be in it.
func (c *call) channel(srv *QChatServer) *QChatChannel {
	id := c.id("channelId")
	if c.err != nil {
		return nil
	}
	ch := c.st.channels[id]
	if ch == nil || (srv != nil && ch.ServerID != srv.ServerID) {
		c.fail(notFound("channel"))
		return nil
	}
	return ch
}

// serverRole looks up a server role of srv by the named parameter.
func (c *call) serverRole(srv *QChatServer, name string) *QChatServerRole {
	id := c.id(name)
	if c.err != nil || srv == nil {
		return nil
	}
	r := c.st.roles[id]
	if r == nil || r.ServerID != srv.ServerID {
		c.fail(notFound("role"))
		return nil
	}
	return r
}

func (st *state) member(serverID int64, accid string) *QChatServerMember {
	return st.members[serverID][accid]
}

func (st *state) everyone(serverID int64) *QChatServerRole {
	for _, r := range st.roles {
		if r.ServerID == serverID && r.Type == roleTypeEveryone {
			return r
		}
	}
	return nil
}

func (st *state) serverRoles(serverID int64) []*QChatServerRole {
	var out []*QChatServerRole
	for _, r := range st.roles {
		if r.ServerID == serverID {
			out = append(out, r)
		}
	}
	return out
}

// heldRoles are the custom roles accid holds in the server.
func (st *state) heldRoles(serverID int64, accid string) []*QChatServerRole {
	var out []*QChatServerRole
	for _, r := range st.serverRoles(serverID) {
		if r.Type == roleTypeCustom && st.roleMembers[r.RoleID][accid] != nil {
			out = append(out, r)
		}
	}
	return out
}

func (st *state) channelRoleFor(channelID, serverRoleID int64) *QChatChannelRole {
	for _, r := range st.chanRoles {
		if r.ChannelID == channelID && r.ServerRoleID == serverRoleID {
			return r
		}
	}
	return nil
}

// --- permissions
//
// The rule, kept simple on purpose: the server owner may do everything. Any
// other operator must be a server member; a server-level permission is
// granted when @everyone or any custom role the member holds allows it (a
// union, as in Discord). A channel-level permission starts from that, then
// @everyone's channel role (if it says 1/-1), then the member's roles'
// channel roles (any 1 allows, else any -1 denies), then the member's own
// override in the channel, each later step overriding the earlier ones.

func (st *state) serverPerm(srv *QChatServer, accid string, key int) bool {
	if accid == srv.Owner {
		return true
	}
	if st.member(srv.ServerID, accid) == nil {
		return false
	}
	if e := st.everyone(srv.ServerID); e != nil && e.Auths[key] == 1 {
		return true
	}
	for _, r := range st.heldRoles(srv.ServerID, accid) {
		if r.Auths[key] == 1 {
			return true
		}
	}
	return false
}

func (st *state) channelPerm(srv *QChatServer, ch *QChatChannel, accid string, key int) bool {
	if accid == srv.Owner {
		return true
	}
	ok := st.serverPerm(srv, accid, key)
	if !slices.Contains(channelPermKeys, key) || st.member(srv.ServerID, accid) == nil {
		return ok
	}
	if e := st.everyone(srv.ServerID); e != nil {
		if cr := st.channelRoleFor(ch.ChannelID, e.RoleID); cr != nil && cr.Auths[key] != 0 {
			ok = cr.Auths[key] == 1
		}
	}
	allow, deny := false, false
	for _, r := range st.heldRoles(srv.ServerID, accid) {
		if cr := st.channelRoleFor(ch.ChannelID, r.RoleID); cr != nil {
			allow = allow || cr.Auths[key] == 1
			deny = deny || cr.Auths[key] == -1
		}
	}
	if allow {
		ok = true
	} else if deny {
		ok = false
	}
	if ov := st.overrides[accKey{ch.ChannelID, accid}]; ov != nil && ov.Auths[key] != 0 {
		ok = ov.Auths[key] == 1
	}
	return ok
}

// requireMember: the operator must belong to the server (403 otherwise).
func (c *call) requireMember(srv *QChatServer, accid string) error {
	if c.st.member(srv.ServerID, accid) == nil {
		return forbidden("accid is not a member of the server")
	}
	return nil
}

// failCheck makes the error of a require* check, always an *apiError, the
// call's answer.
func (c *call) failCheck(err error) {
	var e *apiError
	if !errors.As(err, &e) {
		e = errf(500, "%s", err)
	}
	c.fail(e)
}

func (c *call) requirePerm(srv *QChatServer, accid string, key int) error {
	if err := c.requireMember(srv, accid); err != nil {
		return err
	}
	if !c.st.serverPerm(srv, accid, key) {
		return forbidden("no permission")
	}
	return nil
}

func (c *call) requireChannelPerm(srv *QChatServer, ch *QChatChannel, accid string, key int) error {
	if err := c.requireMember(srv, accid); err != nil {
		return err
	}
	if !c.st.channelPerm(srv, ch, accid, key) {
		return forbidden("no permission")
	}
	return nil
}

// canSee: a public channel (viewMode 0) is visible to members not on its
// blacklist (directly or through a role); a private one (1) to members on
// its whitelist (directly or through a role, @everyone included). The
// server owner sees everything.
func (st *state) canSee(srv *QChatServer, ch *QChatChannel, accid string) bool {
	if accid == srv.Owner {
		return true
	}
	if st.member(srv.ServerID, accid) == nil {
		return false
	}
	typ := listBlack
	if ch.ViewMode == 1 {
		typ = listWhite
	}
	listed := st.wbUsers[wbUserKey{ch.ChannelID, typ, accid}] != nil
	roles := st.heldRoles(srv.ServerID, accid)
	if e := st.everyone(srv.ServerID); e != nil {
		roles = append(roles, e)
	}
	for _, r := range roles {
		listed = listed || st.wbRoles[wbRoleKey{ch.ChannelID, typ, r.RoleID}] != nil
	}
	return listed == (typ == listWhite)
}

// --- views (001 answer shapes)

func (st *state) serverInfo(s *QChatServer) obj {
	channels := 0
	for _, ch := range st.channels {
		if ch.ServerID == s.ServerID {
			channels++
		}
	}
	return obj{
		"serverId": s.ServerID, "name": s.Name, "icon": s.Icon, "custom": s.Custom,
		"owner": s.Owner, "memberNumber": len(st.members[s.ServerID]),
		"inviteMode": s.InviteMode, "applyMode": s.ApplyMode, "channelNumber": channels,
		"validFlag": 1, "createTime": s.CreateTime, "updateTime": s.UpdateTime,
	}
}

func memberInfo(m *QChatServerMember) obj {
	return obj{
		"serverId": m.ServerID, "accid": m.Accid, "nick": m.Nick, "avatar": m.Avatar,
		"custom": m.Custom, "type": m.Type, "joinTime": m.JoinTime, "inviter": m.Inviter,
		"validFlag": 1, "createTime": m.CreateTime, "updateTime": m.UpdateTime,
	}
}

func channelInfo(ch *QChatChannel) obj {
	return obj{
		"channelId": ch.ChannelID, "serverId": ch.ServerID, "name": ch.Name, "topic": ch.Topic,
		"custom": ch.Custom, "type": ch.Type, "owner": ch.Owner, "viewMode": ch.ViewMode,
		"validFlag": 1, "createTime": ch.CreateTime, "updateTime": ch.UpdateTime,
	}
}

// roleInfo is a server identify; membercount of @everyone is the server's
// member count, since every member holds it.
func (st *state) roleInfo(r *QChatServerRole) obj {
	n := len(st.roleMembers[r.RoleID])
	if r.Type == roleTypeEveryone {
		n = len(st.members[r.ServerID])
	}
	return obj{
		"ext": r.Ext, "membercount": n, "createtime": r.CreateTime, "roleId": r.RoleID,
		"auths": encodeAuths(r.Auths), "name": r.Name, "icon": r.Icon,
		"priority": r.Priority, "type": r.Type, "updatetime": r.UpdateTime,
	}
}

// holds reports whether accid holds role r (@everyone: any member).
func (st *state) holds(r *QChatServerRole, accid string) bool {
	if r.Type == roleTypeEveryone {
		return st.member(r.ServerID, accid) != nil
	}
	return st.roleMembers[r.RoleID][accid] != nil
}

// roleInfoFor adds ismember: whether the operator holds the role.
func (st *state) roleInfoFor(r *QChatServerRole, op string) obj {
	o := st.roleInfo(r)
	o["ismember"] = 0
	if st.holds(r, op) {
		o["ismember"] = 1
	}
	return o
}

// channelRoleInfo: name, icon, ext and type are the server role's, live.
func (st *state) channelRoleInfo(cr *QChatChannelRole) obj {
	o := obj{
		"serverId": cr.ServerID, "channelId": cr.ChannelID, "createtime": cr.CreateTime,
		"roleId": cr.RoleID, "auths": encodeAuths(cr.Auths), "serverRoleId": cr.ServerRoleID,
		"name": "", "icon": "", "ext": "", "type": roleTypeCustom, "updatetime": cr.UpdateTime,
	}
	if r := st.roles[cr.ServerRoleID]; r != nil {
		o["name"], o["icon"], o["ext"], o["type"] = r.Name, r.Icon, r.Ext, r.Type
	}
	return o
}

func (st *state) overrideInfo(ov *QChatUserOverride) obj {
	o := obj{
		"serverId": ov.ServerID, "channelId": ov.ChannelID, "createtime": ov.CreateTime,
		"accid": ov.Accid, "auths": encodeAuths(ov.Auths), "avatar": "", "inviter": "",
		"joinTime": 0, "nick": "", "memberType": 0, "custom": "", "updatetime": ov.UpdateTime,
	}
	if m := st.member(ov.ServerID, ov.Accid); m != nil {
		o["avatar"], o["inviter"], o["joinTime"] = m.Avatar, m.Inviter, m.JoinTime
		o["nick"], o["memberType"], o["custom"] = m.Nick, m.Type, m.Custom
	}
	return o
}

// --- paging
//
// Lists are ordered by a timetag, newest first; a page holds the entries
// strictly older than the request's timetag (0 = from the newest). All
// timetags are distinct (state.timetag), so following nextTimetag visits
// every entry exactly once.

type pageEntry struct {
	tt int64
	v  obj
}

func pageDesc(entries []pageEntry, anchor int64, limit int) ([]obj, obj) {
	slices.SortFunc(entries, func(a, b pageEntry) int { return cmp.Compare(b.tt, a.tt) })
	out := []obj{}
	var next int64
	i := 0
	for ; i < len(entries) && len(out) < limit; i++ {
		if anchor > 0 && entries[i].tt >= anchor {
			continue
		}
		out = append(out, entries[i].v)
		next = entries[i].tt
	}
	hasMore := false
	for ; i < len(entries); i++ {
		if anchor == 0 || entries[i].tt < anchor {
			hasMore = true
			break
		}
	}
	return out, obj{"hasMore": hasMore, "nextTimetag": next}
}

func (c *call) timetagParam() int64 { return c.integer("timetag", false, 0, 0, 1<<62) }

// Page sizes: 001 says "最大数量200" and, for the identify pages, "不传时默认为200".
const (
	maxPage     = 200
	defaultPage = 100
)

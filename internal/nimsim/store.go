package nimsim

import (
	"cmp"
	"maps"
	"slices"
)

// Composite keys for relation maps.
type (
	accKey struct { // (owner id, accid): server member, role member, override, pending
		ID    int64
		Accid string
	}
	inviteKey struct {
		ServerID int64
		Accid    string
		By       string
	}
	wbRoleKey struct {
		ChannelID int64
		Type      int
		RoleID    int64
	}
	wbUserKey struct {
		ChannelID int64
		Type      int
		Accid     string
	}
)

// counters are persisted so ids and timetags never repeat, even across a
// restart from the state file or a Reset (a stale id must stay a 404).
type counters struct {
	NextRoomID        int64 `json:"nextRoomId"`
	NextServerID      int64 `json:"nextServerId"`
	NextChannelID     int64 `json:"nextChannelId"`
	NextRoleID        int64 `json:"nextRoleId"`
	NextChannelRoleID int64 `json:"nextChannelRoleId"`
	LastTimetag       int64 `json:"lastTimetag"`
}

// First ids: each kind has its own range, all above 2^31, so a client that
// mixes kinds up gets a 404 and one that truncates ids to 32 bits breaks.
func initialCounters() counters {
	return counters{
		NextRoomID:        3_000_000_001,
		NextServerID:      4_000_000_001,
		NextChannelID:     5_000_000_001,
		NextRoleID:        6_000_000_001,
		NextChannelRoleID: 7_000_000_001,
	}
}

type state struct {
	counters
	rooms       map[int64]*Chatroom
	servers     map[int64]*QChatServer
	members     map[int64]map[string]*QChatServerMember // server -> accid
	invites     map[inviteKey]*QChatPending
	applies     map[accKey]*QChatPending // (server, applicant)
	channels    map[int64]*QChatChannel
	roles       map[int64]*QChatServerRole
	roleMembers map[int64]map[string]*QChatRoleMember // role -> accid
	chanRoles   map[int64]*QChatChannelRole
	overrides   map[accKey]*QChatUserOverride // (channel, accid)
	wbRoles     map[wbRoleKey]*QChatWhiteBlackRole
	wbUsers     map[wbUserKey]*QChatWhiteBlackUser
	// delayCheckAt is the earliest pending delay-close deadline (ms), 0 = none.
	delayCheckAt int64
}

func newState(c counters) *state {
	return &state{
		counters:    c,
		rooms:       map[int64]*Chatroom{},
		servers:     map[int64]*QChatServer{},
		members:     map[int64]map[string]*QChatServerMember{},
		invites:     map[inviteKey]*QChatPending{},
		applies:     map[accKey]*QChatPending{},
		channels:    map[int64]*QChatChannel{},
		roles:       map[int64]*QChatServerRole{},
		roleMembers: map[int64]map[string]*QChatRoleMember{},
		chanRoles:   map[int64]*QChatChannelRole{},
		overrides:   map[accKey]*QChatUserOverride{},
		wbRoles:     map[wbRoleKey]*QChatWhiteBlackRole{},
		wbUsers:     map[wbUserKey]*QChatWhiteBlackUser{},
	}
}

// timetag returns a millisecond timestamp that is strictly greater than every
// one handed out before. Paging anchors on these values, so making them
// distinct is what lets a client walk every page and see each object once.
func (st *state) timetag(nowMs int64) int64 {
	if nowMs <= st.LastTimetag {
		nowMs = st.LastTimetag + 1
	}
	st.LastTimetag = nowMs
	return nowMs
}

func nextID(p *int64) int64 { id := *p; *p++; return id }

func sortedValues[K comparable, V any](m map[K]*V, less func(a, b *V) int) []V {
	vs := slices.Collect(maps.Values(m))
	slices.SortFunc(vs, less)
	out := make([]V, len(vs))
	for i, v := range vs {
		out[i] = *v
	}
	return out
}

// snapshot returns a deep copy of the state as sorted slices.
func (st *state) snapshot() Objects {
	var o Objects
	o.Chatrooms = sortedValues(st.rooms, func(a, b *Chatroom) int { return cmp.Compare(a.RoomID, b.RoomID) })
	for i := range o.Chatrooms {
		o.Chatrooms[i].Members = slices.Clone(o.Chatrooms[i].Members)
		if o.Chatrooms[i].Members == nil {
			o.Chatrooms[i].Members = []ChatroomMember{}
		}
	}
	o.QChatServers = sortedValues(st.servers, func(a, b *QChatServer) int { return cmp.Compare(a.ServerID, b.ServerID) })
	o.QChatServerMembers = []QChatServerMember{}
	for _, m := range st.members {
		for _, v := range m {
			o.QChatServerMembers = append(o.QChatServerMembers, *v)
		}
	}
	slices.SortFunc(o.QChatServerMembers, func(a, b QChatServerMember) int {
		return cmp.Or(cmp.Compare(a.ServerID, b.ServerID), cmp.Compare(a.JoinTime, b.JoinTime))
	})
	pendLess := func(a, b *QChatPending) int { return cmp.Compare(a.CreateTime, b.CreateTime) }
	o.QChatInvites = sortedValues(st.invites, pendLess)
	o.QChatApplies = sortedValues(st.applies, pendLess)
	o.QChatChannels = sortedValues(st.channels, func(a, b *QChatChannel) int { return cmp.Compare(a.ChannelID, b.ChannelID) })
	o.QChatServerRoles = sortedValues(st.roles, func(a, b *QChatServerRole) int { return cmp.Compare(a.RoleID, b.RoleID) })
	for i := range o.QChatServerRoles {
		o.QChatServerRoles[i].Auths = maps.Clone(o.QChatServerRoles[i].Auths)
	}
	o.QChatRoleMembers = []QChatRoleMember{}
	for _, m := range st.roleMembers {
		for _, v := range m {
			o.QChatRoleMembers = append(o.QChatRoleMembers, *v)
		}
	}
	slices.SortFunc(o.QChatRoleMembers, func(a, b QChatRoleMember) int {
		return cmp.Or(cmp.Compare(a.RoleID, b.RoleID), cmp.Compare(a.JoinTime, b.JoinTime))
	})
	o.QChatChannelRoles = sortedValues(st.chanRoles, func(a, b *QChatChannelRole) int { return cmp.Compare(a.RoleID, b.RoleID) })
	for i := range o.QChatChannelRoles {
		o.QChatChannelRoles[i].Auths = maps.Clone(o.QChatChannelRoles[i].Auths)
	}
	o.QChatUserOverrides = sortedValues(st.overrides, func(a, b *QChatUserOverride) int { return cmp.Compare(a.CreateTime, b.CreateTime) })
	for i := range o.QChatUserOverrides {
		o.QChatUserOverrides[i].Auths = maps.Clone(o.QChatUserOverrides[i].Auths)
	}
	o.QChatWhiteBlackRoles = sortedValues(st.wbRoles, func(a, b *QChatWhiteBlackRole) int { return cmp.Compare(a.CreateTime, b.CreateTime) })
	o.QChatWhiteBlackUsers = sortedValues(st.wbUsers, func(a, b *QChatWhiteBlackUser) int { return cmp.Compare(a.CreateTime, b.CreateTime) })
	return o
}

// restore rebuilds a state from a snapshot (state file load).
func restore(c counters, o Objects) *state {
	st := newState(c)
	for _, v := range o.Chatrooms {
		r := v
		r.Members = slices.Clone(v.Members)
		st.rooms[r.RoomID] = &r
		st.noteDelay(&r)
	}
	for _, v := range o.QChatServers {
		s := v
		st.servers[s.ServerID] = &s
	}
	for _, v := range o.QChatServerMembers {
		m := v
		st.memberMap(m.ServerID)[m.Accid] = &m
	}
	for _, v := range o.QChatInvites {
		p := v
		st.invites[inviteKey{p.ServerID, p.Accid, p.By}] = &p
	}
	for _, v := range o.QChatApplies {
		p := v
		st.applies[accKey{p.ServerID, p.Accid}] = &p
	}
	for _, v := range o.QChatChannels {
		ch := v
		st.channels[ch.ChannelID] = &ch
	}
	for _, v := range o.QChatServerRoles {
		r := v
		r.Auths = maps.Clone(v.Auths)
		st.roles[r.RoleID] = &r
	}
	for _, v := range o.QChatRoleMembers {
		m := v
		st.roleMemberMap(m.RoleID)[m.Accid] = &m
	}
	for _, v := range o.QChatChannelRoles {
		r := v
		r.Auths = maps.Clone(v.Auths)
		st.chanRoles[r.RoleID] = &r
	}
	for _, v := range o.QChatUserOverrides {
		u := v
		u.Auths = maps.Clone(v.Auths)
		st.overrides[accKey{u.ChannelID, u.Accid}] = &u
	}
	for _, v := range o.QChatWhiteBlackRoles {
		w := v
		st.wbRoles[wbRoleKey{w.ChannelID, w.Type, w.RoleID}] = &w
	}
	for _, v := range o.QChatWhiteBlackUsers {
		w := v
		st.wbUsers[wbUserKey{w.ChannelID, w.Type, w.Accid}] = &w
	}
	return st
}

func (st *state) memberMap(serverID int64) map[string]*QChatServerMember {
	m := st.members[serverID]
	if m == nil {
		m = map[string]*QChatServerMember{}
		st.members[serverID] = m
	}
	return m
}

func (st *state) roleMemberMap(roleID int64) map[string]*QChatRoleMember {
	m := st.roleMembers[roleID]
	if m == nil {
		m = map[string]*QChatRoleMember{}
		st.roleMembers[roleID] = m
	}
	return m
}

// --- cascades: every removal goes through these so that no orphan survives.

func (st *state) removeServer(id int64) {
	for cid, ch := range st.channels {
		if ch.ServerID == id {
			st.removeChannel(cid)
		}
	}
	for rid, r := range st.roles {
		if r.ServerID == id {
			st.removeRole(rid)
		}
	}
	for k := range st.invites {
		if k.ServerID == id {
			delete(st.invites, k)
		}
	}
	for k := range st.applies {
		if k.ID == id {
			delete(st.applies, k)
		}
	}
	delete(st.members, id)
	delete(st.servers, id)
}

func (st *state) removeChannel(id int64) {
	for rid, r := range st.chanRoles {
		if r.ChannelID == id {
			delete(st.chanRoles, rid)
		}
	}
	for k := range st.overrides {
		if k.ID == id {
			delete(st.overrides, k)
		}
	}
	for k := range st.wbRoles {
		if k.ChannelID == id {
			delete(st.wbRoles, k)
		}
	}
	for k := range st.wbUsers {
		if k.ChannelID == id {
			delete(st.wbUsers, k)
		}
	}
	delete(st.channels, id)
}

// removeRole drops a server role, its channel roles, its white/black list
// entries and its memberships.
func (st *state) removeRole(id int64) {
	for rid, r := range st.chanRoles {
		if r.ServerRoleID == id {
			delete(st.chanRoles, rid)
		}
	}
	for k := range st.wbRoles {
		if k.RoleID == id {
			delete(st.wbRoles, k)
		}
	}
	delete(st.roleMembers, id)
	delete(st.roles, id)
}

// removeMember drops a server member and everything tied to the account in
// that server (role memberships, per-user overrides, list entries).
func (st *state) removeMember(serverID int64, accid string) {
	delete(st.members[serverID], accid)
	for rid, r := range st.roles {
		if r.ServerID == serverID {
			delete(st.roleMembers[rid], accid)
		}
	}
	for k, o := range st.overrides {
		if o.ServerID == serverID && k.Accid == accid {
			delete(st.overrides, k)
		}
	}
	for k, w := range st.wbUsers {
		if w.ServerID == serverID && k.Accid == accid {
			delete(st.wbUsers, k)
		}
	}
}

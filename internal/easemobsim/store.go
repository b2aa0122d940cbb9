package easemobsim

import (
	"cmp"
	"maps"
	"slices"
	"strconv"

	"github.com/nimtf/terraform-provider-nim/internal/simkit"
)

// counters are persisted so that ids never repeat, even across a restart
// from the state file or a Reset (a stale room id must stay a 404).
type counters struct {
	NextRoomID int64 `json:"nextRoomId"`
	NextSeq    int64 `json:"nextSeq"` // orders joins and super admins
}

// Room ids are 15-digit numeric strings, like live ones.
func initialCounters() counters { return counters{NextRoomID: 300_000_000_000_001, NextSeq: 1} }

type member struct {
	joined  int64 // ms
	seq     int64
	durable bool // given at room creation: never logged in, never leaves
}

type room struct {
	id, name, description, owner, custom, announcement string
	maxUsers                                           int
	created                                            int64
	muteAll                                            bool
	members                                            map[string]*member // the owner is not in it
	admins, blocks, allow                              map[string]bool
	mutes                                              map[string]int64 // user -> expiry ms, -1 = permanent
}

type state struct {
	counters
	rooms       map[string]*room
	superAdmins map[string]int64 // user -> seq
}

func newState(c counters) *state {
	return &state{counters: c, rooms: map[string]*room{}, superAdmins: map[string]int64{}}
}

func newRoom(id string) *room {
	return &room{id: id, members: map[string]*member{}, admins: map[string]bool{}, blocks: map[string]bool{},
		allow: map[string]bool{}, mutes: map[string]int64{}}
}

func (st *state) nextSeq() int64 { st.NextSeq++; return st.NextSeq - 1 }

func (st *state) newRoomID() string {
	for {
		id := strconv.FormatInt(st.NextRoomID, 10)
		st.NextRoomID++
		if st.rooms[id] == nil { // a custom id may have taken it
			return id
		}
	}
}

// isMember: the owner or an ordinary member (admins are members).
func (r *room) isMember(u string) bool { return u == r.owner || r.members[u] != nil }

// count is affiliations_count: the owner plus members.
func (r *room) count() int { return 1 + len(r.members) }

func (st *state) join(r *room, u string, now int64, durable bool) {
	r.members[u] = &member{joined: now, seq: st.nextSeq(), durable: durable}
}

// leave ends a membership. Admin rights and allow-listing need membership,
// so they go with it; mutes survive leaving (the facts: they survive
// leave/rejoin).
func (r *room) leave(u string) {
	delete(r.members, u)
	delete(r.admins, u)
	delete(r.allow, u)
}

// membersNewestFirst lists ordinary members, newest join first.
func (r *room) membersNewestFirst() []string {
	us := slices.Collect(maps.Keys(r.members))
	slices.SortFunc(us, func(a, b string) int { return cmp.Compare(r.members[b].seq, r.members[a].seq) })
	return us
}

// sortedKeys is never nil, so that an empty list is [] in JSON, not null.
func sortedKeys[V any](m map[string]V) []string {
	if len(m) == 0 {
		return []string{}
	}
	return slices.Sorted(maps.Keys(m))
}

// sweep applies what time does by itself: mutes end, idle members leave.
// Callers hold s.mu. It reports whether anything changed.
func (s *Server) sweep() bool {
	now := s.now().UnixMilli()
	idle := s.cfg.MemberIdleLeave.Milliseconds()
	changed := false
	for _, r := range s.st.rooms {
		for u, exp := range r.mutes {
			if exp > 0 && exp <= now {
				delete(r.mutes, u)
				changed = true
			}
		}
		if idle <= 0 {
			continue
		}
		for u, m := range r.members {
			if !m.durable && !r.allow[u] && !s.online[u] && m.joined+idle <= now {
				r.leave(u)
				changed = true
			}
		}
	}
	return changed
}

// --- exported snapshot

// Objects is everything the simulator stores, in a stable order.
type Objects struct {
	Rooms       []Room   `json:"rooms"`       // by id
	SuperAdmins []string `json:"superAdmins"` // in the order they were added
}

// Room is a chatroom. Times are Unix milliseconds.
type Room struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Owner        string   `json:"owner"`
	MaxUsers     int      `json:"maxusers"`
	Custom       string   `json:"custom"`
	Announcement string   `json:"announcement"`
	Created      int64    `json:"created"`
	MuteAll      bool     `json:"muteAll"`
	Members      []Member `json:"members"` // ordinary members and admins (not the owner), by join order
	Admins       []string `json:"admins"`  // sorted
	Blocks       []string `json:"blocks"`  // sorted
	Allow        []string `json:"allow"`   // sorted
	Mutes        []Mute   `json:"mutes"`   // by user
}

// Member is one membership.
type Member struct {
	User    string `json:"user"`
	Joined  int64  `json:"joined"`
	Seq     int64  `json:"seq"`
	Durable bool   `json:"durable,omitempty"` // added at creation: never leaves by idling
}

// Mute is one muted user; Expire is -1 for a permanent mute.
type Mute struct {
	User   string `json:"user"`
	Expire int64  `json:"expire"`
}

func (st *state) snapshot() Objects {
	o := Objects{Rooms: []Room{}, SuperAdmins: sortedKeys(st.superAdmins)}
	slices.SortFunc(o.SuperAdmins, func(a, b string) int { return cmp.Compare(st.superAdmins[a], st.superAdmins[b]) })
	for _, id := range sortedKeys(st.rooms) {
		r := st.rooms[id]
		R := Room{ID: r.id, Name: r.name, Description: r.description, Owner: r.owner, MaxUsers: r.maxUsers,
			Custom: r.custom, Announcement: r.announcement, Created: r.created, MuteAll: r.muteAll,
			Members: []Member{}, Admins: sortedKeys(r.admins), Blocks: sortedKeys(r.blocks), Allow: sortedKeys(r.allow), Mutes: []Mute{}}
		for _, u := range sortedKeys(r.members) {
			m := r.members[u]
			R.Members = append(R.Members, Member{User: u, Joined: m.joined, Seq: m.seq, Durable: m.durable})
		}
		slices.SortFunc(R.Members, func(a, b Member) int { return cmp.Compare(a.Seq, b.Seq) })
		for _, u := range sortedKeys(r.mutes) {
			R.Mutes = append(R.Mutes, Mute{User: u, Expire: r.mutes[u]})
		}
		o.Rooms = append(o.Rooms, R)
	}
	return o
}

func restore(c counters, o Objects) *state {
	st := newState(c)
	for i, u := range o.SuperAdmins {
		st.superAdmins[u] = int64(i) - int64(len(o.SuperAdmins)) // before any new one
	}
	for _, R := range o.Rooms {
		r := newRoom(R.ID)
		r.name, r.description, r.owner, r.maxUsers = R.Name, R.Description, R.Owner, R.MaxUsers
		r.custom, r.announcement, r.created, r.muteAll = R.Custom, R.Announcement, R.Created, R.MuteAll
		for _, m := range R.Members {
			r.members[m.User] = &member{joined: m.Joined, seq: m.Seq, durable: m.Durable}
			st.NextSeq = max(st.NextSeq, m.Seq+1)
		}
		for _, u := range R.Admins {
			r.admins[u] = true
		}
		for _, u := range R.Blocks {
			r.blocks[u] = true
		}
		for _, u := range R.Allow {
			r.allow[u] = true
		}
		for _, m := range R.Mutes {
			r.mutes[m.User] = m.Expire
		}
		st.rooms[r.id] = r
	}
	return st
}

// --- state file

// stateFile holds objects and counters only. Tokens are never written
// (they are secrets): after a restart every old token answers 401 and a
// client fetches a new one, as after a server-side revocation.
func (s *Server) stateFile() simkit.StateFile[counters, Objects] {
	return simkit.StateFile[counters, Objects]{Name: "easemobsim", Path: s.cfg.StateFile}
}

// state is what the state file holds; callers hold s.mu.
func (s *Server) state() (counters, Objects) { return s.st.counters, s.st.snapshot() }

func (s *Server) load() error {
	c, objects, found, err := s.stateFile().Load()
	if err != nil || !found {
		return err
	}
	ic := initialCounters()
	c.NextRoomID = max(c.NextRoomID, ic.NextRoomID)
	c.NextSeq = max(c.NextSeq, ic.NextSeq)
	s.st = restore(c, objects)
	return nil
}

// save writes the state file atomically (see simkit.StateFile). Callers
// hold s.mu, so saves are serialised consistent snapshots.
func (s *Server) save() { s.stateFile().SaveOrLog(s.state) }

// Save writes the state file now and reports a failure (see
// simkit.StateFile.Save): for shutdown. Without Config.StateFile it does
// nothing.
func (s *Server) Save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stateFile().Save(s.state)
}

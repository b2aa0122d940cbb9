package provider

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// simRoom is the part of the simulator's chatroom that the tests compare.
type simRoom struct {
	ID                                        int64
	Creator, Name, Announcement, BroadcastURL string
	Ext                                       string
	QueueLevel                                int
	Muted, Valid, InOutNotify                 bool
	DelayPolicy                               int
	DelaySeconds                              int64
}

func (e *simEnv) rooms() []simRoom {
	var out []simRoom
	for _, r := range e.sim.Objects().Chatrooms {
		out = append(out, simRoom{
			ID: r.RoomID, Creator: r.Creator, Name: r.Name, Announcement: r.Announcement,
			BroadcastURL: r.BroadcastURL, Ext: r.Ext, QueueLevel: r.QueueLevel,
			Muted: r.Muted, Valid: r.Valid, InOutNotify: r.IONotify,
			DelayPolicy: r.DelayClosePolicy, DelaySeconds: r.DelaySeconds,
		})
	}
	return out
}

func (e *simEnv) room(id string) (simRoom, bool) {
	return findByID(e.rooms(), id, func(r simRoom) int64 { return r.ID })
}

func (e *simEnv) server(id string) (nimsim.QChatServer, bool) {
	return findByID(e.sim.Objects().QChatServers, id, func(s nimsim.QChatServer) int64 { return s.ServerID })
}

func (e *simEnv) channel(id string) (nimsim.QChatChannel, bool) {
	return findByID(e.sim.Objects().QChatChannels, id, func(c nimsim.QChatChannel) int64 { return c.ChannelID })
}

func (e *simEnv) serverRole(id string) (nimsim.QChatServerRole, bool) {
	return findByID(e.sim.Objects().QChatServerRoles, id, func(r nimsim.QChatServerRole) int64 { return r.RoleID })
}

func (e *simEnv) channelRole(id string) (nimsim.QChatChannelRole, bool) {
	return findByID(e.sim.Objects().QChatChannelRoles, id, func(r nimsim.QChatChannelRole) int64 { return r.RoleID })
}

// findByID returns the simulator object whose id, as a string, is id.
func findByID[T any](items []T, id string, idOf func(T) int64) (T, bool) {
	for _, it := range items {
		if itoa(idOf(it)) == id {
			return it, true
		}
	}
	var zero T
	return zero, false
}

// checkSimObject asserts on the simulator's copy of the object whose id a
// resource's attribute holds.
func checkSimObject[T any](addr, attr, what string, lookup func(string) (T, bool), check func(T) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := stateAttr(s, addr, attr)
		if err != nil {
			return err
		}
		obj, ok := lookup(id)
		if !ok {
			return fmt.Errorf("%s %s is not in the simulator", what, id)
		}
		return check(obj)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// mustParse parses an id the test itself took from state.
func mustParse(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(err)
	}
	return n
}

func longString(n int) string { return strings.Repeat("x", n) }

// mustStateServerID returns the id of the only server in the simulator.
func (e *simEnv) mustStateServerID() string {
	servers := e.sim.Objects().QChatServers
	if len(servers) != 1 {
		panic(fmt.Sprintf("expected exactly one server, found %d", len(servers)))
	}
	return itoa(servers[0].ServerID)
}

//nolint:unparam // a lookup by its key; the tests happen to use one account
func (e *simEnv) serverMember(serverID, accid string) (nimsim.QChatServerMember, bool) {
	for _, m := range e.sim.Objects().QChatServerMembers {
		if itoa(m.ServerID) == serverID && m.Accid == accid {
			return m, true
		}
	}
	return nimsim.QChatServerMember{}, false
}

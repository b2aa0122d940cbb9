package provider

import (
	"strconv"
	"strings"

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
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return simRoom{}, false
	}
	for _, r := range e.rooms() {
		if r.ID == n {
			return r, true
		}
	}
	return simRoom{}, false
}

func (e *simEnv) server(id string) (nimsim.QChatServer, bool) {
	for _, s := range e.sim.Objects().QChatServers {
		if strconv.FormatInt(s.ServerID, 10) == id {
			return s, true
		}
	}
	return nimsim.QChatServer{}, false
}

func (e *simEnv) channel(id string) (nimsim.QChatChannel, bool) {
	for _, c := range e.sim.Objects().QChatChannels {
		if strconv.FormatInt(c.ChannelID, 10) == id {
			return c, true
		}
	}
	return nimsim.QChatChannel{}, false
}

func (e *simEnv) serverRole(id string) (nimsim.QChatServerRole, bool) {
	for _, r := range e.sim.Objects().QChatServerRoles {
		if strconv.FormatInt(r.RoleID, 10) == id {
			return r, true
		}
	}
	return nimsim.QChatServerRole{}, false
}

func (e *simEnv) channelRole(id string) (nimsim.QChatChannelRole, bool) {
	for _, r := range e.sim.Objects().QChatChannelRoles {
		if strconv.FormatInt(r.RoleID, 10) == id {
			return r, true
		}
	}
	return nimsim.QChatChannelRole{}, false
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

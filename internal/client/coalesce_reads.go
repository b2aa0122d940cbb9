package client

import (
	"context"
	"fmt"
	"maps"
	"time"
)

// DefaultBatchWindow is how long a batch read waits, from its first caller,
// for more callers before it is sent (see WithBatchReads). Terraform starts
// its reads a few milliseconds apart (it is busy itself), so a shorter window
// gathers few of them; a read rarely waits the whole window, see
// WithBatchReads.
const DefaultBatchWindow = 50 * time.Millisecond

// WithBatchReads switches read coalescing on or off (default on). When on,
// concurrent single reads are gathered for at most the batch window
// (WithBatchWindow) and answered together:
//
//	Chatrooms.Get          chatroom/getBatch, at most 20 rooms per call
//	QChat.GetServer        qchat/getServers, at most 200 servers per call
//	QChat.GetChannel       qchat/getChannels, at most 200 channels per call
//	QChat.ListServerRoles  one listing per server and operator
//	QChat.ListChannelRoles one listing per channel and operator
//
// A batch is sent when it is full, when the window has passed since its
// first caller, or as soon as every read in progress waits in it and they are
// as many as ever ran at once (with Terraform's -parallelism=10, ten reads:
// nobody else can come before they are answered). Callers only join a batch
// that has not been sent, and its
// answer is dropped once handed out: nothing is cached, so a read that starts
// after a write sees the write. A batch call is retried and throttled like
// any other call; its failure fails only the callers in it, and an id missing
// from its answer is "not found" for that caller only. A caller whose context
// ends returns at once; the batch is cancelled only when all its callers have
// gone.
func WithBatchReads(on bool) Option { return func(c *Client) { c.batchReads = on } }

// WithBatchWindow sets how long a batch read waits for more callers after its
// first one (default DefaultBatchWindow). Longer windows gather more callers
// into one call and delay every read by up to the window.
func WithBatchWindow(d time.Duration) Option { return func(c *Client) { c.batchWindow = d } }

// readBatchers are the coalescers of one Client.
type readBatchers struct {
	rooms        *coalescer[struct{}, int64, *Chatroom]
	servers      *coalescer[struct{}, int64, Server]
	channels     *coalescer[struct{}, int64, Channel]
	serverRoles  *coalescer[serverRolesKey, struct{}, []ServerRole]
	channelRoles *coalescer[channelRolesKey, struct{}, []ChannelRole]
}

type serverRolesKey struct {
	serverID int64
	operator string
}

type channelRolesKey struct {
	serverID, channelID int64
	operator            string
}

func newReadBatchers(c *Client) *readBatchers {
	w := c.batchWindow
	return &readBatchers{
		rooms: &coalescer[struct{}, int64, *Chatroom]{
			name: "chatroom/getBatch", window: w, maxKeys: MaxChatroomBatch,
			fetch: c.Chatrooms.fetchRooms,
			missing: func(_ struct{}, id int64) error {
				return &APIError{Code: CodeNotFound, Desc: fmt.Sprintf("chatroom %d not found", id), Endpoint: "chatroom/getBatch"}
			},
			clone: cloneChatroom,
		},
		servers: &coalescer[struct{}, int64, Server]{
			name: "qchat/getServers", window: w, maxKeys: MaxQChatBatch,
			fetch: func(ctx context.Context, _ struct{}, ids []int64) (map[int64]Server, map[int64]error, error) {
				servers, err := c.QChat.getServers(ctx, ids)
				return byID(servers, func(s Server) int64 { return s.ID }), nil, err
			},
			missing: func(_ struct{}, id int64) error { return serverNotFound(id) },
		},
		channels: &coalescer[struct{}, int64, Channel]{
			name: "qchat/getChannels", window: w, maxKeys: MaxQChatBatch,
			fetch: func(ctx context.Context, _ struct{}, ids []int64) (map[int64]Channel, map[int64]error, error) {
				channels, err := c.QChat.getChannels(ctx, ids)
				return byID(channels, func(ch Channel) int64 { return ch.ID }), nil, err
			},
			missing: func(_ struct{}, id int64) error { return channelNotFound(id) },
		},
		serverRoles: &coalescer[serverRolesKey, struct{}, []ServerRole]{
			name: "qchat/getServerIdentifyPages", window: w,
			fetch: func(ctx context.Context, k serverRolesKey, _ []struct{}) (map[struct{}][]ServerRole, map[struct{}]error, error) {
				roles, err := c.QChat.listServerRoles(ctx, k.serverID, k.operator)
				return map[struct{}][]ServerRole{{}: roles}, nil, err
			},
			clone: func(roles []ServerRole) []ServerRole {
				out := make([]ServerRole, len(roles))
				for i, r := range roles {
					r.Auths = maps.Clone(r.Auths)
					out[i] = r
				}
				return out
			},
		},
		channelRoles: &coalescer[channelRolesKey, struct{}, []ChannelRole]{
			name: "qchat/getChannelIdentifyPages", window: w,
			fetch: func(ctx context.Context, k channelRolesKey, _ []struct{}) (map[struct{}][]ChannelRole, map[struct{}]error, error) {
				roles, err := c.QChat.listChannelRoles(ctx, k.serverID, k.channelID, k.operator)
				return map[struct{}][]ChannelRole{{}: roles}, nil, err
			},
			clone: func(roles []ChannelRole) []ChannelRole {
				out := make([]ChannelRole, len(roles))
				for i, r := range roles {
					r.Auths = maps.Clone(r.Auths)
					out[i] = r
				}
				return out
			},
		},
	}
}

// fetchRooms answers one round of Chatrooms.Get with one getBatch call. A
// room the answer lists under failRooms (a server-side error for that room)
// is read again on its own with chatroom/get, which has its own retries.
func (s *ChatroomService) fetchRooms(ctx context.Context, _ struct{}, ids []int64) (map[int64]*Chatroom, map[int64]error, error) {
	res := &BatchResult{Rooms: make(map[int64]*Chatroom, len(ids))}
	if err := s.getBatch(ctx, ids, res); err != nil {
		return nil, nil, err
	}
	var errs map[int64]error
	for _, id := range res.Failed {
		room, err := s.get(ctx, id, false)
		switch {
		case err == nil:
			res.Rooms[id] = room
		case IsNotFound(err):
			delete(res.Rooms, id)
		default:
			if errs == nil {
				errs = map[int64]error{}
			}
			errs[id] = err
		}
	}
	return res.Rooms, errs, nil
}

func cloneChatroom(r *Chatroom) *Chatroom {
	c := *r
	if r.InOutNotification != nil {
		v := *r.InOutNotification
		c.InOutNotification = &v
	}
	if r.Delay != nil {
		d := *r.Delay
		c.Delay = &d
	}
	return &c
}

// byID indexes items by id; the first of duplicates wins, as in the
// unbatched reads.
func byID[T any](items []T, id func(T) int64) map[int64]T {
	m := make(map[int64]T, len(items))
	for _, it := range items {
		if _, dup := m[id(it)]; !dup {
			m[id(it)] = it
		}
	}
	return m
}

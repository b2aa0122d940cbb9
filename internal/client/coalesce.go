package client

import (
	"fmt"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/batch"
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

// readBatchers are the batch.Coalescers of one Client. Each fetch and clone is a
// named method in the file of its API area, next to the unbatched read it
// stands in for.
type readBatchers struct {
	rooms        *batch.Coalescer[struct{}, int64, *Chatroom]
	servers      *batch.Coalescer[struct{}, int64, Server]
	channels     *batch.Coalescer[struct{}, int64, Channel]
	serverRoles  *batch.Coalescer[serverRolesKey, struct{}, []ServerRole]
	channelRoles *batch.Coalescer[channelRolesKey, struct{}, []ChannelRole]
}

func newReadBatchers(c *Client) *readBatchers {
	w := c.batchWindow
	return &readBatchers{
		rooms: &batch.Coalescer[struct{}, int64, *Chatroom]{
			Window: w, MaxKeys: MaxChatroomBatch, CtxErr: ctxErr[struct{}, int64]("chatroom/getBatch"),
			Fetch:   c.Chatrooms.fetchRooms,
			Missing: func(_ struct{}, id int64) error { return roomNotFound(id) },
			Clone:   (*Chatroom).clone,
		},
		servers: &batch.Coalescer[struct{}, int64, Server]{
			Window: w, MaxKeys: MaxQChatBatch, CtxErr: ctxErr[struct{}, int64]("qchat/getServers"),
			Fetch:   c.QChat.fetchServers,
			Missing: func(_ struct{}, id int64) error { return serverNotFound(id) },
		},
		channels: &batch.Coalescer[struct{}, int64, Channel]{
			Window: w, MaxKeys: MaxQChatBatch, CtxErr: ctxErr[struct{}, int64]("qchat/getChannels"),
			Fetch:   c.QChat.fetchChannels,
			Missing: func(_ struct{}, id int64) error { return channelNotFound(id) },
		},
		serverRoles: &batch.Coalescer[serverRolesKey, struct{}, []ServerRole]{
			Window: w, CtxErr: ctxErr[serverRolesKey, struct{}]("qchat/getServerIdentifyPages"),
			Fetch: c.QChat.fetchServerRoles,
			Clone: cloneAll[ServerRole],
		},
		channelRoles: &batch.Coalescer[channelRolesKey, struct{}, []ChannelRole]{
			Window: w, CtxErr: ctxErr[channelRolesKey, struct{}]("qchat/getChannelIdentifyPages"),
			Fetch: c.QChat.fetchChannelRoles,
			Clone: cloneAll[ChannelRole],
		},
	}
}

// ctxErr names the batch endpoint in the error of a caller whose context
// ended, e.g. "nim chatroom/getBatch: context canceled".
func ctxErr[G, K any](endpoint string) func(G, K, error) error {
	return func(_ G, _ K, err error) error { return fmt.Errorf("nim %s: %w", endpoint, err) }
}

// singleListing is the single answer of a coalescer whose round fetches one
// listing (a group's only key is struct{}{}).
// Its per-key error map is always nil: it keeps the shape of a coalescer's
// fetch, and a one-key round has nothing to fail per key.
func singleListing[V any](v V, err error) (map[struct{}]V, map[struct{}]error, error) { //nolint:unparam // shape of a coalescer fetch
	return map[struct{}]V{{}: v}, nil, err
}

// cloneAll copies every item of a listing with its own clone method.
func cloneAll[T interface{ clone() T }](items []T) []T {
	out := make([]T, len(items))
	for i, it := range items {
		out[i] = it.clone()
	}
	return out
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

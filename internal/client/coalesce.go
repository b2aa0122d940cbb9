package client

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// coalescer gathers reads that arrive together into rounds answered by one
// fetch. A round belongs to a group (all chatrooms; the roles of one server)
// and holds keys (room ids; a single key for a listing). It opens with its
// first waiter and is sent when window has passed since then, at once when
// it holds maxKeys distinct keys (0: no limit), or at once when every caller
// in get waits in it and they are at least as many as the most callers ever
// in get together: that is the caller's concurrency (Terraform's
// -parallelism), so no one else is likely to come before they are answered
// and the rest of the window would be lost time.
//
// A waiter only ever joins a round that has not been sent yet, and the answer
// is handed to the round's waiters and then dropped. So every answer a caller
// gets was requested after that caller started: nothing is cached, and a read
// that starts after a write has completed sees the write.
type coalescer[G, K comparable, V any] struct {
	name    string // endpoint named in errors, e.g. "chatroom/getBatch"
	window  time.Duration
	maxKeys int
	// fetch answers one round. keys are distinct and hold at least one key.
	// vals holds what was found, errs errors of single keys; a key in
	// neither is answered by missing. An error fails the whole round.
	fetch   func(ctx context.Context, group G, keys []K) (vals map[K]V, errs map[K]error, err error)
	missing func(group G, key K) error
	clone   func(V) V // optional: each waiter gets its own copy
	// afterFunc starts the window timer; tests replace it (default
	// time.AfterFunc).
	afterFunc func(time.Duration, func()) stopper

	mu   sync.Mutex
	open map[G]*round[K, V]
	// outstanding counts the callers in get; peak is its largest value so
	// far: an estimate of how many reads the caller (Terraform's
	// -parallelism) runs at once.
	outstanding, peak int
}

type stopper interface{ Stop() bool }

type round[K comparable, V any] struct {
	keys    []K       // every key ever asked for, in arrival order
	waiting map[K]int // waiters per key still waiting
	nkeys   int       // keys with at least one waiter
	live    int       // waiters still waiting
	sent    bool      // no longer open to new waiters
	timer   stopper   // sends the round when the window ends
	// ctx carries the first waiter's values but not its cancellation: the
	// fetch is cancelled only when every waiter has gone.
	ctx    context.Context
	cancel context.CancelFunc

	done chan struct{} // closed when the fields below are set
	vals map[K]V
	errs map[K]error
	err  error
}

// get returns the value for key, fetched in a round shared with the other
// callers of the same group. When ctx ends first, get returns at once and the
// other waiters are not disturbed.
func (c *coalescer[G, K, V]) get(ctx context.Context, group G, key K) (V, error) {
	var zero V
	if err := ctx.Err(); err != nil {
		return zero, fmt.Errorf("nim %s: %w", c.name, err)
	}
	c.mu.Lock()
	c.outstanding++
	c.peak = max(c.peak, c.outstanding)
	defer func() {
		c.mu.Lock()
		c.outstanding--
		c.mu.Unlock()
	}()
	r := c.open[group]
	if r == nil {
		r = &round[K, V]{waiting: map[K]int{}, done: make(chan struct{})}
		r.ctx, r.cancel = context.WithCancel(context.WithoutCancel(ctx))
		if c.open == nil {
			c.open = map[G]*round[K, V]{}
		}
		c.open[group] = r
		after := c.afterFunc
		if after == nil {
			after = func(d time.Duration, f func()) stopper { return time.AfterFunc(d, f) }
		}
		r.timer = after(c.window, func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.sendLocked(group, r)
		})
	}
	n, seen := r.waiting[key]
	if !seen {
		r.keys = append(r.keys, key)
	}
	if n == 0 {
		r.nkeys++
	}
	r.waiting[key] = n + 1
	r.live++
	switch {
	case c.maxKeys > 0 && r.nkeys >= c.maxKeys:
		c.sendLocked(group, r)
	case r.live == c.outstanding && r.live >= c.peak:
		// Every caller there is waits in this round, as many as ever
		// came at once: nobody else is likely to come before some of
		// them are answered, so waiting out the window would only
		// add its delay.
		c.sendLocked(group, r)
	}
	c.mu.Unlock()

	select {
	case <-r.done:
		return c.answer(r, group, key)
	case <-ctx.Done():
		c.leave(group, r, key)
		return zero, fmt.Errorf("nim %s: %w", c.name, ctx.Err())
	}
}

// sendLocked closes the round to new waiters and starts its fetch.
func (c *coalescer[G, K, V]) sendLocked(group G, r *round[K, V]) {
	if r.sent {
		return
	}
	r.sent = true
	r.timer.Stop()
	if c.open[group] == r {
		delete(c.open, group)
	}
	// An unsent round always has a waiter (leave closes it when the last
	// one goes), so keys is never empty.
	keys := make([]K, 0, r.nkeys)
	for _, k := range r.keys {
		if r.waiting[k] > 0 {
			keys = append(keys, k)
		}
	}
	go func() {
		vals, errs, err := c.fetch(r.ctx, group, keys)
		r.cancel()
		r.vals, r.errs, r.err = vals, errs, err
		close(r.done)
	}()
}

// leave takes a waiter whose context ended out of its round; the last one
// to leave cancels the fetch, or the round itself if it was not sent.
func (c *coalescer[G, K, V]) leave(group G, r *round[K, V], key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r.waiting[key]--
	if r.waiting[key] == 0 {
		r.nkeys--
	}
	r.live--
	if r.live > 0 {
		return
	}
	if !r.sent {
		r.sent = true
		r.timer.Stop()
		delete(c.open, group)
		r.err = context.Canceled
		close(r.done)
	}
	r.cancel()
}

func (c *coalescer[G, K, V]) answer(r *round[K, V], group G, key K) (V, error) {
	var zero V
	if r.err != nil {
		return zero, r.err
	}
	if err, ok := r.errs[key]; ok {
		return zero, err
	}
	v, ok := r.vals[key]
	if !ok {
		return zero, c.missing(group, key)
	}
	if c.clone != nil {
		v = c.clone(v)
	}
	return v, nil
}

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

// readBatchers are the coalescers of one Client. Each fetch and clone is a
// named method in the file of its API area, next to the unbatched read it
// stands in for.
type readBatchers struct {
	rooms        *coalescer[struct{}, int64, *Chatroom]
	servers      *coalescer[struct{}, int64, Server]
	channels     *coalescer[struct{}, int64, Channel]
	serverRoles  *coalescer[serverRolesKey, struct{}, []ServerRole]
	channelRoles *coalescer[channelRolesKey, struct{}, []ChannelRole]
}

func newReadBatchers(c *Client) *readBatchers {
	w := c.batchWindow
	return &readBatchers{
		rooms: &coalescer[struct{}, int64, *Chatroom]{
			name: "chatroom/getBatch", window: w, maxKeys: MaxChatroomBatch,
			fetch:   c.Chatrooms.fetchRooms,
			missing: func(_ struct{}, id int64) error { return roomNotFound(id) },
			clone:   (*Chatroom).clone,
		},
		servers: &coalescer[struct{}, int64, Server]{
			name: "qchat/getServers", window: w, maxKeys: MaxQChatBatch,
			fetch:   c.QChat.fetchServers,
			missing: func(_ struct{}, id int64) error { return serverNotFound(id) },
		},
		channels: &coalescer[struct{}, int64, Channel]{
			name: "qchat/getChannels", window: w, maxKeys: MaxQChatBatch,
			fetch:   c.QChat.fetchChannels,
			missing: func(_ struct{}, id int64) error { return channelNotFound(id) },
		},
		serverRoles: &coalescer[serverRolesKey, struct{}, []ServerRole]{
			name: "qchat/getServerIdentifyPages", window: w,
			fetch: c.QChat.fetchServerRoles,
			clone: cloneAll[ServerRole],
		},
		channelRoles: &coalescer[channelRolesKey, struct{}, []ChannelRole]{
			name: "qchat/getChannelIdentifyPages", window: w,
			fetch: c.QChat.fetchChannelRoles,
			clone: cloneAll[ChannelRole],
		},
	}
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

package easemob

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// DefaultBatchWindow is how long a batched room read waits, from its first
// caller, for more callers before it is sent (see WithBatchReads).
const DefaultBatchWindow = 50 * time.Millisecond

// WithBatchReads switches read batching on or off (default on). When on,
// concurrent Chatrooms.Get calls are gathered for at most the batch window
// and answered by one `GET /chatrooms/{id,id,...}` of at most 100 rooms.
//
// A batch is sent when it holds 100 rooms, when the window has passed since
// its first caller, or as soon as every read in progress waits in it and
// they are as many as ever ran at once (Terraform's -parallelism: nobody else
// can come before they are answered). Callers only join a batch that has not
// been sent, and its answer is dropped once handed out: nothing is cached,
// so a read that starts after a write sees the write. A batch call is
// throttled and retried like any other; its failure fails only its callers.
// A room missing from the answer, or a 404 of a batch of one, is "not found"
// for that caller only (see Chatrooms.GetMany for a 404 of a larger batch).
// A caller whose context ends returns at once; the batch is cancelled only
// when all its callers have gone.
func WithBatchReads(on bool) Option { return func(c *Client) { c.batchReads = on } }

// WithBatchWindow sets how long a batch read waits for more callers after its
// first one (default DefaultBatchWindow).
func WithBatchWindow(d time.Duration) Option { return func(c *Client) { c.batchWindow = d } }

// coalescer gathers concurrent single-room reads into rounds answered by one
// fetch.
type coalescer struct {
	window  time.Duration
	maxKeys int
	fetch   func(ctx context.Context, ids []string) (map[string]*Chatroom, map[string]error, error)
	missing func(id string) error

	mu   sync.Mutex
	open *round
	// outstanding counts callers in get; peak is its largest value so far,
	// an estimate of how many reads the caller runs at once.
	outstanding, peak int
}

type round struct {
	keys    []string       // every key asked for, in arrival order
	waiting map[string]int // waiters per key still waiting
	nkeys   int            // keys with at least one waiter
	live    int            // waiters still waiting
	sent    bool
	timer   *time.Timer
	// ctx carries the first waiter's values but not its cancellation: the
	// fetch is cancelled only when every waiter has gone.
	ctx    context.Context
	cancel context.CancelFunc

	done chan struct{}
	vals map[string]*Chatroom
	errs map[string]error
	err  error
}

func newRoomCoalescer(c *Client) *coalescer {
	return &coalescer{
		window:  c.batchWindow,
		maxKeys: MaxRoomsPerDetails,
		fetch:   c.Chatrooms.fetchRooms,
		missing: roomNotFound,
	}
}

func (c *coalescer) get(ctx context.Context, id string) (*Chatroom, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("easemob GET /chatrooms/%s: %w", id, err)
	}
	c.mu.Lock()
	c.outstanding++
	c.peak = max(c.peak, c.outstanding)
	defer func() {
		c.mu.Lock()
		c.outstanding--
		c.mu.Unlock()
	}()
	r := c.open
	if r == nil {
		r = &round{waiting: map[string]int{}, done: make(chan struct{})}
		r.ctx, r.cancel = context.WithCancel(context.WithoutCancel(ctx))
		c.open = r
		r.timer = time.AfterFunc(c.window, func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.sendLocked(r)
		})
	}
	n, seen := r.waiting[id]
	if !seen {
		r.keys = append(r.keys, id)
	}
	if n == 0 {
		r.nkeys++
	}
	r.waiting[id] = n + 1
	r.live++
	if (c.maxKeys > 0 && r.nkeys >= c.maxKeys) || (r.live == c.outstanding && r.live >= c.peak) {
		c.sendLocked(r)
	}
	c.mu.Unlock()

	select {
	case <-r.done:
		if r.err != nil {
			return nil, r.err
		}
		if err, ok := r.errs[id]; ok {
			return nil, err
		}
		v, ok := r.vals[id]
		if !ok {
			return nil, c.missing(id)
		}
		return v.clone(), nil
	case <-ctx.Done():
		c.leave(r, id)
		return nil, fmt.Errorf("easemob GET /chatrooms/%s: %w", id, ctx.Err())
	}
}

// sendLocked closes the round to new waiters and starts its fetch.
func (c *coalescer) sendLocked(r *round) {
	if r.sent {
		return
	}
	r.sent = true
	r.timer.Stop()
	if c.open == r {
		c.open = nil
	}
	keys := make([]string, 0, r.nkeys)
	for _, k := range r.keys {
		if r.waiting[k] > 0 {
			keys = append(keys, k)
		}
	}
	go func() {
		vals, errs, err := c.fetch(r.ctx, keys)
		r.cancel()
		r.vals, r.errs, r.err = vals, errs, err
		close(r.done)
	}()
}

// leave takes a waiter whose context ended out of its round; the last one
// to leave cancels the fetch, or the round itself if it was not sent.
func (c *coalescer) leave(r *round, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r.waiting[id]--
	if r.waiting[id] == 0 {
		r.nkeys--
	}
	r.live--
	if r.live > 0 {
		return
	}
	if !r.sent {
		r.sent = true
		r.timer.Stop()
		if c.open == r {
			c.open = nil
		}
		r.err = context.Canceled
		close(r.done)
	}
	r.cancel()
}

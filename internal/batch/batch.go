// Package batch gathers concurrent single reads into rounds answered by one
// request. The API clients (internal/client for NIM, internal/easemob for
// Easemob) each wire their batch endpoints into a Coalescer; the fetch and
// clone of each stay in the client, next to the unbatched read they stand in
// for.
package batch

import (
	"context"
	"sync"
	"time"
)

// Coalescer gathers reads that arrive together into rounds answered by one
// fetch. A round belongs to a group (all chatrooms; the roles of one server)
// and holds keys (room ids; a single key for a listing). It opens with its
// first waiter and is sent when Window has passed since then, at once when
// it holds MaxKeys distinct keys (0: no limit), or at once when every caller
// in Get waits in it and they are at least as many as the most callers ever
// in Get together: that is the caller's concurrency (Terraform's
// -parallelism), so no one else is likely to come before they are answered
// and the rest of the window would be lost time.
//
// A waiter only ever joins a round that has not been sent yet, and the answer
// is handed to the round's waiters and then dropped. So every answer a caller
// gets was requested after that caller started: nothing is cached, and a read
// that starts after a write has completed sees the write.
//
// Set the fields before the first Get and change them only while no Get is
// running; the zero Coalescer is not usable (Fetch, Missing and CtxErr are required).
type Coalescer[G, K comparable, V any] struct {
	Window  time.Duration
	MaxKeys int
	// Fetch answers one round. keys are distinct and hold at least one key.
	// vals holds what was found, errs errors of single keys; a key in
	// neither is answered by Missing. An error fails the whole round.
	Fetch   func(ctx context.Context, group G, keys []K) (vals map[K]V, errs map[K]error, err error)
	Missing func(group G, key K) error
	// CtxErr builds the error of a caller whose context ended before its
	// answer came; err is the context's error.
	CtxErr func(group G, key K, err error) error
	Clone  func(V) V // optional: each waiter gets its own copy
	// AfterFunc starts the window timer (default time.AfterFunc); tests
	// replace it to end windows themselves.
	AfterFunc func(time.Duration, func()) Stopper
	// Parallelism is a floor under the callers' concurrency learned from
	// Get (0: none): a round is not sent before its window ends or it is
	// full while fewer callers wait in it.
	Parallelism int

	mu   sync.Mutex
	open map[G]*round[K, V]
	// outstanding counts the callers in Get; peak is its largest value so
	// far: an estimate of how many reads the caller (Terraform's
	// -parallelism) runs at once.
	outstanding, peak int
}

// Stopper stops a window timer; *time.Timer is one.
type Stopper interface{ Stop() bool }

type round[K comparable, V any] struct {
	keys    []K       // every key ever asked for, in arrival order
	waiting map[K]int // waiters per key still waiting
	nkeys   int       // keys with at least one waiter
	live    int       // waiters still waiting
	sent    bool      // no longer open to new waiters
	timer   Stopper   // sends the round when the window ends
	// ctx carries the first waiter's values but not its cancellation: the
	// fetch is cancelled only when every waiter has gone.
	ctx    context.Context
	cancel context.CancelFunc

	done chan struct{} // closed when the fields below are set
	vals map[K]V
	errs map[K]error
	err  error
}

// Get returns the value for key, fetched in a round shared with the other
// callers of the same group. When ctx ends first, Get returns CtxErr's error
// at once and the other waiters are not disturbed.
func (c *Coalescer[G, K, V]) Get(ctx context.Context, group G, key K) (V, error) {
	var zero V
	if err := ctx.Err(); err != nil {
		return zero, c.CtxErr(group, key, err)
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
		after := c.AfterFunc
		if after == nil {
			after = func(d time.Duration, f func()) Stopper { return time.AfterFunc(d, f) }
		}
		r.timer = after(c.Window, func() {
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
	case c.MaxKeys > 0 && r.nkeys >= c.MaxKeys:
		c.sendLocked(group, r)
	case r.live == c.outstanding && r.live >= max(c.peak, c.Parallelism):
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
		return zero, c.CtxErr(group, key, ctx.Err())
	}
}

// Waiting is how many callers wait in the open (not yet sent) round of
// group: 0 when there is none.
func (c *Coalescer[G, K, V]) Waiting(group G) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.open[group]; r != nil {
		return r.live
	}
	return 0
}

// sendLocked closes the round to new waiters and starts its fetch.
func (c *Coalescer[G, K, V]) sendLocked(group G, r *round[K, V]) {
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
		vals, errs, err := c.Fetch(r.ctx, group, keys)
		r.cancel()
		r.vals, r.errs, r.err = vals, errs, err
		close(r.done)
	}()
}

// leave takes a waiter whose context ended out of its round; the last one
// to leave cancels the fetch, or the round itself if it was not sent.
func (c *Coalescer[G, K, V]) leave(group G, r *round[K, V], key K) {
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
		if c.open[group] == r {
			delete(c.open, group)
		}
		r.err = context.Canceled
		close(r.done)
	}
	r.cancel()
}

func (c *Coalescer[G, K, V]) answer(r *round[K, V], group G, key K) (V, error) {
	var zero V
	if r.err != nil {
		return zero, r.err
	}
	if err, ok := r.errs[key]; ok {
		return zero, err
	}
	v, ok := r.vals[key]
	if !ok {
		return zero, c.Missing(group, key)
	}
	if c.Clone != nil {
		v = c.Clone(v)
	}
	return v, nil
}

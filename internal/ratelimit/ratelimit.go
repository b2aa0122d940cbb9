// Package ratelimit paces the requests of one API client under a rate
// ceiling, adapts the rate to the refusals of a server that shares its limit
// with other clients, and waits out the block that follows a refusal.
//
// Vendors limit an application, not a client: NIM allows about 100 requests
// per second per app and answers 416 above it, Easemob answers 429. Several
// clients (pipelines, the app's own servers) spend that limit together, so no
// fixed rate is right for all of them. A [Controller] therefore treats its
// rate as a ceiling and adapts below it, additive increase and
// multiplicative decrease (AIMD), like TCP's congestion control:
//
//   - each refusal of a request sent at the current rate multiplies the rate
//     by Config.Decrease (default 0.5, never below Config.MinRate). Refusals
//     of requests sent before that cut do not cut again: a burst of refusals
//     is one congestion event;
//   - each accepted request raises the rate by Config.Increase ÷ rate, that
//     is by Config.Increase requests/s per second while requests go through
//     at the full rate, up to the ceiling. Close below the rate at which the
//     last refusal came (from Config.Approach times it), the rate grows at
//     the slower Config.Probe pace instead: that is where the next refusal
//     is likely, and with NIM each refusal costs a 10 s block. Past that
//     rate without a refusal, the others sharing the limit send less, and
//     the fast pace resumes;
//   - a refusal also pauses its key (an endpoint) for Config.Block (default
//     10 s, the block NIM documents after a 416): no request with that key is
//     sent before the block is over, so none is wasted on it. Other keys go
//     on at the adapted rate, because the server blocks only the refused
//     endpoint.
//
// Clients that all follow this converge to an equal share of the limit
// instead of refusing each other in turn. The package uses
// golang.org/x/time/rate for the token bucket; the clock is injectable so
// that the behaviour can be tested without waiting.
package ratelimit

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of a Config.
const (
	// DefaultBlock is how long a key is paused after a refusal: NIM blocks
	// an endpoint for about 10 seconds after a 416.
	DefaultBlock = 10 * time.Second
	// DefaultDecrease is the factor applied to the rate on a refusal.
	DefaultDecrease = 0.5
)

// Config describes a Controller. The zero value of a field selects its
// default.
type Config struct {
	// Ceiling is the highest rate in requests per second, and the rate at
	// the start. Zero or less means no rate limit: refusals then only pause
	// their key.
	Ceiling float64
	// Burst is how many requests may be sent at once after an idle time
	// (default 1).
	Burst int
	// MinRate is the lowest rate a decrease goes to, in requests per second
	// (default Ceiling/50, at least 0.1).
	MinRate float64
	// Increase is how many requests per second the rate grows by per second
	// of accepted requests, while the rate is well below the rate of the
	// last refusal or above it (default Ceiling/10: from half the ceiling
	// back to it in about 5 s of traffic).
	Increase float64
	// Probe is the slower growth, in requests per second per second, close
	// below the rate of the last refusal (from Approach times that rate up
	// to it), where the next refusal is likely (default Ceiling/400).
	Probe float64
	// Approach is the fraction of the last refused rate up to which the
	// rate grows at the Increase pace (default 0.85).
	Approach float64
	// Decrease is the factor in (0, 1) applied on a refusal (default
	// DefaultDecrease).
	Decrease float64
	// Block is how long a key is paused after a refusal (default
	// DefaultBlock).
	Block time.Duration

	// Now and Sleep replace the clock (default time.Now and a timer that
	// stops when ctx is done). Sleep must return ctx.Err() once ctx is done.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Controller paces requests; it is safe for concurrent use.
type Controller struct {
	cfg Config
	lim *rate.Limiter // nil without a ceiling

	mu     sync.Mutex
	rate   float64
	limit  float64              // rate of the last refusal; the ceiling before any
	epoch  uint64               // counts the decreases
	paused map[string]time.Time // key -> no request before
}

// Permit is what Wait hands out for one request; give it back to Accepted
// or Refused once the answer is known.
type Permit struct {
	key   string
	epoch uint64
}

// New returns a Controller for cfg.
func New(cfg Config) *Controller {
	if cfg.Burst < 1 {
		cfg.Burst = 1
	}
	if cfg.Decrease <= 0 || cfg.Decrease >= 1 {
		cfg.Decrease = DefaultDecrease
	}
	if cfg.Block <= 0 {
		cfg.Block = DefaultBlock
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = Sleep
	}
	c := &Controller{cfg: cfg, paused: map[string]time.Time{}}
	if cfg.Ceiling > 0 && !math.IsInf(cfg.Ceiling, 1) {
		if c.cfg.MinRate <= 0 {
			c.cfg.MinRate = max(cfg.Ceiling/50, 0.1)
		}
		c.cfg.MinRate = min(c.cfg.MinRate, cfg.Ceiling)
		if c.cfg.Increase <= 0 {
			c.cfg.Increase = cfg.Ceiling / 10
		}
		if c.cfg.Probe <= 0 {
			c.cfg.Probe = cfg.Ceiling / 400
		}
		if c.cfg.Approach <= 0 || c.cfg.Approach >= 1 {
			c.cfg.Approach = 0.85
		}
		c.rate, c.limit = cfg.Ceiling, cfg.Ceiling
		c.lim = rate.NewLimiter(rate.Limit(cfg.Ceiling), cfg.Burst)
	}
	return c
}

// Wait blocks until a request with key may be sent: the key is not paused
// and the rate allows one more request. It returns ctx's error as soon as
// ctx is done.
func (c *Controller) Wait(ctx context.Context, key string) (Permit, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Permit{}, err
		}
		now := c.cfg.Now()
		if d := c.pauseLeft(key, now); d > 0 {
			if err := c.cfg.Sleep(ctx, d); err != nil {
				return Permit{}, err
			}
			continue
		}
		if c.lim != nil {
			r := c.lim.ReserveN(now, 1)
			if d := r.DelayFrom(now); d > 0 {
				if err := c.cfg.Sleep(ctx, d); err != nil {
					r.CancelAt(c.cfg.Now())
					return Permit{}, err
				}
				// A refusal seen while this request waited for its
				// turn pauses it too: the server would refuse it.
				if c.pauseLeft(key, c.cfg.Now()) > 0 {
					continue
				}
			}
		}
		c.mu.Lock()
		p := Permit{key: key, epoch: c.epoch}
		c.mu.Unlock()
		return p, nil
	}
}

// pauseLeft returns how long key stays paused after now.
func (c *Controller) pauseLeft(key string, now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	until, ok := c.paused[key]
	if !ok {
		return 0
	}
	if !now.Before(until) {
		delete(c.paused, key)
		return 0
	}
	return until.Sub(now)
}

// Refused records that the server refused the request of p for its rate
// limit. It pauses p's key for the block time (never shortening a pause in
// progress), cuts the rate unless a refusal of a request sent at the same
// rate already did, and returns when p's key may be tried again.
func (c *Controller) Refused(p Permit) time.Time {
	now := c.cfg.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	until := now.Add(c.cfg.Block)
	if until.After(c.paused[p.key]) {
		c.paused[p.key] = until
	}
	if c.lim != nil && p.epoch == c.epoch {
		c.limit = c.rate
		c.setRate(now, max(c.cfg.MinRate, c.rate*c.cfg.Decrease))
		c.epoch++
	}
	return c.paused[p.key]
}

// Accepted records that the server answered the request of p without
// refusing it for its rate limit (an error answer of another kind counts as
// accepted), which raises the rate towards the ceiling.
func (c *Controller) Accepted(p Permit) {
	if c.lim == nil {
		return
	}
	now := c.cfg.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	// Requests sent before the last cut say nothing about the new rate.
	if p.epoch != c.epoch || c.rate >= c.cfg.Ceiling {
		return
	}
	step := c.cfg.Increase
	switch {
	case c.rate >= c.limit:
		// Past the last refused rate without a refusal: the others
		// sharing the limit send less now, so that rate means nothing.
		c.limit = c.cfg.Ceiling
	case c.rate >= c.cfg.Approach*c.limit:
		step = c.cfg.Probe
	}
	c.setRate(now, min(c.cfg.Ceiling, c.rate+step/c.rate))
}

func (c *Controller) setRate(now time.Time, r float64) {
	c.rate = r
	c.lim.SetLimitAt(now, rate.Limit(r))
}

// Rate returns the current rate in requests per second (+Inf without a
// ceiling).
func (c *Controller) Rate() float64 {
	if c.lim == nil {
		return math.Inf(1)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate
}

// Ceiling returns the configured ceiling (+Inf without one).
func (c *Controller) Ceiling() float64 {
	if c.lim == nil {
		return math.Inf(1)
	}
	return c.cfg.Ceiling
}

// Block returns how long a refusal pauses its key.
func (c *Controller) Block() time.Duration { return c.cfg.Block }

// PausedUntil returns when key may be sent again; a time in the past when it
// is not paused.
func (c *Controller) PausedUntil(key string) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused[key]
}

// Sleep waits for d or until ctx ends, whichever comes first, and returns
// ctx.Err() in the second case (also when d is not positive and ctx has
// ended). It is the default Config.Sleep, and the API clients' sleep between
// attempts.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// DefaultRefusalBudget is the longest one call waits out rate-limit
// refusals in all, from its first refusal to the attempt after the last
// pause: long enough for several blocks while other clients share the
// application's limit, short enough that a limit which never lets up
// surfaces as an error. MaxRefusalBudget is the most a client accepts.
const (
	DefaultRefusalBudget = 2 * time.Minute
	MaxRefusalBudget     = 10 * time.Minute
)

// RefusalError is returned when a call was refused for the rate limit for
// longer than its budget allows, or than its context's deadline. It wraps
// the last refusal, so the client's rate-limit checks still hold.
type RefusalError struct {
	Waited time.Duration // from the first refusal to now
	Why    string
	Err    error
}

func (e *RefusalError) Error() string {
	return fmt.Sprintf("%v (still refused for the rate limit after waiting %s; %s)", e.Err, e.Waited.Round(time.Second), e.Why)
}

func (e *RefusalError) Unwrap() error { return e.Err }

// GiveUp tells a call refused since since (now is the latest refusal, the
// cause its error) whether to stop instead of waiting until resume: a
// *RefusalError when resume lies beyond the budget or the context's
// deadline, nil to wait.
func GiveUp(ctx context.Context, since, now, resume time.Time, budget time.Duration, cause error) error {
	if resume.Sub(since) > budget {
		return &RefusalError{Waited: now.Sub(since), Why: fmt.Sprintf("the budget for refused requests is %s", budget), Err: cause}
	}
	if dl, ok := ctx.Deadline(); ok && resume.After(dl) {
		return &RefusalError{Waited: now.Sub(since), Why: "the pause would outlast the deadline of the operation", Err: cause}
	}
	return nil
}

package easemob

import (
	"context"
	"sync"
	"time"
)

// Throttle paces every request of a Client, token requests and retries
// included. The default is a token bucket (WithRequestsPerSecond); another
// pacing, such as an adaptive rate controller shared with other clients, can
// be plugged in with WithThrottle.
type Throttle interface {
	// Wait blocks until one request may be sent, or ctx ends.
	Wait(ctx context.Context) error
	// Backoff tells the throttle that the server refused a request for
	// being over its rate limit (HTTP 429) and that the client waits at
	// least d before that request's next attempt. Every caller sharing the
	// throttle should pause, not only the one that was refused.
	Backoff(d time.Duration)
}

// bucket is the default Throttle: a token bucket implemented as GCRA on
// integer nanoseconds, with a pause used after 429 answers.
type bucket struct {
	mu          sync.Mutex
	interval    time.Duration // time per token; 0 = unlimited
	burst       int
	tat         time.Time // theoretical arrival time of the next request
	pausedUntil time.Time

	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

func newBucket(rps float64, burst int, now func() time.Time, sleep func(context.Context, time.Duration) error) *bucket {
	b := &bucket{burst: max(burst, 1), now: now, sleep: sleep}
	if rps > 0 {
		b.interval = max(time.Duration(float64(time.Second)/rps), 1)
	}
	return b
}

func (b *bucket) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := b.reserve()
		if d <= 0 {
			return nil
		}
		if err := b.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// reserve takes a token and returns 0, or returns how long to wait before
// asking again.
func (b *bucket) reserve() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if now.Before(b.pausedUntil) {
		return b.pausedUntil.Sub(now)
	}
	if b.interval <= 0 {
		return 0
	}
	tat := b.tat
	if tat.Before(now) {
		tat = now
	}
	if allowAt := tat.Add(-time.Duration(b.burst-1) * b.interval); now.Before(allowAt) {
		return allowAt.Sub(now)
	}
	b.tat = tat.Add(b.interval)
	return 0
}

// Backoff pauses every caller for d (extending, never shortening, a pause
// in progress); the pause does not refill the burst, so the callers that
// waited do not all fire at once when it ends.
func (b *bucket) Backoff(d time.Duration) {
	if d <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if until := b.now().Add(d); until.After(b.pausedUntil) {
		b.pausedUntil = until
	}
	if b.interval > 0 {
		if noBurst := b.pausedUntil.Add(time.Duration(b.burst-1) * b.interval); noBurst.After(b.tat) {
			b.tat = noBurst
		}
	}
}

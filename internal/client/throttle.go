package client

import (
	"context"
	"sync"
	"time"
)

// limiter is a token bucket (implemented as GCRA on integer nanoseconds, so
// waits are exact) shared by every attempt of one Client, with a client-wide
// pause used after rate-limit answers.
type limiter struct {
	mu          sync.Mutex
	interval    time.Duration // time per token; 0 = unlimited
	burst       int
	tat         time.Time // theoretical arrival time of the next request
	pausedUntil time.Time

	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

func newLimiter(rps float64, burst int, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	l := &limiter{burst: burst, now: now, sleep: sleep}
	if rps > 0 {
		l.interval = time.Duration(float64(time.Second) / rps)
		if l.interval <= 0 {
			l.interval = 1
		}
	}
	if l.burst < 1 {
		l.burst = 1
	}
	return l
}

// wait blocks until the caller may send one request or ctx is done.
func (l *limiter) wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := l.reserve()
		if d <= 0 {
			return nil
		}
		if err := l.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// reserve takes a token and returns 0, or returns how long to wait before
// asking again.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Before(l.pausedUntil) {
		return l.pausedUntil.Sub(now)
	}
	if l.interval <= 0 {
		return 0
	}
	tat := l.tat
	if tat.Before(now) {
		tat = now
	}
	allowAt := tat.Add(-time.Duration(l.burst-1) * l.interval)
	if now.Before(allowAt) {
		return allowAt.Sub(now)
	}
	l.tat = tat.Add(l.interval)
	return 0
}

// pause stops every caller for d (extending, never shortening, a pause in
// progress); the burst is not refilled by the pause.
func (l *limiter) pause(d time.Duration) {
	if d <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	until := l.now().Add(d)
	if until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
	if l.interval > 0 {
		noBurst := l.pausedUntil.Add(time.Duration(l.burst-1) * l.interval)
		if noBurst.After(l.tat) {
			l.tat = noBurst
		}
	}
}

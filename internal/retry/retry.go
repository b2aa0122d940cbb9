// Package retry is the request loop both API clients run around their
// attempts: pace each attempt through a rate controller, wait out the
// server's rate-limit refusals under a time budget, renew refused
// credentials once, and retry other transient failures with full-jitter
// exponential backoff up to a number of retries.
//
// The loop decides only when to try again; whether an attempt may be tried
// again at all is the attempt's own verdict ([Result.Retry]). A write whose
// outcome is unknown (sent, but no answer) is never resent blindly: the
// vendor's attempt classifies it as not retryable (see package transporterr),
// and the loop returns its error as it is.
package retry

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"strconv"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/ratelimit"
)

// Mode tells whether a request may be repeated; both API clients name it
// CallMode.
type Mode int

const (
	// Read is a request without side effects: it may be retried after any
	// transient failure.
	Read Mode = iota
	// Write changes remote state and must not be applied twice without
	// looking first: it is retried only when the request was certainly
	// refused or never sent; otherwise its outcome is unknown.
	Write
	// Idempotent is a write whose repetition leaves the same state (it sets
	// values, or removes something whose repeated removal answers "not
	// found"): it is retried like a read.
	Idempotent
)

func (m Mode) String() string {
	switch m {
	case Read:
		return "read"
	case Write:
		return "write"
	case Idempotent:
		return "idempotent write"
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// Repeatable reports whether a request of this mode may be sent again after
// an attempt whose outcome is unknown.
func (m Mode) Repeatable() bool { return m == Read || m == Idempotent }

// Throttle paces the attempts of a Loop; *ratelimit.Controller is one.
type Throttle interface {
	// Wait blocks until an attempt with key may be sent, or ctx ends.
	Wait(ctx context.Context, key string) (ratelimit.Permit, error)
	// Refused records a rate-limit refusal and returns when key may be
	// tried again.
	Refused(p ratelimit.Permit) time.Time
	// Accepted records any other answer of the server.
	Accepted(p ratelimit.Permit)
	// Rate is the current rate in requests per second (+Inf unlimited).
	Rate() float64
}

// Result is what one attempt tells the loop.
type Result struct {
	// Err is the attempt's error; nil ends the loop with success.
	Err error
	// Retry reports that another attempt is safe and useful: nothing was
	// applied, or applying the request again changes nothing.
	Retry bool
	// Refused reports a refusal for the rate limit (the request was not
	// processed): it is waited out under the refusal budget and does not
	// count against MaxRetries.
	Refused bool
	// Answered reports that the server answered the request with anything
	// but a refusal, so that its permit goes back as Accepted.
	Answered bool
	// MinDelay is the least time to wait before the next attempt (a
	// Retry-After, a credentials gate); zero when the server asked nothing.
	MinDelay time.Duration
	// Renew, when not nil, reports that the credentials were refused: the
	// loop calls it once per call and tries again at once. A second such
	// answer is handled like any other by the fields above.
	Renew func()
}

// Tally counts the attempts of one call, for the error of a call that ran
// out of retries.
type Tally struct {
	// Attempts counts every attempt made: refused ones and the one before
	// a renewal included.
	Attempts int
	// Retries counts the retries after retryable failures, what MaxRetries
	// bounds; the attempt that ran out is not one of them.
	Retries int
}

// Loop runs the attempts of one call. T is what an attempt produces besides
// its Result (an answer, and what the log line shows).
type Loop[T any] struct {
	// Throttle paces every attempt under Key.
	Throttle Throttle
	Key      string
	// Prefix starts the errors the loop makes itself, e.g.
	// "nim chatroom/create".
	Prefix string
	// MaxRetries bounds the retries after retryable failures (0: none, and
	// the failure is returned unwrapped).
	MaxRetries int
	// RefusalBudget bounds the time from the first refusal of the call to
	// the attempt after the last pause (see ratelimit.GiveUp).
	RefusalBudget time.Duration
	// Backoff returns the delay before retry number n+1 (n from 0);
	// the delay waited is the larger of it and the Result's MinDelay.
	Backoff func(n int) time.Duration
	// Now and Sleep are the clock. Sleep must return ctx.Err() once ctx is
	// done.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	// Attempt makes one attempt.
	Attempt func(ctx context.Context) (T, Result)
	// Resume records a refusal and returns when the refused attempt may be
	// tried again, now being the time of the refusal. nil selects
	// RefusedUntil with the Result's MinDelay.
	Resume func(p ratelimit.Permit, v T, r Result, now time.Time) time.Time
	// WaitOutRefusal makes the loop itself sleep until the resume time
	// after a refusal. Without it, the next Wait of the Throttle is the
	// pause, which suits a Throttle that pauses the refused key until the
	// resume time anyway.
	WaitOutRefusal bool
	// Log, when not nil, is called once per attempt with the loop's fields
	// of the log line: attempt (from 1, refusals included); after a
	// failure error (its text passed through Redact) and retry (whether
	// another attempt follows); after a refusal also paused_for (the
	// time.Duration until the next attempt may be sent) and rate (the
	// Throttle's rate after the refusal, requests/s). Log adds its own
	// fields and writes the line.
	Log func(ctx context.Context, v T, fields map[string]any)
	// Redact removes secrets from an error's text before it is logged (nil:
	// the text as it is).
	Redact func(string) string
	// GaveUp wraps the last error of a call that ran out of retries (never
	// called when MaxRetries is 0).
	GaveUp func(t Tally, err error) error
}

// RefusedUntil records the refusal of p's attempt on t and returns when it
// may be tried again: when t lets the key go again, or minDelay after now
// (the time of the refusal) if that is later.
func RefusedUntil(t Throttle, p ratelimit.Permit, minDelay time.Duration, now time.Time) time.Time {
	resume := t.Refused(p)
	if ra := now.Add(minDelay); ra.After(resume) {
		resume = ra
	}
	return resume
}

// Run makes attempts until one succeeds or fails for good, and returns the
// value of the last attempt with its error (the zero T when the call ended
// waiting for the Throttle). Its errors are:
//   - the attempt's own error, when it is not retryable, or retryable with
//     MaxRetries 0;
//   - GaveUp's error when MaxRetries retries were spent;
//   - a *ratelimit.RefusalError (wrapping the last refusal) when waiting
//     out refusals would overrun the refusal budget or ctx's deadline;
//   - "Prefix: <ctx error> (while waiting to retry after: <last error>)"
//     when ctx ends while waiting for the throttle or a backoff, and
//     "... (while waiting out the rate limit after: ...)" while sleeping
//     after a refusal; both wrap the context's error. Before any attempt
//     it is "Prefix: <ctx error>".
func (l *Loop[T]) Run(ctx context.Context) (T, error) {
	var (
		renewed      bool
		retries      int       // retries after failures other than refusals
		refusedSince time.Time // first refusal of this call
		lastErr      error
		zero         T
	)
	for attempt := 1; ; attempt++ {
		permit, err := l.Throttle.Wait(ctx, l.Key)
		if err != nil {
			if lastErr != nil {
				return zero, fmt.Errorf("%s: %w (while waiting to retry after: %v)", l.Prefix, err, lastErr)
			}
			return zero, fmt.Errorf("%s: %w", l.Prefix, err)
		}
		v, res := l.Attempt(ctx)
		lastErr = res.Err
		if res.Refused {
			// A refusal is waited out, not counted: the request was not
			// processed, and the key is paused for a while.
			now := l.Now()
			var resume time.Time
			if l.Resume != nil {
				resume = l.Resume(permit, v, res, now)
			} else {
				resume = RefusedUntil(l.Throttle, permit, res.MinDelay, now)
			}
			if refusedSince.IsZero() {
				refusedSince = now
			}
			giveUp := ratelimit.GiveUp(ctx, refusedSince, now, resume, l.RefusalBudget, res.Err)
			l.log(ctx, attempt, v, res, giveUp == nil, resume.Sub(now))
			if giveUp != nil {
				return v, giveUp
			}
			if l.WaitOutRefusal {
				if err := l.Sleep(ctx, resume.Sub(now)); err != nil {
					return v, fmt.Errorf("%s: %w (while waiting out the rate limit after: %v)", l.Prefix, err, res.Err)
				}
			}
			continue
		}
		if res.Answered {
			l.Throttle.Accepted(permit)
		}
		if res.Renew != nil && !renewed {
			renewed = true
			res.Renew()
			l.log(ctx, attempt, v, res, true, 0)
			continue
		}
		canRetry := res.Retry && retries < l.MaxRetries
		l.log(ctx, attempt, v, res, canRetry, 0)
		if res.Err == nil || !res.Retry {
			return v, res.Err
		}
		if !canRetry {
			if l.MaxRetries == 0 {
				return v, res.Err
			}
			return v, l.GaveUp(Tally{Attempts: attempt, Retries: retries}, res.Err)
		}
		delay := max(l.Backoff(retries), res.MinDelay)
		retries++
		if err := l.Sleep(ctx, delay); err != nil {
			return v, fmt.Errorf("%s: %w (while waiting to retry after: %v)", l.Prefix, err, res.Err)
		}
	}
}

func (l *Loop[T]) log(ctx context.Context, attempt int, v T, r Result, willRetry bool, pause time.Duration) {
	if l.Log == nil {
		return
	}
	fields := map[string]any{"attempt": attempt}
	if r.Err != nil {
		msg := r.Err.Error()
		if l.Redact != nil {
			msg = l.Redact(msg)
		}
		fields["error"] = msg
		fields["retry"] = willRetry
	}
	if r.Refused {
		fields["paused_for"] = pause
		fields["rate"] = l.Throttle.Rate()
	}
	l.Log(ctx, v, fields)
}

// Ceiling returns min(hi, lo·2^n), the ceiling of the n-th backoff (n from
// 0), without overflowing however large n or hi is. lo and hi must not be
// negative, lo at most hi.
func Ceiling(lo, hi time.Duration, n int) time.Duration {
	d := lo
	for i := 0; i < n && d > 0 && d < hi; i++ {
		if d > hi/2 {
			return hi
		}
		d *= 2
	}
	return min(d, hi)
}

// FullJitter returns a random duration in [0, ceiling] ("full jitter": it
// spreads the retries of clients that failed together); 0 when ceiling is
// not positive.
func FullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(mrand.Int64N(int64(ceiling) + 1))
}

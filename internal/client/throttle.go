package client

import (
	"context"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/ratelimit"
)

// DefaultRefusalBudget is the longest a call waits out rate-limit refusals
// (code 416, HTTP 429) in all, from its first refusal to the attempt after
// the last pause: long enough for several 10 s blocks while other clients
// share the application's limit, short enough that a limit which never lets
// up surfaces as an error. WithRefusalBudget changes it, up to
// MaxRefusalBudget.
const (
	DefaultRefusalBudget = ratelimit.DefaultRefusalBudget
	MaxRefusalBudget     = ratelimit.MaxRefusalBudget
)

// WithRefusalBudget sets how long one call may spend waiting out rate-limit
// refusals (default DefaultRefusalBudget, at most MaxRefusalBudget). Refusals
// do not count against WithMaxRetries: a refused request was not processed,
// so only time bounds how long it is tried again. A call also stops when its
// context ends, and gives up at once when the pause would outlast the
// context's deadline.
func WithRefusalBudget(d time.Duration) Option { return func(c *Client) { c.refusalBudget = d } }

// WithRateLimitBlock sets how long an endpoint is paused after a rate-limit
// refusal (default ratelimit.DefaultBlock, 10 s: NIM blocks an endpoint for
// about 10 seconds after a 416).
func WithRateLimitBlock(d time.Duration) Option { return func(c *Client) { c.block = d } }

// newRateController builds the controller that paces every attempt of the
// client: WithRequestsPerSecond is its ceiling, and the rate adapts below it
// (see the package documentation, Throttling). The Client's clock hooks are
// read at each use, so tests may replace them after New.
func (c *Client) newRateController() *ratelimit.Controller {
	return ratelimit.New(ratelimit.Config{
		Ceiling: c.rps,
		Burst:   c.burst,
		Block:   c.block,
		Now:     func() time.Time { return c.now() },
		Sleep:   func(ctx context.Context, d time.Duration) error { return c.sleep(ctx, d) },
	})
}

// RequestRate returns the rate, in requests per second, at which the client
// sends now: the ceiling set by WithRequestsPerSecond, or less after the
// server refused requests for its rate limit (+Inf without a ceiling).
func (c *Client) RequestRate() float64 { return c.rate.Rate() }

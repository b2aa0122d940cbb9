package easemob

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/ratelimit"
	"github.com/nimtf/terraform-provider-nim/internal/retry"
)

// Throttle paces every request of a Client, token requests and retries
// included, and learns from the server's rate-limit refusals (HTTP 429
// `reach_limit`): Wait takes a rate class as its key (see RateClass),
// Refused pauses the class and cuts the rate, Accepted lets the rate grow
// again. The default is a [ratelimit.Controller] whose ceiling is
// WithRequestsPerSecond; a Controller shared with other clients can be
// plugged in with WithThrottle.
type Throttle = retry.Throttle

// Rate classes of the Easemob chatroom API, the keys of the Throttle. The
// vendor documents its limits per app key and per class of calls: 50/s for
// creating chatrooms, listing them and listing a user's chatrooms, 300/s for
// tokens, 100/s for every other chatroom call. It does not say whether the
// calls of one class share one budget or have one each; the client reads
// them as shared (the safer reading): after a 429, no call of the refused
// class is sent until the class's pause is over, since it would most likely
// be refused too, while the other classes go on at the reduced rate.
const (
	RateClassCreateList = "create-list" // POST/GET /chatrooms, GET /users/{u}/joined_chatrooms
	RateClassToken      = "token"       // POST /token
	RateClassOther      = "other"       // every other chatroom call
)

// RateClass returns the rate class of a request: method and path as given
// to Call (relative to {host}/{org}/{app}, without the query).
func RateClass(method, path string) string {
	p := strings.Trim(path, "/")
	switch {
	case p == "token":
		return RateClassToken
	case p == "chatrooms" && (method == http.MethodPost || method == http.MethodGet):
		return RateClassCreateList
	case method == http.MethodGet && strings.HasPrefix(p, "users/") && strings.HasSuffix(p, "/joined_chatrooms"):
		return RateClassCreateList
	}
	return RateClassOther
}

// DefaultRateLimitBlock is how long a rate class is paused after a 429
// reach_limit. The vendor documents its limits per second and neither a
// block period nor Retry-After (both unconfirmed), so one second, a whole
// window of the limit, is the shortest pause sure to reach a new window;
// a Retry-After header, if one is ever sent, lengthens the pause. Should the
// server block for longer, each further refusal costs one request per pause
// and halves the rate again.
const DefaultRateLimitBlock = time.Second

// DefaultRefusalBudget is the longest a call waits out 429 reach_limit
// refusals in all, from its first refusal to the attempt after the last
// pause: long enough for other clients of the app to ease off, short enough
// that a limit which never lets up surfaces as an error. WithRefusalBudget
// changes it, up to MaxRefusalBudget.
const (
	DefaultRefusalBudget = ratelimit.DefaultRefusalBudget
	MaxRefusalBudget     = ratelimit.MaxRefusalBudget
)

// WithRefusalBudget sets how long one call may spend waiting out 429
// reach_limit refusals (default DefaultRefusalBudget, at most
// MaxRefusalBudget). Refusals do not count against WithMaxRetries: a refused
// request was not processed, so only time bounds how long it is tried again.
// A call also stops when its context ends, and gives up at once when the
// pause would outlast the context's deadline.
func WithRefusalBudget(d time.Duration) Option { return func(c *Client) { c.refusalBudget = d } }

// WithRateLimitBlock sets how long a rate class is paused after a 429
// reach_limit (default DefaultRateLimitBlock). Ignored when WithThrottle is
// given.
func WithRateLimitBlock(d time.Duration) Option { return func(c *Client) { c.block = d } }

// newRateController builds the default Throttle: WithRequestsPerSecond is
// its ceiling and the rate adapts below it (see the package documentation,
// Throttling). The Client's clock hooks are read at each use, so tests may
// replace them after New.
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
// server answered 429 reach_limit (+Inf without a ceiling).
func (c *Client) RequestRate() float64 { return c.throttle.Rate() }

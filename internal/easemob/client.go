package easemob

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/ratelimit"
	"github.com/nimtf/terraform-provider-nim/internal/retry"
	"github.com/nimtf/terraform-provider-nim/internal/transporterr"
)

// Defaults of a Client.
const (
	DefaultUserAgent      = "terraform-provider-nim/dev"
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxRetries     = 5
	// DefaultRequestsPerSecond stays below the strictest documented limit
	// of the chatroom API, 50 requests/s per app key for creating and
	// listing chatrooms (everything else allows 100/s, the token endpoint
	// 300/s). With DefaultBurst, no one-second window holds more than 44
	// requests.
	DefaultRequestsPerSecond = 40.0
	DefaultBurst             = 5
	DefaultBackoffMin        = 200 * time.Millisecond
	DefaultBackoffMax        = 10 * time.Second
	// DefaultTokenBackoffMin and DefaultTokenBackoffMax bound the wait
	// between token requests after a failed one (doubling from min to max):
	// the vendor bans accounts that request tokens too often.
	DefaultTokenBackoffMin = time.Second
	DefaultTokenBackoffMax = 30 * time.Second
	// MaxResponseBytes bounds the size of an answer body.
	MaxResponseBytes = 8 << 20
)

// CallMode tells Call whether a request may be repeated (see retry.Mode):
// every GET is a Read; a room update, announcement, mute-all, or room
// delete (whose repetition answers 404) is Idempotent.
type CallMode = retry.Mode

// The modes of a request.
const (
	Read       = retry.Read
	Write      = retry.Write
	Idempotent = retry.Idempotent
)

// Logger receives one debug line per attempt and per token request. Fields
// never contain the client secret, a token or the request headers.
type Logger func(ctx context.Context, msg string, fields map[string]any)

// Config identifies an Easemob application and its credentials. Formatting a
// Config never prints the client secret.
type Config struct {
	// Host is the REST base URL of the app's data centre, e.g.
	// "https://a1.easemob.com" (shown in the console).
	Host string
	// OrgName and AppName form the app key OrgName#AppName.
	OrgName, AppName string
	// ClientID and ClientSecret are the app's client credentials.
	ClientID, ClientSecret string
}

// Format prints the Config with its secret redacted, for every verb.
func (c Config) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "easemob.Config{Host: %s, OrgName: %s, AppName: %s, ClientID: %s, ClientSecret: [redacted]}",
		c.Host, c.OrgName, c.AppName, c.ClientID)
}

// Client talks to the Easemob chatroom REST API. It is safe for concurrent
// use; see the package documentation for its contract.
type Client struct {
	Chatrooms   *ChatroomsService
	Members     *MembersService
	Admins      *AdminsService
	BlockList   *UserListService
	AllowList   *UserListService
	Mutes       *MutesService
	SuperAdmins *SuperAdminsService

	host, org, app string
	base           string // host + "/" + org + "/" + app
	clientID       string
	secret         *secret
	tokens         *tokenSource

	httpClient      *http.Client
	requestTimeout  time.Duration
	maxRetries      int
	rps             float64
	burst           int
	throttle        Throttle
	block           time.Duration
	refusalBudget   time.Duration
	userAgent       string
	backoffMin      time.Duration
	backoffMax      time.Duration
	tokenBackoffMin time.Duration
	tokenBackoffMax time.Duration
	logger          Logger

	batchReads  bool
	batchWindow time.Duration
	rooms       *coalescer // nil when batch reads are off
	adopt       *keyedMutex

	// Hooks replaced by tests.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(ceiling time.Duration) time.Duration
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client used for every attempt. Its Timeout
// should be zero or larger than the per-attempt timeout.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.httpClient = h } }

// WithRequestTimeout sets the timeout of one attempt (default 30s).
func WithRequestTimeout(d time.Duration) Option { return func(c *Client) { c.requestTimeout = d } }

// WithMaxRetries sets how many retries may follow the first attempt (default 5).
func WithMaxRetries(n int) Option { return func(c *Client) { c.maxRetries = n } }

// WithRequestsPerSecond sets the ceiling of the default throttle, the
// client-wide rate in requests per second with a burst of 5, which adapts
// below the ceiling after 429 reach_limit answers (default 40; 0 = no
// ceiling: refusals then only pause their rate class). Ignored when
// WithThrottle is given.
func WithRequestsPerSecond(r float64) Option { return func(c *Client) { c.rps = r } }

// WithThrottle replaces the default rate controller with t, for example a
// ratelimit.Controller shared with other clients. nil keeps the default.
func WithThrottle(t Throttle) Option { return func(c *Client) { c.throttle = t } }

// WithUserAgent sets the User-Agent header (default DefaultUserAgent).
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithBackoff sets the bounds of the exponential backoff between retries
// (default 200ms and 10s).
func WithBackoff(lo, hi time.Duration) Option {
	return func(c *Client) { c.backoffMin, c.backoffMax = lo, hi }
}

// WithTokenBackoff sets how long the client waits before requesting a token
// again after a failed token request (or a new token the server rejected at
// once): lo after the first failure, doubling up to hi (default 1s, 30s).
func WithTokenBackoff(lo, hi time.Duration) Option {
	return func(c *Client) { c.tokenBackoffMin, c.tokenBackoffMax = lo, hi }
}

// WithLogger sets a debug hook called once per attempt with the fields
// method, path, mode, attempt, http_status, error_type, duration and, on
// failure, error and retry (after a 429 reach_limit also paused_for, the
// pause before the next attempt, and rate, the request rate now in
// requests/s); and once per token request. It never receives
// the client secret, a token or the headers.
func WithLogger(l func(ctx context.Context, msg string, fields map[string]any)) Option {
	return func(c *Client) { c.logger = l }
}

// New returns a Client for the application described by cfg. No request is
// sent: the first call fetches the app token.
func New(cfg Config, opts ...Option) (*Client, error) {
	for _, f := range []struct{ name, v string }{
		{"host", cfg.Host}, {"org name", cfg.OrgName}, {"app name", cfg.AppName},
		{"client id", cfg.ClientID}, {"client secret", cfg.ClientSecret},
	} {
		if strings.TrimSpace(f.v) == "" {
			return nil, fmt.Errorf("easemob: %s is empty", f.name)
		}
	}
	for _, f := range []struct{ name, v string }{{"org name", cfg.OrgName}, {"app name", cfg.AppName}} {
		if strings.ContainsAny(f.v, "/#?% ") {
			return nil, fmt.Errorf("easemob: invalid %s %q: it must not contain '/', '#', '?', '%%' or spaces", f.name, f.v)
		}
	}
	host, err := validateHost(cfg.Host)
	if err != nil {
		return nil, err
	}
	c := &Client{
		host: host, org: cfg.OrgName, app: cfg.AppName,
		base:            host + "/" + cfg.OrgName + "/" + cfg.AppName,
		clientID:        cfg.ClientID,
		secret:          &secret{v: cfg.ClientSecret},
		requestTimeout:  DefaultRequestTimeout,
		maxRetries:      DefaultMaxRetries,
		rps:             DefaultRequestsPerSecond,
		burst:           DefaultBurst,
		userAgent:       DefaultUserAgent,
		backoffMin:      DefaultBackoffMin,
		backoffMax:      DefaultBackoffMax,
		tokenBackoffMin: DefaultTokenBackoffMin,
		tokenBackoffMax: DefaultTokenBackoffMax,
		block:           DefaultRateLimitBlock,
		refusalBudget:   DefaultRefusalBudget,
		batchReads:      true,
		batchWindow:     DefaultBatchWindow,
		now:             time.Now,
		sleep:           ratelimit.Sleep,
		jitter:          retry.FullJitter,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	switch {
	case c.requestTimeout <= 0:
		return nil, fmt.Errorf("easemob: request timeout must be positive, got %s", c.requestTimeout)
	case c.maxRetries < 0:
		return nil, fmt.Errorf("easemob: max retries must not be negative, got %d", c.maxRetries)
	case c.rps < 0 || math.IsNaN(c.rps) || math.IsInf(c.rps, 0):
		return nil, fmt.Errorf("easemob: requests per second must not be negative, got %v", c.rps)
	case c.backoffMin < 0 || c.backoffMax < c.backoffMin:
		return nil, fmt.Errorf("easemob: invalid backoff bounds %s..%s", c.backoffMin, c.backoffMax)
	case c.tokenBackoffMin <= 0 || c.tokenBackoffMax < c.tokenBackoffMin:
		return nil, fmt.Errorf("easemob: invalid token backoff bounds %s..%s", c.tokenBackoffMin, c.tokenBackoffMax)
	case c.refusalBudget < 0 || c.refusalBudget > MaxRefusalBudget:
		return nil, fmt.Errorf("easemob: refusal budget must be between 0 and %s, got %s", MaxRefusalBudget, c.refusalBudget)
	case c.block <= 0:
		return nil, fmt.Errorf("easemob: rate-limit block must be positive, got %s", c.block)
	case c.batchWindow < 0:
		return nil, fmt.Errorf("easemob: batch window must not be negative, got %s", c.batchWindow)
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.httpClient == nil {
		c.httpClient = defaultHTTPClient()
	}
	if c.throttle == nil {
		c.throttle = c.newRateController()
	}
	c.tokens = &tokenSource{c: c}
	c.adopt = &keyedMutex{}
	c.Chatrooms = &ChatroomsService{client: c}
	c.Members = &MembersService{client: c}
	c.Admins = &AdminsService{client: c}
	c.BlockList = &UserListService{client: c, segment: "blocks", addAction: "add_blocks", removeAction: "remove_blocks"}
	c.AllowList = &UserListService{client: c, segment: "white", addAction: "add_user_whitelist", removeAction: "remove_user_whitelist"}
	c.Mutes = &MutesService{client: c}
	c.SuperAdmins = &SuperAdminsService{client: c}
	if c.batchReads {
		c.rooms = newRoomCoalescer(c)
	}
	return c, nil
}

func validateHost(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("easemob: invalid host %q: %v", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("easemob: invalid host %q: want an absolute http(s) URL such as https://a1.easemob.com", raw)
	}
	if u.User != nil {
		return "", errors.New("easemob: invalid host: user information is not allowed in the URL")
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return "", fmt.Errorf("easemob: invalid host %q: give only scheme and host (the org and app names are separate settings)", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

func defaultHTTPClient() *http.Client {
	return &http.Client{
		Transport: transporterr.Transport(),
		// A redirected POST would silently become a GET, and a redirect to
		// another host would carry the token along: never follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// BaseURL returns {host}/{org}/{app}, the prefix of every request.
func (c *Client) BaseURL() string { return c.base }

// secret holds the client secret; every formatting of it is redacted.
type secret struct{ v string }

func (s secret) String() string             { return "[redacted]" }
func (s secret) GoString() string           { return "[redacted]" }
func (s secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "[redacted]") }

// String describes the client without its secret or token.
func (c Client) String() string {
	return fmt.Sprintf("easemob.Client{host: %s, org: %s, app: %s, client_secret: [redacted], token: [redacted]}", c.host, c.org, c.app)
}

// GoString is like String, for %#v.
func (c Client) GoString() string { return c.String() }

// Format makes every verb (%v, %+v, %#v, %s) print the redacted form.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// redact removes the secret and every token this client has held from s,
// should they ever get there.
func (c *Client) redact(s string) string {
	if c.secret != nil && c.secret.v != "" {
		s = strings.ReplaceAll(s, c.secret.v, "[redacted]")
	}
	if c.tokens != nil {
		for _, t := range c.tokens.seen() {
			s = strings.ReplaceAll(s, t, "[redacted]")
		}
	}
	return s
}

// backoffDelay is the full-jitter delay before retry number n+1: a random
// duration in [0, min(max, min·2^n)].
func (c *Client) backoffDelay(n int) time.Duration {
	return c.jitter(retry.Ceiling(c.backoffMin, c.backoffMax, n))
}

// Response is the decoded envelope of a successful answer.
type Response struct {
	StatusCode int
	// Data is the raw `data` field.
	Data json.RawMessage
	// Cursor is the `cursor` field of paged listings ("" when absent).
	Cursor string
	// Count is the `count` field, when present.
	Count int
	// ServerTime is the server's clock when it answered: the envelope's
	// `timestamp` (Unix milliseconds), else the HTTP Date header (one
	// second resolution); the zero time when the answer has neither. Times
	// the API computes, such as a mute's end, are on this clock, which need
	// not agree with the local one.
	ServerTime time.Time
}

type envelope struct {
	Data      json.RawMessage `json:"data"`
	Cursor    flexString      `json:"cursor"`
	Count     flexInt         `json:"count"`
	Timestamp flexInt         `json:"timestamp"`
}

// serverTime reads when the server answered; see Response.ServerTime.
func serverTime(env *envelope, h http.Header) time.Time {
	if env.Timestamp > 0 {
		return time.UnixMilli(int64(env.Timestamp)).UTC()
	}
	if t, err := http.ParseTime(h.Get("Date")); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

// attemptResult is what one attempt produced.
type attemptResult struct {
	resp         *Response
	err          error
	retry        bool // safe and useful to try again
	throttled    bool // 429 reach_limit: refused for the rate, waited out
	tokenFailed  bool // the token request failed: the request was not sent
	unauthorized bool // 401: the token was refused
	minDelay     time.Duration
	httpStatus   int
	errType      string
	duration     time.Duration
}

// Call sends one request to {host}/{org}/{app}{path}: body (if not nil) as
// JSON, the app token as `Authorization: Bearer`. It throttles the request,
// retries it per mode (see the package documentation), renews the token once
// after a 401, and returns the decoded envelope of a 2xx answer or an
// *APIError. path must already be escaped (see PathEscape).
//
// A 429 reach_limit pauses the request's rate class for the rate-limit
// block, or for its Retry-After if longer, and the request is tried again
// after the pause, within the refusal budget (see WithRefusalBudget); other
// transient failures are retried up to WithMaxRetries times after a
// full-jitter backoff (longer if the token gate is closed). The error is an
// *APIError for any other error answer (errors.As finds it through every
// wrapping), wraps ErrOutcomeUnknown for a write that may have been
// applied, wraps ctx's error when ctx ends, and ends in "(gave up after N
// attempts)", N counting the first attempt and its retries (not refusals
// nor the attempt before a token renewal), when the retries ran out.
func (c *Client) Call(ctx context.Context, method, path string, query url.Values, body any, mode CallMode) (*Response, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	op := method + " " + path
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("easemob %s: encoding body: %w", op, err)
		}
	}
	target := c.base + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	loop := retry.Loop[attemptResult]{
		Throttle: c.throttle, Key: RateClass(method, path), Prefix: "easemob " + op,
		MaxRetries: c.maxRetries, RefusalBudget: c.refusalBudget, Backoff: c.backoffDelay,
		Now: c.now, Sleep: c.sleep, Redact: c.redact,
		Attempt: func(ctx context.Context) (attemptResult, retry.Result) {
			tok, err := c.tokens.get(ctx)
			if err != nil {
				return c.loopResult(tokenFailure(err), nil)
			}
			return c.loopResult(c.attempt(ctx, method, path, target, payload, mode, tok), tok)
		},
		Resume: c.resume,
		// The pause may outlast the class's (Retry-After, the token gate),
		// and a Throttle given by WithThrottle need not pause at all.
		WaitOutRefusal: true,
		GaveUp: func(t retry.Tally, err error) error {
			return &retriesExhaustedError{attempts: t.Retries + 1, err: err}
		},
	}
	if c.logger != nil {
		loop.Log = func(ctx context.Context, res attemptResult, fields map[string]any) {
			fields["method"], fields["path"], fields["mode"] = method, path, mode.String()
			fields["http_status"], fields["duration"] = res.httpStatus, res.duration
			if res.errType != "" {
				fields["error_type"] = res.errType
			}
			c.logger(ctx, "easemob api attempt", fields)
		}
	}
	res, err := loop.Run(ctx)
	if err != nil {
		return nil, err
	}
	return res.resp, nil
}

// loopResult tells the request loop what an attempt made with tok (nil when
// the token request failed) produced.
func (c *Client) loopResult(res attemptResult, tok *appToken) (attemptResult, retry.Result) {
	r := retry.Result{
		Err: res.err, Retry: res.retry, Refused: res.throttled, MinDelay: res.minDelay,
		// Any answer but 429 reach_limit lets the rate grow again; a failed
		// token request sent nothing of this request.
		Answered: !res.tokenFailed && (res.err == nil || res.httpStatus != 0),
	}
	if res.unauthorized {
		// The token expired or was revoked before its time: renew it once
		// for this call. A second 401 is returned as it is.
		r.Renew = func() { c.tokens.invalidate(tok) }
	}
	return res, r
}

// resume is when a refused attempt may be tried again: after the pause of
// its rate class, or its Retry-After if later; after a refused token
// request, when the token source's gate opens (the request's own class was
// not refused, so it is not paused).
func (c *Client) resume(p ratelimit.Permit, res attemptResult, _ retry.Result, now time.Time) time.Time {
	if res.tokenFailed {
		return now.Add(max(res.minDelay, c.tokenBackoffMin))
	}
	return retry.RefusedUntil(c.throttle, p, res.minDelay, now)
}

// isReachLimit reports a refusal for the rate (HTTP 429 other than the
// plan quota `resource_limited`), which is waited out rather than retried.
func isReachLimit(err error) bool {
	return StatusCode(err) == http.StatusTooManyRequests && ErrorType(err) != "resource_limited"
}

// tokenFailure turns a failed token request into the result of an attempt:
// nothing of the request itself was sent, so a transient token failure may
// be retried in every mode.
func tokenFailure(err error) attemptResult {
	res := attemptResult{err: err, tokenFailed: true}
	var wait *tokenWaitError
	switch {
	case errors.As(err, &wait):
		res.retry, res.minDelay = true, wait.wait
	case isTransientTokenError(err):
		res.retry = true
	}
	if res.retry && isReachLimit(err) {
		res.throttled = true
	}
	res.httpStatus = StatusCode(err)
	res.errType = ErrorType(err)
	return res
}

func (c *Client) attempt(ctx context.Context, method, path, target string, payload []byte, mode CallMode, tok *appToken) (res attemptResult) {
	start := time.Now()
	defer func() { res.duration = time.Since(start) }()
	op := method + " " + path

	actx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()
	var getConn, gotConn atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		GetConn: func(string) { getConn.Store(true) },
		GotConn: func(httptrace.GotConnInfo) { gotConn.Store(true) },
	})
	var rd io.Reader = http.NoBody
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(actx, method, target, rd)
	if err != nil {
		return attemptResult{err: fmt.Errorf("easemob %s: building request: %w", op, err)}
	}
	req.Header.Set("Authorization", "Bearer "+tok.value)
	req.Header.Set("Accept", "application/json")
	if method == http.MethodPost || method == http.MethodPut || payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", c.userAgent)

	resp, err := c.httpClient.Do(req)
	if err != nil {
		return c.transportFailure(ctx, actx, op, mode, err, transporterr.MaybeSent(err, getConn.Load(), gotConn.Load()))
	}
	defer resp.Body.Close()
	res.httpStatus = resp.StatusCode
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err == nil && len(data) > MaxResponseBytes {
		err = fmt.Errorf("answer larger than %d bytes", MaxResponseBytes)
	}
	if err != nil {
		r := c.transportFailure(ctx, actx, op, mode, fmt.Errorf("reading answer (HTTP %d): %w", resp.StatusCode, err), true)
		r.httpStatus = resp.StatusCode
		return r
	}
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode < 500 {
		// The server took the token (a 404 is as good a proof as a 200).
		tok.accepted.Store(true)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		var env envelope
		if jerr := json.Unmarshal(data, &env); jerr != nil {
			cause := fmt.Errorf("HTTP %d with an unreadable answer: %v", resp.StatusCode, jerr)
			if mode == Write {
				// Applied, most likely, but what it made is unknown.
				res.err = newOutcomeUnknown(op, cause)
			} else {
				res.err = fmt.Errorf("easemob %s: %w", op, cause)
			}
			return res
		}
		res.resp = &Response{StatusCode: resp.StatusCode, Data: env.Data, Cursor: string(env.Cursor), Count: int(env.Count),
			ServerTime: serverTime(&env, resp.Header)}
		return res
	}

	apiErr := c.apiError(method, path, resp.StatusCode, data)
	res.err, res.errType = apiErr, apiErr.Type
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		res.unauthorized = true
	case resp.StatusCode == http.StatusTooManyRequests:
		// `resource_limited` is a used-up quota of the plan, not a
		// momentary rate: waiting does not help. Anything else (documented:
		// `reach_limit`; also a 429 without a readable body) is the rate.
		if apiErr.Type != "resource_limited" {
			res.retry, res.throttled = true, true
			res.minDelay = retryAfter(resp.Header.Get("Retry-After"), MaxRefusalBudget)
		}
	case resp.StatusCode >= 500:
		switch {
		case apiErr.Type == "unsupported_service_operation":
			// Unknown route or method: no retry can fix it.
		case mode.Repeatable():
			res.retry = true
		default:
			res.err = newOutcomeUnknown(op, apiErr)
		}
	}
	return res
}

// transportFailure classifies an error of the transport: before anything
// was sent it can be retried in every mode; after, only repeatable requests
// are retried and a write's outcome is unknown.
func (c *Client) transportFailure(ctx, actx context.Context, op string, mode CallMode, err error, maybeSent bool) attemptResult {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if mode == Write && maybeSent {
			return attemptResult{err: newOutcomeUnknown(op, ctxErr)}
		}
		return attemptResult{err: fmt.Errorf("easemob %s: %w", op, ctxErr)}
	}
	if transporterr.IsPermanent(err) {
		return attemptResult{err: fmt.Errorf("easemob %s: %w", op, err)}
	}
	if !maybeSent {
		return attemptResult{err: fmt.Errorf("easemob %s: request not sent: %w", op, err), retry: true}
	}
	if actx.Err() != nil {
		err = fmt.Errorf("attempt timed out after %s: %w", c.requestTimeout, err)
	}
	if mode.Repeatable() {
		return attemptResult{err: fmt.Errorf("easemob %s: %w", op, err), retry: true}
	}
	return attemptResult{err: newOutcomeUnknown(op, err)}
}

// apiError decodes an error body; a body that is not the documented JSON
// keeps a short, redacted excerpt as its description.
func (c *Client) apiError(method, path string, status int, data []byte) *APIError {
	var body struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	e := &APIError{StatusCode: status, Method: method, Path: path}
	if json.Unmarshal(data, &body) == nil && (body.Error != "" || body.Description != "") {
		e.Type, e.Description = body.Error, body.Description
	} else {
		snippet := strings.TrimSpace(string(data))
		if len(snippet) > 200 {
			snippet = snippet[:200] + "..."
		}
		e.Description = snippet
	}
	e.Type, e.Description = c.redact(e.Type), c.redact(e.Description)
	return e
}

// retryAfter parses a Retry-After header in seconds (not documented by the
// vendor; honoured if present), capped at limit.
func retryAfter(h string, limit time.Duration) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(h))
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, limit)
}

// PathEscape escapes one path segment (a room id or a user id).
func PathEscape(s string) string { return url.PathEscape(s) }

// joinPath escapes each item and joins them with %2C, the escaped comma the
// API documents for lists in the path.
func joinPath(items []string) string {
	esc := make([]string, len(items))
	for i, s := range items {
		esc[i] = url.PathEscape(s)
	}
	return strings.Join(esc, "%2C")
}

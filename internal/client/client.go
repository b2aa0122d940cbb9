package client

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
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
	DefaultEndpoint          = "https://api.netease.im/nimserver"
	DefaultUserAgent         = "terraform-provider-nim/dev"
	DefaultRequestTimeout    = 30 * time.Second
	DefaultMaxRetries        = 5
	DefaultRequestsPerSecond = 95.0
	DefaultBurst             = 5
	DefaultBackoffMin        = 200 * time.Millisecond
	DefaultBackoffMax        = 10 * time.Second
	// MaxResponseBytes bounds the size of an answer body.
	MaxResponseBytes = 8 << 20
)

const formContentType = "application/x-www-form-urlencoded;charset=utf-8"

// CallMode tells Call whether a request may be repeated (see retry.Mode).
// Call treats the writes in idempotentWrites as Idempotent.
type CallMode = retry.Mode

// The modes of a request.
const (
	Read       = retry.Read
	Write      = retry.Write
	Idempotent = retry.Idempotent
)

// idempotentWrites are the writes whose repetition cannot duplicate or lose
// anything: they set values (update*, mute, role and list membership) or
// remove something (a repeated removal answers 404, or 417 for toggleCloseStat,
// which callers take as done). Creates and invitation answers are not here:
// repeating them could make a second object or fail on a consumed invitation.
var idempotentWrites = map[string]bool{
	"chatroom/update": true, "chatroom/toggleCloseStat": true, "chatroom/muteRoom": true,
	"chatroom/updateInOutNotification": true, "chatroom/setMemberRole": true, "chatroom/updateDelayClosePolicy": true,
	"qchat/updateServer": true, "qchat/removeServer": true,
	"qchat/updateChannel": true, "qchat/removeChannel": true,
	"qchat/inviteServerMember": true, "qchat/kickServerMember": true,
	"qchat/updateServerMember": true, "qchat/updateOtherServerMember": true,
	"qchat/updateServerIdentify": true, "qchat/removeServerIdentify": true,
	"qchat/updateChannelIdentify": true, "qchat/deleteChannelIdentify": true,
	"qchat/updateUserIdentify": true, "qchat/deleteUserIdentify": true,
	"qchat/createServerIdentifyMember": true, "qchat/deleteServerIdentifyMember": true,
	"qchat/updateWhiteBlackIdentify": true, "qchat/updateWhiteBlackIdentifyUser": true,
}

// Logger receives one debug line per attempt. Fields never contain the
// AppSecret, the CheckSum or the request headers.
type Logger func(ctx context.Context, msg string, fields map[string]any)

// Client talks to the NIM server API. It is safe for concurrent use.
type Client struct {
	Chatrooms *ChatroomService
	QChat     *QChatService

	appKey    string
	appSecret *secret // behind a pointer so that formatting a Client never prints it

	rawEndpoint    string
	endpoint       string // validated, without trailing slash
	httpClient     *http.Client
	requestTimeout time.Duration
	maxRetries     int
	rps            float64
	burst          int
	userAgent      string
	backoffMin     time.Duration
	backoffMax     time.Duration
	logger         Logger

	refusalBudget time.Duration
	block         time.Duration
	rate          *ratelimit.Controller
	roomLists     *sharedListings

	batchReads  bool
	batchWindow time.Duration
	batch       *readBatchers // nil when batch reads are off

	// Hooks replaced by tests.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(ceiling time.Duration) time.Duration
}

// Option configures a Client.
type Option func(*Client)

// WithEndpoint sets the base URL (default DefaultEndpoint). It must be an
// absolute http or https URL.
func WithEndpoint(u string) Option { return func(c *Client) { c.rawEndpoint = u } }

// WithHTTPClient sets the HTTP client used for every attempt. Its Timeout
// should be zero or larger than the per-attempt timeout.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.httpClient = h } }

// WithRequestTimeout sets the timeout of one attempt (default 30s).
func WithRequestTimeout(d time.Duration) Option { return func(c *Client) { c.requestTimeout = d } }

// WithMaxRetries sets how many retries may follow the first attempt (default 5).
func WithMaxRetries(n int) Option { return func(c *Client) { c.maxRetries = n } }

// WithRequestsPerSecond sets the ceiling of the client-wide request rate
// (default DefaultRequestsPerSecond, 95; 0 = no ceiling). The rate starts
// there and adapts below it when the server refuses requests for its rate
// limit; see the package documentation, Throttling.
func WithRequestsPerSecond(r float64) Option { return func(c *Client) { c.rps = r } }

// WithUserAgent sets the User-Agent header (default DefaultUserAgent).
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithBackoff sets the bounds of the exponential backoff (default 200ms, 10s).
func WithBackoff(lo, hi time.Duration) Option {
	return func(c *Client) { c.backoffMin, c.backoffMax = lo, hi }
}

// WithLogger sets a debug hook called once per attempt with the fields
// endpoint, mode, attempt, code, http_status, duration and, on failure, error
// and retry; after a rate-limit refusal also paused_for (how long the
// endpoint is paused) and rate (the adapted requests per second). It never
// receives the secret, the CheckSum or the headers.
func WithLogger(l func(ctx context.Context, msg string, fields map[string]any)) Option {
	return func(c *Client) { c.logger = l }
}

// New returns a Client for the application appKey/appSecret.
func New(appKey, appSecret string, opts ...Option) (*Client, error) {
	if strings.TrimSpace(appKey) == "" {
		return nil, errors.New("nim: app key is empty")
	}
	if strings.TrimSpace(appSecret) == "" {
		return nil, errors.New("nim: app secret is empty")
	}
	c := &Client{
		appKey:         appKey,
		appSecret:      &secret{v: appSecret},
		rawEndpoint:    DefaultEndpoint,
		requestTimeout: DefaultRequestTimeout,
		maxRetries:     DefaultMaxRetries,
		rps:            DefaultRequestsPerSecond,
		burst:          DefaultBurst,
		refusalBudget:  DefaultRefusalBudget,
		userAgent:      DefaultUserAgent,
		backoffMin:     DefaultBackoffMin,
		backoffMax:     DefaultBackoffMax,
		batchReads:     true,
		batchWindow:    DefaultBatchWindow,
		now:            time.Now,
		sleep:          ratelimit.Sleep,
		jitter:         retry.FullJitter,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	ep, err := validateEndpoint(c.rawEndpoint)
	if err != nil {
		return nil, err
	}
	c.endpoint = ep
	switch {
	case c.requestTimeout <= 0:
		return nil, fmt.Errorf("nim: request timeout must be positive, got %s", c.requestTimeout)
	case c.maxRetries < 0:
		return nil, fmt.Errorf("nim: max retries must not be negative, got %d", c.maxRetries)
	case c.rps < 0 || math.IsNaN(c.rps) || math.IsInf(c.rps, 0):
		return nil, fmt.Errorf("nim: requests per second must not be negative, got %v", c.rps)
	case c.backoffMin < 0 || c.backoffMax < c.backoffMin:
		return nil, fmt.Errorf("nim: invalid backoff bounds %s..%s", c.backoffMin, c.backoffMax)
	case c.batchWindow < 0:
		return nil, fmt.Errorf("nim: batch window must not be negative, got %s", c.batchWindow)
	case c.refusalBudget < 0 || c.refusalBudget > MaxRefusalBudget:
		return nil, fmt.Errorf("nim: refusal budget must be between 0 and %s, got %s", MaxRefusalBudget, c.refusalBudget)
	case c.block < 0:
		return nil, fmt.Errorf("nim: rate-limit block must not be negative, got %s", c.block)
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.httpClient == nil {
		c.httpClient = defaultHTTPClient()
	}
	c.rate = c.newRateController()
	c.roomLists = &sharedListings{now: func() time.Time { return c.now() }}
	c.Chatrooms = &ChatroomService{client: c}
	c.QChat = &QChatService{client: c}
	if c.batchReads {
		c.batch = newReadBatchers(c)
	}
	return c, nil
}

func validateEndpoint(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("nim: invalid endpoint %q: %v", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("nim: invalid endpoint %q: want an absolute http(s) URL", raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("nim: invalid endpoint: user information is not allowed in the URL")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("nim: invalid endpoint %q: query and fragment are not allowed", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func defaultHTTPClient() *http.Client {
	return &http.Client{
		Transport: transporterr.Transport(),
		// A redirected POST would silently become a GET: never follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Endpoint returns the base URL the client sends requests to.
func (c *Client) Endpoint() string { return c.endpoint }

// secret holds the AppSecret; every formatting of it is redacted.
type secret struct{ v string }

func (s *secret) String() string   { return "[redacted]" }
func (s *secret) GoString() string { return "[redacted]" }

// String describes the client without its secret.
func (c Client) String() string {
	return fmt.Sprintf("nim.Client{endpoint: %s, appKey: %s, appSecret: [redacted]}", c.endpoint, c.appKey)
}

// GoString is like String, for %#v.
func (c Client) GoString() string { return c.String() }

// Format makes every verb (%v, %+v, %#v, %s) print the redacted form.
func (c Client) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, c.String()) }

// checksum returns lower-case hex SHA1(secret + nonce + curTime).
func checksum(secret, nonce, curTime string) string {
	sum := sha1.Sum([]byte(secret + nonce + curTime))
	return hex.EncodeToString(sum[:])
}

// newNonce returns 32 random hex characters.
func newNonce() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// backoffCeiling returns min(max, min·2^n), the most backoffDelay waits
// before retry number n+1.
func (c *Client) backoffCeiling(n int) time.Duration {
	return retry.Ceiling(c.backoffMin, c.backoffMax, n)
}

// backoffDelay is the full-jitter delay before retry number n+1.
func (c *Client) backoffDelay(n int) time.Duration {
	return c.jitter(c.backoffCeiling(n))
}

// attemptResult is what one attempt produced.
type attemptResult struct {
	err        error
	retry      bool // safe and useful to try again
	throttled  bool // 416/429: refused for the rate limit, pause the endpoint
	code       int  // JSON code, 0 if none
	httpStatus int
	duration   time.Duration
}

// Call sends one API request: form-encodes form, POSTs it to
// {endpoint}/{endpoint arg}.action, signs it, throttles and retries it per
// mode (see the package documentation), and decodes a code-200 answer into out
// (which may be nil). endpoint looks like "chatroom/create".
//
// A rate-limit refusal (code 416, HTTP 429) pauses the endpoint for the
// rate-limit block and is tried again when the pause is over, within the
// refusal budget (see WithRefusalBudget); other transient failures are
// retried up to WithMaxRetries times after a full-jitter backoff. The error
// is an *APIError for an answer with another code (errors.As finds it
// through every wrapping), wraps ErrOutcomeUnknown for a write that may have
// been applied, wraps ctx's error when ctx ends, and ends in "(gave up after
// N attempts)", N counting every attempt, when the retries ran out.
func (c *Client) Call(ctx context.Context, endpoint string, form url.Values, mode CallMode, out any) error {
	if ctx == nil {
		ctx = context.Background()
	}
	endpoint = strings.TrimSuffix(strings.Trim(endpoint, "/"), ".action")
	if endpoint == "" {
		return errors.New("nim: empty endpoint")
	}
	if mode == Write && idempotentWrites[endpoint] {
		mode = Idempotent
	}
	target := c.endpoint + "/" + endpoint + ".action"
	body := form.Encode()

	loop := retry.Loop[attemptResult]{
		Throttle: c.rate, Key: endpoint, Prefix: "nim " + endpoint,
		MaxRetries: c.maxRetries, RefusalBudget: c.refusalBudget, Backoff: c.backoffDelay,
		Now: c.now, Sleep: c.sleep, Redact: c.redact,
		Attempt: func(ctx context.Context) (attemptResult, retry.Result) {
			notifySending(ctx, true)
			res := c.attempt(ctx, endpoint, target, body, mode, out)
			if res.retry {
				notifySending(ctx, false)
			}
			return res, retry.Result{
				Err:     res.err,
				Retry:   res.retry,
				Refused: res.throttled,
				// An answer with a code was processed: the rate may grow.
				Answered: res.err == nil || res.code != 0,
			}
		},
		// The controller's next Wait is the pause after a refusal: NIM
		// blocks the endpoint for a fixed time, which the controller knows.
		WaitOutRefusal: false,
		GaveUp: func(t retry.Tally, err error) error {
			return &retriesExhaustedError{attempts: t.Attempts, err: err}
		},
	}
	if c.logger != nil {
		loop.Log = func(ctx context.Context, res attemptResult, fields map[string]any) {
			fields["endpoint"], fields["mode"] = endpoint, mode.String()
			fields["code"], fields["http_status"], fields["duration"] = res.code, res.httpStatus, res.duration
			c.logger(ctx, "nim api attempt", fields)
		}
	}
	_, err := loop.Run(ctx)
	return err
}

type retriesExhaustedError struct {
	attempts int
	err      error
}

func (e *retriesExhaustedError) Error() string {
	return fmt.Sprintf("%v (gave up after %d attempts)", e.err, e.attempts)
}
func (e *retriesExhaustedError) Unwrap() error { return e.err }

// redact removes the secret from a string, should it ever get there.
func (c *Client) redact(s string) string {
	if c.appSecret != nil && c.appSecret.v != "" {
		s = strings.ReplaceAll(s, c.appSecret.v, "[redacted]")
	}
	return s
}

func (c *Client) attempt(ctx context.Context, endpoint, target, body string, mode CallMode, out any) (res attemptResult) {
	start := time.Now()
	defer func() { res.duration = time.Since(start) }()

	actx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()
	var getConn, gotConn atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		GetConn: func(string) { getConn.Store(true) },
		GotConn: func(httptrace.GotConnInfo) { gotConn.Store(true) },
	})

	req, err := http.NewRequestWithContext(actx, http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return attemptResult{err: fmt.Errorf("nim %s: building request: %w", endpoint, err)}
	}
	nonce, err := newNonce()
	if err != nil {
		return attemptResult{err: fmt.Errorf("nim %s: generating nonce: %w", endpoint, err)}
	}
	curTime := strconv.FormatInt(c.now().Unix(), 10)
	req.Header.Set("AppKey", c.appKey)
	req.Header.Set("Nonce", nonce)
	req.Header.Set("CurTime", curTime)
	req.Header.Set("CheckSum", checksum(c.appSecret.v, nonce, curTime))
	req.Header.Set("Content-Type", formContentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	resp, err := c.httpClient.Do(req)
	if err != nil {
		maybeSent := transporterr.MaybeSent(err, getConn.Load(), gotConn.Load())
		if ctxErr := ctx.Err(); ctxErr != nil {
			cerr := fmt.Errorf("nim %s: %w", endpoint, ctxErr)
			if mode == Write && maybeSent {
				return attemptResult{err: newOutcomeUnknown(endpoint, ctxErr)}
			}
			return attemptResult{err: cerr}
		}
		if transporterr.IsPermanent(err) {
			return attemptResult{err: fmt.Errorf("nim %s: %w", endpoint, err)}
		}
		if !maybeSent {
			return attemptResult{err: fmt.Errorf("nim %s: request not sent: %w", endpoint, err), retry: true}
		}
		if actx.Err() != nil {
			err = fmt.Errorf("attempt timed out after %s: %w", c.requestTimeout, err)
		}
		if mode.Repeatable() {
			return attemptResult{err: fmt.Errorf("nim %s: %w", endpoint, err), retry: true}
		}
		return attemptResult{err: newOutcomeUnknown(endpoint, err)}
	}
	defer resp.Body.Close()
	res.httpStatus = resp.StatusCode

	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			if mode == Write {
				res.err = newOutcomeUnknown(endpoint, ctxErr)
			} else {
				res.err = fmt.Errorf("nim %s: %w", endpoint, ctxErr)
			}
			return res
		}
		err = fmt.Errorf("reading answer (HTTP %d): %w", resp.StatusCode, err)
		if mode.Repeatable() {
			res.err, res.retry = fmt.Errorf("nim %s: %w", endpoint, err), true
		} else {
			res.err = newOutcomeUnknown(endpoint, err)
		}
		return res
	}
	if len(data) > MaxResponseBytes {
		err := fmt.Errorf("answer larger than %d bytes (HTTP %d)", MaxResponseBytes, resp.StatusCode)
		if mode == Write {
			res.err = newOutcomeUnknown(endpoint, err)
		} else {
			res.err = fmt.Errorf("nim %s: %w", endpoint, err)
		}
		return res
	}

	var head struct {
		Code *flexInt        `json:"code"`
		Desc json.RawMessage `json:"desc"`
	}
	if jerr := json.Unmarshal(data, &head); jerr != nil || head.Code == nil {
		return c.noCodeAnswer(endpoint, mode, resp, data, res)
	}
	res.code = int(*head.Code)
	apiErr := &APIError{Code: res.code, Desc: descString(head.Desc), Endpoint: endpoint}
	switch res.code {
	case CodeOK:
		if out != nil {
			if err := json.Unmarshal(data, out); err != nil {
				res.err = fmt.Errorf("nim %s: decoding answer: %w", endpoint, err)
			}
		}
	case CodeRateLimited:
		res.err, res.retry, res.throttled = apiErr, true, true
	case CodeServerBusy, CodeUnavailable:
		res.err, res.retry = apiErr, true
	case CodeInternalError:
		if mode.Repeatable() {
			res.err, res.retry = apiErr, true
		} else {
			res.err = newOutcomeUnknown(endpoint, apiErr)
		}
	default:
		res.err = apiErr
	}
	return res
}

// noCodeAnswer handles an answer without a JSON code.
func (c *Client) noCodeAnswer(endpoint string, mode CallMode, resp *http.Response, data []byte, res attemptResult) attemptResult {
	snippet := strings.TrimSpace(string(data))
	if len(snippet) > 200 {
		snippet = snippet[:200] + "..."
	}
	snippet = c.redact(snippet)
	cause := fmt.Errorf("HTTP %d without a JSON code: %q", resp.StatusCode, snippet)
	switch {
	case resp.StatusCode >= 500:
		if mode.Repeatable() {
			res.err, res.retry = fmt.Errorf("nim %s: %w", endpoint, cause), true
		} else {
			res.err = newOutcomeUnknown(endpoint, cause)
		}
	case resp.StatusCode == http.StatusTooManyRequests:
		res.err, res.retry, res.throttled = fmt.Errorf("nim %s: %w", endpoint, cause), true, true
	case resp.StatusCode >= 200 && resp.StatusCode < 300 && mode == Write:
		// The server accepted something but the answer is unreadable.
		res.err = newOutcomeUnknown(endpoint, cause)
	default:
		res.err = fmt.Errorf("nim %s: %w: %w", endpoint, ErrUnexpectedAnswer, cause)
	}
	return res
}

// descString renders a "desc" value: a string as is, anything else as JSON.
func descString(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	out := string(raw)
	if len(out) > 200 {
		out = out[:200] + "..."
	}
	return out
}

package easemob

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/transporterr"
)

// appToken is one app token. Formatting it never prints its value.
type appToken struct {
	value     string
	renewAt   time.Time // renew from then on; zero = never
	expiresAt time.Time // zero = never
	// accepted is set once the server answered a request made with this
	// token with anything but 401.
	accepted atomic.Bool
}

func (t *appToken) String() string             { return "[redacted token]" }
func (t *appToken) GoString() string           { return "[redacted token]" }
func (t *appToken) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "[redacted token]") }
func (t *appToken) fresh(now time.Time) bool   { return t.renewAt.IsZero() || now.Before(t.renewAt) }
func (t *appToken) stillValid(now time.Time) bool {
	return t.expiresAt.IsZero() || now.Before(t.expiresAt)
}

// tokenSource holds the app token of a Client in memory: fetched on first
// use, shared by concurrent callers (one request in flight at a time),
// renewed in the background once half its lifetime has passed, dropped after
// a 401, and never requested in a tight loop.
type tokenSource struct {
	c *Client

	mu        sync.Mutex
	cur       *appToken
	flight    *tokenFlight // the token request in progress, if any
	failures  int          // consecutive failed token requests (or rejected new tokens)
	notBefore time.Time    // no token request before then
	lastErr   error
	fatal     error    // credentials refused: no further token requests
	values    []string // every token value held, for redaction
}

type tokenFlight struct {
	done chan struct{}
	tok  *appToken
	err  error
}

// tokenWaitError is returned while token requests are backed off after a
// failure; the caller may try again after wait.
type tokenWaitError struct {
	wait time.Duration
	last error
}

func (e *tokenWaitError) Error() string {
	return fmt.Sprintf("easemob: app token: next request allowed in %s after: %v", e.wait.Round(time.Millisecond), e.last)
}
func (e *tokenWaitError) Unwrap() error { return e.last }

// tokenError is a failed token request.
type tokenError struct {
	transient bool
	err       error
}

func (e *tokenError) Error() string {
	if e.transient {
		return fmt.Sprintf("easemob: requesting the app token: %v", e.err)
	}
	return fmt.Sprintf("easemob: requesting the app token: %v (credentials or org/app refused: no further token requests are made)", e.err)
}
func (e *tokenError) Unwrap() error { return e.err }

func isTransientTokenError(err error) bool {
	var te *tokenError
	return errors.As(err, &te) && te.transient
}

// errTokenRejected is the cause recorded when a new token is refused with
// 401 before the server ever accepted it.
var errTokenRejected = errors.New("a new app token was refused with HTTP 401")

func (s *tokenSource) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.values...)
}

// get returns a token to send. A token past its renewal time but not yet
// expired is still handed out while its renewal runs.
func (s *tokenSource) get(ctx context.Context) (*appToken, error) {
	s.mu.Lock()
	if s.fatal != nil {
		err := s.fatal
		s.mu.Unlock()
		return nil, err
	}
	now := s.c.now()
	cur := s.cur
	if cur != nil && cur.fresh(now) {
		s.mu.Unlock()
		return cur, nil
	}
	usable := cur != nil && cur.stillValid(now)
	f := s.flight
	if f == nil {
		if now.Before(s.notBefore) {
			wait, last := s.notBefore.Sub(now), s.lastErr
			s.mu.Unlock()
			if usable {
				return cur, nil
			}
			return nil, &tokenWaitError{wait: wait, last: last}
		}
		f = &tokenFlight{done: make(chan struct{})}
		s.flight = f
		// The request is shared: it must not end with the context of the
		// caller that happened to start it.
		go s.run(context.WithoutCancel(ctx), f)
	}
	s.mu.Unlock()
	if usable {
		return cur, nil
	}
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, fmt.Errorf("easemob: waiting for the app token: %w", ctx.Err())
	}
	return f.tok, f.err
}

func (s *tokenSource) run(ctx context.Context, f *tokenFlight) {
	ctx, cancel := context.WithTimeout(ctx, s.c.requestTimeout)
	defer cancel()
	started := s.c.now()
	var tok *appToken
	permit, err := s.c.throttle.Wait(ctx, RateClassToken)
	if err != nil {
		err = &tokenError{transient: true, err: err}
	} else {
		tok, err = s.c.fetchToken(ctx, started)
		// A 429 pauses the token class and cuts the client's rate; the
		// gate below still holds the next token request back.
		switch {
		case err != nil && isReachLimit(err):
			s.c.throttle.Refused(permit)
		case err == nil || StatusCode(err) != 0:
			s.c.throttle.Accepted(permit)
		}
	}
	s.mu.Lock()
	s.flight = nil
	if err == nil {
		s.cur, s.failures, s.notBefore, s.lastErr = tok, 0, time.Time{}, nil
		if len(s.values) >= 16 {
			s.values = s.values[1:]
		}
		s.values = append(s.values, tok.value)
	} else {
		s.failLocked(err)
		if !isTransientTokenError(err) {
			s.fatal = err
		}
	}
	f.tok, f.err = tok, err
	s.mu.Unlock()
	close(f.done)
}

// failLocked records a failure and closes the gate for the next delay:
// min, 2·min, 4·min, ... up to max.
func (s *tokenSource) failLocked(err error) {
	s.failures++
	d := s.c.tokenBackoffMin
	for i := 1; i < s.failures && d < s.c.tokenBackoffMax; i++ {
		d *= 2
	}
	s.notBefore = s.c.now().Add(min(d, s.c.tokenBackoffMax))
	s.lastErr = err
}

// invalidate drops tok after the server refused it with 401, unless another
// caller already replaced it. A token refused before it was ever accepted
// counts as a failed token request, so that a server refusing every new
// token does not get a token request per call.
func (s *tokenSource) invalidate(tok *appToken) {
	if tok == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != tok {
		return
	}
	s.cur = nil
	if !tok.accepted.Load() {
		s.failLocked(errTokenRejected)
	}
}

// fetchToken sends one token request: `POST {host}/{org}/{app}/token` with
// `{"grant_type": "client_credentials", "client_id", "client_secret"}`.
// The answer is `{"access_token", "expires_in" (seconds; 0 = never),
// "application"}`.
func (c *Client) fetchToken(ctx context.Context, started time.Time) (tok *appToken, err error) {
	const path = "/token"
	start := time.Now()
	status := 0
	var expiresIn int64
	defer func() {
		if c.logger == nil {
			return
		}
		fields := map[string]any{"method": http.MethodPost, "path": path, "http_status": status, "duration": time.Since(start)}
		if err != nil {
			fields["error"] = c.redact(err.Error())
			if t := ErrorType(err); t != "" {
				fields["error_type"] = t
			}
		} else {
			fields["expires_in"] = expiresIn
		}
		c.logger(ctx, "easemob token request", fields)
	}()

	body, _ := json.Marshal(map[string]string{
		"grant_type": "client_credentials", "client_id": c.clientID, "client_secret": c.secret.v,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, &tokenError{err: fmt.Errorf("building request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.httpClient.Do(req)
	if err != nil {
		if transporterr.IsPermanent(err) {
			return nil, &tokenError{err: err}
		}
		return nil, &tokenError{transient: true, err: err}
	}
	defer resp.Body.Close()
	status = resp.StatusCode
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes))
	if err != nil {
		return nil, &tokenError{transient: true, err: fmt.Errorf("reading answer (HTTP %d): %w", status, err)}
	}
	if status < 200 || status >= 300 {
		apiErr := c.apiError(http.MethodPost, path, status, data)
		// 429 and 5xx pass; any other refusal (400 invalid_grant, 404
		// organization_application_not_found, ...) will not change within
		// the life of this client, and asking again risks a ban.
		return nil, &tokenError{transient: status == http.StatusTooManyRequests || status >= 500, err: apiErr}
	}
	var ans struct {
		AccessToken string  `json:"access_token"`
		ExpiresIn   flexInt `json:"expires_in"`
	}
	if err := json.Unmarshal(data, &ans); err != nil || ans.AccessToken == "" {
		return nil, &tokenError{transient: true, err: fmt.Errorf("HTTP %d without an access_token", status)}
	}
	expiresIn = int64(ans.ExpiresIn)
	tok = &appToken{value: ans.AccessToken}
	if expiresIn > 0 {
		// The vendor does not promise validity up to expires_in; like its
		// own server SDK, renew once half the lifetime has passed. The
		// clock starts before the request was sent, to err on the early side.
		life := time.Duration(expiresIn) * time.Second
		tok.renewAt = started.Add(life / 2)
		tok.expiresAt = started.Add(life)
	}
	return tok, nil
}

// Format keeps the tokens held out of any formatting of the source.
func (s *tokenSource) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "easemob.tokenSource{[redacted]}")
}

package client

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testKey    = "test-appkey-0001"
	testSecret = "test-secret-5f3a"
	basePath   = "/nimserver"
)

var nonceRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

// env is a Client wired to an httptest server that checks the signature of
// every request and records what leaked where.
type env struct {
	t        *testing.T
	c        *Client
	srv      *httptest.Server
	requests atomic.Int32

	mu        sync.Mutex
	logs      []string
	logFields []map[string]any
	checksums []string
	nonces    []string
}

// newEnv starts a server running h behind the signature checks and returns a
// client with tiny backoffs, no throttling and a recording logger.
func newEnv(t *testing.T, h http.HandlerFunc, opts ...Option) *env {
	t.Helper()
	e := &env{t: t}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.requests.Add(1)
		e.checkSigned(r)
		h(w, r)
	}))
	t.Cleanup(e.srv.Close)
	base := []Option{
		WithEndpoint(e.srv.URL + basePath),
		WithBackoff(time.Millisecond, 2*time.Millisecond),
		WithRequestsPerSecond(0),
		WithRateLimitBlock(time.Millisecond),
		WithRefusalBudget(100 * time.Millisecond),
		WithMaxRetries(3),
		WithLogger(e.log),
	}
	c, err := New(testKey, testSecret, append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.c = c
	t.Cleanup(func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, l := range e.logs {
			e.assertNoLeakLocked("log line", l)
		}
	})
	return e
}

func (e *env) log(_ context.Context, msg string, fields map[string]any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(msg)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, fields[k])
	}
	e.logs = append(e.logs, b.String())
	cp := map[string]any{}
	for k, v := range fields {
		cp[k] = v
	}
	e.logFields = append(e.logFields, cp)
}

func (e *env) attemptsLogged() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.logs)
}

// checkSigned verifies the method, the headers and the CheckSum of a request.
func (e *env) checkSigned(r *http.Request) {
	t := e.t
	if r.Method != http.MethodPost {
		t.Errorf("method = %s, want POST", r.Method)
	}
	if got := r.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded;charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := r.Header.Get("AppKey"); got != testKey {
		t.Errorf("AppKey = %q", got)
	}
	nonce, cur, sum := r.Header.Get("Nonce"), r.Header.Get("CurTime"), r.Header.Get("CheckSum")
	if !nonceRE.MatchString(nonce) {
		t.Errorf("Nonce = %q, want 32 hex chars", nonce)
	}
	if !regexp.MustCompile(`^[0-9]+$`).MatchString(cur) {
		t.Errorf("CurTime = %q", cur)
	}
	h := sha1.Sum([]byte(testSecret + nonce + cur))
	if want := hex.EncodeToString(h[:]); sum != want {
		t.Errorf("CheckSum = %q, want %q", sum, want)
	}
	if ua := r.Header.Get("User-Agent"); ua == "" {
		t.Errorf("no User-Agent")
	}
	e.mu.Lock()
	e.checksums = append(e.checksums, sum)
	e.nonces = append(e.nonces, nonce)
	e.mu.Unlock()
}

// assertNoLeak fails if s holds the secret or any CheckSum sent.
func (e *env) assertNoLeak(what, s string) {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.assertNoLeakLocked(what, s)
}

func (e *env) assertNoLeakLocked(what, s string) {
	e.t.Helper()
	if reason := leakIn(s, e.checksums); reason != "" {
		e.t.Errorf("%s contains %s: %s", what, reason, s)
	}
}

// leakIn tells what secret material s contains, or "".
func leakIn(s string, checksums []string) string {
	if strings.Contains(s, testSecret) {
		return "the app secret"
	}
	for _, sum := range checksums {
		if strings.Contains(s, sum) {
			return "a CheckSum"
		}
	}
	return ""
}

// checkErr asserts that err does not leak and returns it.
func (e *env) checkErr(err error) error {
	e.t.Helper()
	if err != nil {
		e.assertNoLeak("error", err.Error())
		e.assertNoLeak("error %+v", fmt.Sprintf("%+v", err))
	}
	return err
}

// testPath asserts the request path of endpoint like "chatroom/create".
func testPath(t *testing.T, r *http.Request, endpoint string) {
	t.Helper()
	if want := basePath + "/" + endpoint + ".action"; r.URL.Path != want {
		t.Errorf("path = %q, want %q", r.URL.Path, want)
	}
}

// testFormValues asserts that the form holds exactly want (one value each).
func testFormValues(t *testing.T, r *http.Request, want map[string]string) {
	t.Helper()
	if err := r.ParseForm(); err != nil {
		t.Fatalf("ParseForm: %v", err)
	}
	got := map[string]string{}
	for k, vs := range r.PostForm {
		if len(vs) != 1 {
			t.Errorf("form %q has %d values: %q", k, len(vs), vs)
		}
		got[k] = vs[0]
	}
	for k, v := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("form value %q missing (want %q)", k, v)
		} else if g != v {
			t.Errorf("form value %q = %q, want %q", k, g, v)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected form value %q = %q", k, v)
		}
	}
}

func writeJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write([]byte(body))
}

// replay writes a stored example answer from testdata.
func replay(t *testing.T, w http.ResponseWriter, file string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Errorf("reading testdata: %v", err)
		http.Error(w, "no testdata", 500)
		return
	}
	writeJSON(w, string(b))
}

func ptr[T any](v T) *T { return &v }

// fakeClock is a clock for the limiter and the backoff. In auto mode sleep
// advances the clock at once; otherwise each sleep is announced on events
// and blocks until released.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	auto   bool
	sleeps []time.Duration
	events chan sleepEvent
}

type sleepEvent struct {
	who     string
	d       time.Duration
	release chan struct{}
}

type whoKey struct{}

func newFakeClock(auto bool) *fakeClock {
	return &fakeClock{now: time.Unix(1700000000, 0), auto: auto, events: make(chan sleepEvent, 16)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	f.mu.Lock()
	f.sleeps = append(f.sleeps, d)
	if f.auto {
		f.now = f.now.Add(d)
		f.mu.Unlock()
		return ctx.Err()
	}
	f.mu.Unlock()
	who, _ := ctx.Value(whoKey{}).(string)
	ev := sleepEvent{who: who, d: d, release: make(chan struct{})}
	select {
	case f.events <- ev:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-ev.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// install makes c use the fake clock for CurTime, the limiter and backoff.
func (f *fakeClock) install(c *Client) {
	c.now = f.Now
	c.sleep = f.Sleep
}

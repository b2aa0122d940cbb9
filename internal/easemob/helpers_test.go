package easemob

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testOrg      = "1122334455"
	testApp      = "demo"
	testClientID = "YXA6clientid0001"
	testSecret   = "YXA6secret-7f3e9c-do-not-print"
	prefix       = "/" + testOrg + "/" + testApp
)

// fake is an httptest server standing in for the Easemob API: it issues
// tokens on POST /{org}/{app}/token, answers 401 to calls without a valid
// token, and hands the rest to the test's handler. It records every token
// issued and every log line, and fails the test if any of them leaks.
type fake struct {
	t   *testing.T
	srv *httptest.Server
	c   *Client

	expiresIn     atomic.Int64
	tokenRequests atomic.Int32
	apiRequests   atomic.Int32
	// tokenAnswer, when set, answers token requests instead of issuing one.
	tokenAnswer atomic.Pointer[func(w http.ResponseWriter)]

	mu     sync.Mutex
	issued []string
	valid  map[string]bool
	logs   []string
	fields []map[string]any
}

func newFake(t *testing.T, h http.HandlerFunc, opts ...Option) *fake {
	t.Helper()
	f := &fake{t: t, valid: map[string]bool{}}
	f.expiresIn.Store(3600)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, prefix+"/") {
			t.Errorf("request outside the app: %s %s", r.Method, r.URL.Path)
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == prefix+"/token" {
			f.token(w, r)
			return
		}
		f.apiRequests.Add(1)
		auth := r.Header.Get("Authorization")
		f.mu.Lock()
		ok := strings.HasPrefix(auth, "Bearer ") && f.valid[strings.TrimPrefix(auth, "Bearer ")]
		f.mu.Unlock()
		if !ok {
			replayStatus(t, w, http.StatusUnauthorized, "error_unauthorized.json")
			return
		}
		if r.Header.Get("Accept") != "application/json" {
			t.Errorf("Accept = %q", r.Header.Get("Accept"))
		}
		if (r.Method == http.MethodPost || r.Method == http.MethodPut) && r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: Content-Type = %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		h(w, r)
	}))
	t.Cleanup(f.srv.Close)
	base := []Option{
		WithBackoff(time.Millisecond, 2*time.Millisecond),
		WithTokenBackoff(20*time.Millisecond, 80*time.Millisecond),
		WithRequestsPerSecond(0),
		WithRateLimitBlock(5 * time.Millisecond),
		WithMaxRetries(3),
		WithBatchReads(false),
		WithLogger(f.log),
	}
	c, err := New(Config{Host: f.srv.URL, OrgName: testOrg, AppName: testApp, ClientID: testClientID, ClientSecret: testSecret},
		append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	f.c = c
	t.Cleanup(func() {
		f.mu.Lock()
		logs := append([]string(nil), f.logs...)
		f.mu.Unlock()
		for _, l := range logs {
			f.assertNoLeak("log line", l)
		}
	})
	return f
}

func (f *fake) token(w http.ResponseWriter, r *http.Request) {
	t := f.t
	f.tokenRequests.Add(1)
	if r.Method != http.MethodPost {
		t.Errorf("token request method %s", r.Method)
	}
	if r.Header.Get("Authorization") != "" {
		t.Errorf("token request carries an Authorization header")
	}
	if r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("token request Content-Type = %q", r.Header.Get("Content-Type"))
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		t.Errorf("token body: %v", err)
	}
	want := map[string]any{"grant_type": "client_credentials", "client_id": testClientID, "client_secret": testSecret}
	if fmt.Sprint(body) != fmt.Sprint(want) {
		t.Errorf("token body = %v, want %v", body, want)
	}
	if a := f.tokenAnswer.Load(); a != nil {
		(*a)(w)
		return
	}
	f.mu.Lock()
	tok := fmt.Sprintf("YWMt-token-%d-%d", len(f.issued)+1, time.Now().UnixNano())
	f.issued = append(f.issued, tok)
	f.valid[tok] = true
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{"access_token":%q,"expires_in":%d,"application":"8be024f0"}`, tok, f.expiresIn.Load()))
}

// setTokenAnswer makes token requests answer status with body (nil: issue tokens again).
func (f *fake) setTokenAnswer(status int, body string) {
	if status == 0 {
		f.tokenAnswer.Store(nil)
		return
	}
	fn := func(w http.ResponseWriter) { writeJSON(w, status, body) }
	f.tokenAnswer.Store(&fn)
}

// revokeAll makes every token issued so far invalid (as after expiry).
func (f *fake) revokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.valid = map[string]bool{}
}

func (f *fake) tokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.issued...)
}

func (f *fake) log(_ context.Context, msg string, fields map[string]any) {
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
	f.mu.Lock()
	f.logs = append(f.logs, b.String())
	f.fields = append(f.fields, fields)
	f.mu.Unlock()
}

func (f *fake) logLines() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.logs...)
}

// assertNoLeak fails if s holds the client secret or any token issued.
func (f *fake) assertNoLeak(what, s string) {
	f.t.Helper()
	if strings.Contains(s, testSecret) {
		f.t.Errorf("%s contains the client secret: %s", what, s)
	}
	for _, tok := range f.tokens() {
		if strings.Contains(s, tok) {
			f.t.Errorf("%s contains a token: %s", what, s)
		}
	}
}

// checkErr asserts that err does not leak and returns it.
func (f *fake) checkErr(err error) error {
	f.t.Helper()
	f.assertErrNoLeak(err)
	return err
}

// assertErrNoLeak asserts that err, in every formatting, holds neither the
// secret nor a token.
func (f *fake) assertErrNoLeak(err error) {
	f.t.Helper()
	if err != nil {
		f.assertNoLeak("error", err.Error())
		f.assertNoLeak("error %+v", fmt.Sprintf("%+v", err))
	}
}

// rel returns the escaped request path below /{org}/{app}.
func rel(r *http.Request) string { return strings.TrimPrefix(r.URL.EscapedPath(), prefix) }

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func readTestdata(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatalf("reading testdata: %v", err)
	}
	return string(b)
}

// replay writes a stored example answer with HTTP 200.
func replay(t *testing.T, w http.ResponseWriter, file string) {
	replayStatus(t, w, http.StatusOK, file)
}

func replayStatus(t *testing.T, w http.ResponseWriter, status int, file string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Errorf("reading testdata: %v", err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	writeJSON(w, status, string(b))
}

// dropConnection closes the connection without an answer, after the request
// has been read: the request reached the server, the answer is lost.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	t.Helper()
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Fatal("no hijacker")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
}

func bodyOf(t *testing.T, r *http.Request) map[string]any {
	t.Helper()
	var m map[string]any
	b, _ := io.ReadAll(r.Body)
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Errorf("body %q: %v", b, err)
	}
	return m
}

func ptr[T any](v T) *T { return &v }

package easemobsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock shared by a Server and its test.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (f *fakeClock) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }

func (f *fakeClock) Add(d time.Duration) { f.mu.Lock(); f.t = f.t.Add(d); f.mu.Unlock() }

// tclient talks to a test server as a client would: it fetches a token
// once and sends JSON with it.
type tclient struct {
	t     testing.TB
	base  string // http://127.0.0.1:port/{org}/{app}/
	hc    *http.Client
	token string
}

func newTestServer(t testing.TB, cfg Config) (*Server, *tclient) {
	t.Helper()
	sim, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	cl := &tclient{t: t, base: ts.URL + "/" + sim.cfg.Org + "/" + sim.cfg.App + "/", hc: ts.Client()}
	st, a := cl.do("POST", "token", obj{"grant_type": "client_credentials", "client_id": sim.cfg.ClientID, "client_secret": sim.cfg.ClientSecret})
	if st != 200 {
		t.Fatalf("token: HTTP %d, error %q", st, a.str("error"))
	}
	cl.token = a.str("access_token")
	return sim, cl
}

// answer is a decoded JSON answer (numbers as json.Number).
type answer map[string]any

// raw sends a request to base+path; body is nil (none), a string (sent
// as is) or a value (marshalled). edit may change headers last.
func (c *tclient) raw(method, path string, body any, edit func(http.Header)) (*http.Response, []byte) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	u := path
	if !strings.HasPrefix(path, "http") {
		u = c.base + path
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if edit != nil {
		edit(req.Header)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, b
}

func (c *tclient) do(method, path string, body any) (int, answer) {
	c.t.Helper()
	resp, b := c.raw(method, path, body, nil)
	return resp.StatusCode, decode(c.t, b)
}

func decode(t testing.TB, b []byte) answer {
	t.Helper()
	var a answer
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %s", err, b)
	}
	return a
}

// shown is what a failure message prints of a request body: never the
// credentials of a token request.
func shown(path string, body any) any {
	if path == "token" {
		return "<token request>"
	}
	return body
}

// ok requires HTTP 200.
func (c *tclient) ok(method, path string, body any) answer {
	c.t.Helper()
	st, a := c.do(method, path, body)
	if st != 200 {
		c.t.Fatalf("%s %s %v: want 200, got %d %v", method, path, shown(path, body), st, map[string]any(a))
	}
	return a
}

// fails requires the status and error type and returns error_description.
func (c *tclient) fails(status int, kind, method, path string, body any) string {
	c.t.Helper()
	st, a := c.do(method, path, body)
	if st != status || a.str("error") != kind {
		c.t.Fatalf("%s %s %v: want %d %s, got %d %v", method, path, shown(path, body), status, kind, st, map[string]any(a))
	}
	for _, k := range []string{"exception", "timestamp", "duration", "properties", "error_description"} {
		if _, ok := a[k]; !ok {
			c.t.Fatalf("error body lacks %q: %v", k, map[string]any(a))
		}
	}
	return a.str("error_description")
}

// room creates a room owned by owner with the given members.
func (c *tclient) room(owner string, members ...string) string {
	c.t.Helper()
	body := obj{"name": "r", "description": "d", "owner": owner}
	if len(members) > 0 {
		body["members"] = members
	}
	return c.ok("POST", "chatrooms", body).str("data.id")
}

// get walks a dotted path; numeric segments index arrays.
func (a answer) get(path string) any {
	var cur any = map[string]any(a)
	for _, seg := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	return cur
}

func (a answer) str(path string) string { s, _ := a.get(path).(string); return s }

func (a answer) list(path string) []any { l, _ := a.get(path).([]any); return l }

func (a answer) num(path string) int64 {
	n, _ := a.get(path).(json.Number)
	i, err := n.Int64()
	if err != nil {
		return -1 << 62
	}
	return i
}

// strs turns a JSON array of strings into []string.
func (a answer) strs(path string) []string {
	out := []string{}
	for _, x := range a.list(path) {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func must(t testing.TB, cond bool, format string, a ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, a...)
	}
}

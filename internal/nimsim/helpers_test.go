package nimsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable clock shared by a Server and its test client.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (f *fakeClock) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }

func (f *fakeClock) Add(d time.Duration) { f.mu.Lock(); f.t = f.t.Add(d); f.mu.Unlock() }

// tclient signs and sends API requests to a test server.
type tclient struct {
	t       testing.TB
	base    string // http://127.0.0.1:port
	key     string
	secret  string
	now     func() time.Time
	hc      *http.Client
	nonceNo atomic.Int64
	// stringForm: the server answers in the string form
	// (Config.JSONStringAnswers); ok decodes it so that helpers read paths
	// the same way in both forms, after checking that form (unstringForm).
	stringForm bool
}

func newTestServer(t testing.TB, cfg Config) (*Server, *tclient) {
	t.Helper()
	sim, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	cl := &tclient{t: t, base: ts.URL, key: sim.cfg.AppKey, secret: sim.cfg.AppSecret, now: now, hc: ts.Client(),
		stringForm: cfg.JSONStringAnswers}
	return sim, cl
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// sign sets the four signature headers.
func (c *tclient) sign(h http.Header) {
	nonce := "nonce" + strconv.FormatInt(c.nonceNo.Add(1), 10)
	cur := strconv.FormatInt(c.now().Unix(), 10)
	h.Set("AppKey", c.key)
	h.Set("Nonce", nonce)
	h.Set("CurTime", cur)
	h.Set("CheckSum", Checksum(c.secret, nonce, cur))
}

// raw sends a body to /nimserver/{endpoint}.action; edit may change headers
// after signing. It returns the HTTP response and its body.
func (c *tclient) raw(method, endpoint, body string, edit func(http.Header)) (*http.Response, []byte, error) {
	path, query, _ := strings.Cut(endpoint, "?")
	u := c.base + "/nimserver/" + path + ".action"
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
	c.sign(req.Header)
	if edit != nil {
		edit(req.Header)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// answer is a decoded JSON answer (numbers as json.Number).
type answer map[string]any

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

func (c *tclient) post(endpoint string, f url.Values) answer {
	c.t.Helper()
	resp, b, err := c.raw(http.MethodPost, endpoint, f.Encode(), nil)
	if err != nil {
		c.t.Fatalf("%s: %v", endpoint, err)
	}
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("%s: HTTP %d: %s", endpoint, resp.StatusCode, b)
	}
	return decode(c.t, b)
}

// ok posts and requires code 200.
func (c *tclient) ok(endpoint string, kv ...string) answer {
	c.t.Helper()
	a := c.post(endpoint, form(kv...))
	if a.code() != 200 {
		c.t.Fatalf("%s %v: want code 200, got %v", endpoint, kv, map[string]any(a))
	}
	if c.stringForm {
		unstringForm(c.t, endpoint, a)
	}
	return a
}

// fails posts and requires the given code; it returns the desc.
func (c *tclient) fails(code int, endpoint string, kv ...string) string {
	c.t.Helper()
	a := c.post(endpoint, form(kv...))
	if a.code() != code {
		c.t.Fatalf("%s %v: want code %d, got %v", endpoint, kv, code, map[string]any(a))
	}
	d, _ := a["desc"].(string)
	return d
}

func (a answer) code() int { return int(toInt(a["code"])) }

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

func (a answer) num(path string) int64 { return toInt(a.get(path)) }

func (a answer) str(path string) string { s, _ := a.get(path).(string); return s }

func (a answer) list(path string) []any { l, _ := a.get(path).([]any); return l }

// asAnswer is a list item as an answer; an item that is not an object is an
// empty answer, whose fields all read as missing.
func asAnswer(v any) answer { m, _ := v.(map[string]any); return m }

func toInt(v any) int64 {
	switch n := v.(type) {
	case json.Number:
		i, _ := n.Int64()
		return i
	case float64:
		return int64(n)
	}
	return -1 << 62
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func jsonList(xs ...any) string {
	b, _ := json.Marshal(xs)
	return string(b)
}

func must(t testing.TB, cond bool, format string, a ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, a...)
	}
}

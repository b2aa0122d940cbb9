package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestNewValidation(t *testing.T) {
	bad := []struct {
		name      string
		key, sec  string
		opts      []Option
		wantInErr string
	}{
		{"empty key", "", "s", nil, "app key"},
		{"blank key", "  ", "s", nil, "app key"},
		{"empty secret", "k", "", nil, "app secret"},
		{"empty endpoint", "k", "s", []Option{WithEndpoint("")}, "endpoint"},
		{"relative endpoint", "k", "s", []Option{WithEndpoint("/nimserver")}, "endpoint"},
		{"ftp endpoint", "k", "s", []Option{WithEndpoint("ftp://api.netease.im/nimserver")}, "endpoint"},
		{"no host", "k", "s", []Option{WithEndpoint("https://")}, "endpoint"},
		{"garbage", "k", "s", []Option{WithEndpoint("::not a url")}, "endpoint"},
		{"query", "k", "s", []Option{WithEndpoint("https://x/nimserver?a=b")}, "endpoint"},
		{"negative retries", "k", "s", []Option{WithMaxRetries(-1)}, "retries"},
		{"zero timeout", "k", "s", []Option{WithRequestTimeout(0)}, "timeout"},
		{"negative rate", "k", "s", []Option{WithRequestsPerSecond(-1)}, "requests per second"},
		{"inverted backoff", "k", "s", []Option{WithBackoff(time.Second, time.Millisecond)}, "backoff"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.key, tc.sec, tc.opts...)
			if err == nil {
				t.Fatalf("New succeeded: %v", c)
			}
			if !strings.Contains(err.Error(), tc.wantInErr) {
				t.Errorf("error %q does not mention %q", err, tc.wantInErr)
			}
		})
	}

	c, err := New("k", "s")
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint() != DefaultEndpoint || c.userAgent != DefaultUserAgent || c.maxRetries != 5 ||
		c.rps != 95 || c.refusalBudget != 2*time.Minute || c.requestTimeout != 30*time.Second || c.backoffMin != 200*time.Millisecond || c.backoffMax != 10*time.Second {
		t.Errorf("defaults not applied: %+v", *c)
	}
	if c.Chatrooms == nil || c.QChat == nil {
		t.Error("services not set")
	}
	c, err = New("k", "s", WithEndpoint("http://127.0.0.1:8080/nimserver/"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint() != "http://127.0.0.1:8080/nimserver" {
		t.Errorf("endpoint = %q, want trailing slash trimmed", c.Endpoint())
	}
}

func TestChecksumKnownVector(t *testing.T) {
	// printf '%s' 'test-secret-5f3a' '0123456789abcdef0123456789abcdef' '1700000000' | sha1sum
	const want = "6490b2a0849f152fd214081723e58c53a3608382"
	if got := checksum("test-secret-5f3a", "0123456789abcdef0123456789abcdef", "1700000000"); got != want {
		t.Errorf("checksum = %s, want %s", got, want)
	}
}

func TestCallSignsEveryRequest(t *testing.T) {
	var curTimes []string
	var uas []string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		testPath(t, r, "chatroom/get")
		testFormValues(t, r, map[string]string{"roomid": "66"})
		curTimes = append(curTimes, r.Header.Get("CurTime"))
		uas = append(uas, r.Header.Get("User-Agent"))
		writeJSON(w, `{"code":200}`)
	}, WithUserAgent("terraform-provider-nim/1.2.3"))
	clock := newFakeClock(true)
	clock.install(e.c)
	for i := 0; i < 2; i++ {
		if err := e.c.Call(context.Background(), "chatroom/get", url.Values{"roomid": {"66"}}, Read, nil); err != nil {
			t.Fatal(err)
		}
	}
	if curTimes[0] != "1700000000" {
		t.Errorf("CurTime = %q, want the clock's unix seconds", curTimes[0])
	}
	if uas[0] != "terraform-provider-nim/1.2.3" {
		t.Errorf("User-Agent = %q", uas[0])
	}
	if e.nonces[0] == e.nonces[1] {
		t.Errorf("nonce reused: %s", e.nonces[0])
	}
}

func TestDefaultUserAgent(t *testing.T) {
	var ua string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		writeJSON(w, `{"code":200}`)
	})
	if err := e.c.Call(context.Background(), "chatroom/get", nil, Read, nil); err != nil {
		t.Fatal(err)
	}
	if ua != "terraform-provider-nim/dev" {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestCallDecodesAnswer(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, `{"code":"200","desc":{"n":"7"}}`)
	})
	var out struct {
		Desc struct {
			N flexInt `json:"n"`
		} `json:"desc"`
	}
	if err := e.c.Call(context.Background(), "/x/y.action", nil, Read, &out); err != nil {
		t.Fatal(err)
	}
	if out.Desc.N != 7 {
		t.Errorf("n = %d", out.Desc.N)
	}
}

func TestAPIErrorFromAnswer(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		replay(t, w, "chatroom_create_error.json")
	})
	err := e.checkErr(e.c.Call(context.Background(), "chatroom/create", url.Values{"creator": {"x"}}, Write, nil))
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an *APIError", err)
	}
	if got, want := err.Error(), "nim chatroom/create: code 414: owner not register"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if apiErr.Code != 414 || apiErr.Desc != "owner not register" || apiErr.Endpoint != "chatroom/create" {
		t.Errorf("apiErr = %+v", apiErr)
	}
	if !IsParameterError(err) || IsNotFound(err) || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("helpers wrong for %v", err)
	}
	if n := e.requests.Load(); n != 1 {
		t.Errorf("414 sent %d times, want 1", n)
	}
}

// scripted returns a handler that plays the steps in order (the last one
// repeats). A step is a JSON answer, "drop" (close the connection after
// reading the request), "http502" (HTTP 502 with an HTML body), or
// "status:NNN:body".
func scripted(t *testing.T, steps ...string) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(steps) {
			i = len(steps) - 1
		}
		step := steps[i]
		_ = r.ParseForm() // the request has been fully read
		switch {
		case step == "drop":
			hj, ok := w.(http.Hijacker)
			if !ok {
				t.Error("no hijacker")
				return
			}
			conn, _, err := hj.Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.Close()
		case step == "http502":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html>502 Bad Gateway</html>"))
		case strings.HasPrefix(step, "status:"):
			parts := strings.SplitN(step, ":", 3)
			code, err := strconv.Atoi(parts[1])
			if err != nil {
				t.Errorf("step %q: %v", step, err)
				return
			}
			w.WriteHeader(code)
			_, _ = w.Write([]byte(parts[2]))
		default:
			writeJSON(w, step)
		}
	}
}

func TestRetryTable(t *testing.T) {
	const ok = `{"code":200}`
	cases := []struct {
		name         string
		mode         CallMode
		steps        []string
		wantAttempts int
		wantErr      bool
		wantUnknown  bool
		wantCode     int // code of the *APIError in the chain, 0 for none
	}{
		{"416 retried then success (write)", Write, []string{`{"code":416,"desc":"freq"}`, `{"code":416}`, ok}, 3, false, false, 0},
		{"416 retried then success (read)", Read, []string{`{"code":416}`, ok}, 2, false, false, 0},
		{"500 on read retried", Read, []string{`{"code":500,"desc":"internal"}`, ok}, 2, false, false, 0},
		{"500 on write is outcome unknown", Write, []string{`{"code":500,"desc":"internal"}`, ok}, 1, true, true, 500},
		{"503 on write retried", Write, []string{`{"code":503}`, ok}, 2, false, false, 0},
		{"514 on write retried", Write, []string{`{"code":514}`, ok}, 2, false, false, 0},
		{"HTTP 502 without code on read retried", Read, []string{"http502", ok}, 2, false, false, 0},
		{"HTTP 502 without code on write is outcome unknown", Write, []string{"http502", ok}, 1, true, true, 0},
		{"HTTP 503 with JSON 503 code on write retried", Write, []string{"status:503:{\"code\":503}", ok}, 2, false, false, 0},
		{"HTTP 429 without code retried", Write, []string{"status:429:slow down", ok}, 2, false, false, 0},
		{"dropped connection on write is outcome unknown", Write, []string{"drop", ok}, 1, true, true, 0},
		{"dropped connection on read retried", Read, []string{"drop", ok}, 2, false, false, 0},
		{"414 not retried", Write, []string{`{"code":414,"desc":"bad"}`, ok}, 1, true, false, 414},
		{"404 not retried", Read, []string{`{"code":404,"desc":"no room"}`, ok}, 1, true, false, 404},
		{"13002 not retried", Write, []string{`{"code":13002}`, ok}, 1, true, false, 13002},
		{"HTTP 404 page is not an API 404", Read, []string{"status:404:<html>not found</html>", ok}, 1, true, false, 0},
		{"garbage 200 answer on read", Read, []string{"status:200:not json", ok}, 1, true, false, 0},
		{"garbage 200 answer on write is outcome unknown", Write, []string{"status:200:not json", ok}, 1, true, true, 0},
		{"JSON without code on read", Read, []string{`{"desc":"?"}`, ok}, 1, true, false, 0},
		{"500 on idempotent write retried", Idempotent, []string{`{"code":500,"desc":"internal"}`, ok}, 2, false, false, 0},
		{"dropped connection on idempotent write retried", Idempotent, []string{"drop", ok}, 2, false, false, 0},
		{"HTTP 502 without code on idempotent write retried", Idempotent, []string{"http502", ok}, 2, false, false, 0},
		{"414 on idempotent write not retried", Idempotent, []string{`{"code":414,"desc":"bad"}`, ok}, 1, true, false, 414},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, scripted(t, tc.steps...))
			err := e.checkErr(e.c.Call(context.Background(), "chatroom/x", url.Values{"a": {"b"}}, tc.mode, nil))
			if got := int(e.requests.Load()); got != tc.wantAttempts {
				t.Errorf("server saw %d requests, want %d", got, tc.wantAttempts)
			}
			if got := e.attemptsLogged(); got != tc.wantAttempts {
				t.Errorf("logged %d attempts, want %d", got, tc.wantAttempts)
			}
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if got := errors.Is(err, ErrOutcomeUnknown); got != tc.wantUnknown {
				t.Errorf("errors.Is(err, ErrOutcomeUnknown) = %v, want %v (err %v)", got, tc.wantUnknown, err)
			}
			if got := ErrorCode(err); got != tc.wantCode {
				t.Errorf("ErrorCode = %d, want %d (err %v)", got, tc.wantCode, err)
			}
			if err != nil && !strings.Contains(err.Error(), "chatroom/x") {
				t.Errorf("error %q does not name the endpoint", err)
			}
			if tc.wantCode == 404 && !IsNotFound(err) {
				t.Errorf("IsNotFound false for %v", err)
			}
			if tc.name == "HTTP 404 page is not an API 404" && IsNotFound(err) {
				t.Errorf("an HTTP 404 page must not look like a missing object: %v", err)
			}
		})
	}
}

func TestOutcomeUnknownWrapsAPIError(t *testing.T) {
	e := newEnv(t, scripted(t, `{"code":500,"desc":"boom"}`))
	err := e.checkErr(e.c.Call(context.Background(), "qchat/createServer", nil, Write, nil))
	var apiErr *APIError
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &apiErr) || apiErr.Code != 500 {
		t.Fatalf("err = %v, want ErrOutcomeUnknown wrapping APIError 500", err)
	}
	if want := "nim qchat/createServer: " + ErrOutcomeUnknown.Error() + ": code 500: boom"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	handler := func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-block:
		}
	}
	t.Run("write", func(t *testing.T) {
		e := newEnv(t, handler, WithRequestTimeout(50*time.Millisecond))
		err := e.checkErr(e.c.Call(context.Background(), "chatroom/create", nil, Write, nil))
		if !errors.Is(err, ErrOutcomeUnknown) {
			t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
		}
		if n := e.attemptsLogged(); n != 1 {
			t.Errorf("%d attempts, want exactly 1", n)
		}
	})
	t.Run("read", func(t *testing.T) {
		e := newEnv(t, handler, WithRequestTimeout(50*time.Millisecond), WithMaxRetries(1))
		err := e.checkErr(e.c.Call(context.Background(), "chatroom/get", nil, Read, nil))
		if err == nil || errors.Is(err, ErrOutcomeUnknown) {
			t.Fatalf("err = %v, want a plain timeout error", err)
		}
		if n := e.attemptsLogged(); n != 2 {
			t.Errorf("%d attempts, want 2 (retried once)", n)
		}
	})
}

// refusingTransport refuses the first n dials like a closed port would.
func refusingTransport(n int32, dials *atomic.Int32) *http.Transport {
	d := &net.Dialer{}
	return &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) <= n {
				return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
			}
			return d.DialContext(ctx, network, addr)
		},
	}
}

func TestWriteConnectionRefusedIsRetried(t *testing.T) {
	var dials atomic.Int32
	e := newEnv(t, scripted(t, `{"code":200}`), WithHTTPClient(&http.Client{Transport: refusingTransport(2, &dials)}))
	if err := e.checkErr(e.c.Call(context.Background(), "chatroom/create", nil, Write, nil)); err != nil {
		t.Fatalf("write after refused connections: %v", err)
	}
	if got := dials.Load(); got != 3 {
		t.Errorf("%d dials, want 3", got)
	}
	if got := e.requests.Load(); got != 1 {
		t.Errorf("server saw %d requests, want 1", got)
	}
}

func TestRealConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var attempts atomic.Int32
	c, err := New(testKey, testSecret, WithEndpoint("http://"+addr+"/nimserver"), WithMaxRetries(2),
		WithBackoff(time.Millisecond, time.Millisecond), WithRequestsPerSecond(0),
		WithLogger(func(context.Context, string, map[string]any) { attempts.Add(1) }))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Call(context.Background(), "chatroom/create", nil, Write, nil)
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a plain connection error", err)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("err = %v, want ECONNREFUSED in the chain", err)
	}
	if got := attempts.Load(); got != 3 {
		t.Errorf("%d attempts, want 3 (1 + 2 retries)", got)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("secret in error")
	}
}

func TestContextCancelStopsBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := newEnv(t, scripted(t, `{"code":503}`), WithBackoff(time.Hour, time.Hour), WithMaxRetries(5),
		WithLogger(func(context.Context, string, map[string]any) { cancel() }))
	e.c.jitter = func(d time.Duration) time.Duration { return d } // always the full hour
	start := time.Now()
	err := e.checkErr(e.c.Call(ctx, "chatroom/get", nil, Read, nil))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("cancel did not stop the hour-long backoff")
	}
	if n := e.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	if !strings.Contains(err.Error(), "chatroom/get") {
		t.Errorf("ctx error not wrapped with the endpoint: %v", err)
	}
}

func TestContextAlreadyCancelled(t *testing.T) {
	e := newEnv(t, scripted(t, `{"code":200}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := e.c.Call(ctx, "chatroom/create", nil, Write, nil)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a plain context.Canceled", err)
	}
	if n := e.requests.Load(); n != 0 {
		t.Errorf("%d requests sent with a cancelled context", n)
	}
}

func TestContextCancelledInFlightWrite(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	arrived := make(chan struct{})
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	})
	go func() { <-arrived; cancel() }()
	err := e.c.Call(ctx, "chatroom/create", nil, Write, nil)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want both context.Canceled and ErrOutcomeUnknown", err)
	}
}

func TestMaxRetriesHonoured(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			e := newEnv(t, scripted(t, `{"code":503,"desc":"busy"}`), WithMaxRetries(n))
			err := e.checkErr(e.c.Call(context.Background(), "qchat/getServers", nil, Read, nil))
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Code != 503 {
				t.Fatalf("err = %v, want APIError 503", err)
			}
			if got := int(e.requests.Load()); got != n+1 {
				t.Errorf("%d requests, want %d", got, n+1)
			}
		})
	}
}

func TestAPIErrorHelpers(t *testing.T) {
	type helper struct {
		name string
		fn   func(error) bool
		code int
	}
	helpers := []helper{
		{"IsNotFound", IsNotFound, 404},
		{"IsRateLimited", IsRateLimited, 416},
		{"IsForbidden", IsForbidden, 403},
		{"IsParameterError", IsParameterError, 414},
		{"IsRoomClosed", IsRoomClosed, 13002},
		{"IsLimitExceeded", IsLimitExceeded, 419},
		{"IsDuplicate", IsDuplicate, 417},
	}
	for _, h := range helpers {
		for _, code := range []int{403, 404, 414, 416, 417, 419, 500, 13002} {
			base := &APIError{Code: code, Desc: "d", Endpoint: "chatroom/x"}
			wrapped := []error{
				base,
				fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", base)),
				&retriesExhaustedError{attempts: 3, err: base},
				newOutcomeUnknown("chatroom/x", base),
			}
			for i, err := range wrapped {
				if got, want := h.fn(err), code == h.code; got != want {
					t.Errorf("%s(code %d, wrapping %d) = %v, want %v", h.name, code, i, got, want)
				}
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.Code != code {
					t.Errorf("errors.As through wrapping %d failed", i)
				}
			}
		}
		if h.fn(nil) || h.fn(errors.New("x")) {
			t.Errorf("%s true for a non-API error", h.name)
		}
	}
}

func TestBackoff(t *testing.T) {
	c, err := New("k", "s", WithBackoff(100*time.Millisecond, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	want := []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, 1000 * ms, 1000 * ms}
	for i, w := range want {
		if got := c.backoffCeiling(i); got != w {
			t.Errorf("ceiling(%d) = %s, want %s", i, got, w)
		}
	}
	if got := c.backoffCeiling(200); got != time.Second {
		t.Errorf("ceiling(200) = %s, want the max (no overflow)", got)
	}
	seen := map[time.Duration]bool{}
	for i := 0; i < 500; i++ {
		d := c.backoffDelay(2)
		if d < 0 || d > 400*time.Millisecond {
			t.Fatalf("delay %s outside [0, 400ms]", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Errorf("delays not jittered: %d distinct values", len(seen))
	}
}

func TestResponseBodyBounded(t *testing.T) {
	big := `{"code":200,"desc":"` + strings.Repeat("a", MaxResponseBytes+10) + `"}`
	e := newEnv(t, scripted(t, big))
	err := e.checkErr(e.c.Call(context.Background(), "chatroom/get", nil, Read, nil))
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v, want a too-large error", err)
	}
	err = e.checkErr(e.c.Call(context.Background(), "chatroom/create", nil, Write, nil))
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown for a write", err)
	}
}

func TestLoggerOneLinePerAttempt(t *testing.T) {
	e := newEnv(t, scripted(t, `{"code":416,"desc":"freq"}`, `{"code":200}`))
	if err := e.c.Call(context.Background(), "chatroom/create", url.Values{"creator": {"a"}}, Write, nil); err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.logFields) != 2 {
		t.Fatalf("%d log lines, want 2: %q", len(e.logFields), e.logs)
	}
	for i, f := range e.logFields {
		if f["endpoint"] != "chatroom/create" || f["attempt"] != i+1 || f["mode"] != "write" {
			t.Errorf("line %d fields = %v", i, f)
		}
		if _, ok := f["duration"].(time.Duration); !ok {
			t.Errorf("line %d has no duration: %v", i, f)
		}
		for k := range f {
			if strings.Contains(strings.ToLower(k), "checksum") || strings.Contains(strings.ToLower(k), "header") || strings.Contains(strings.ToLower(k), "secret") {
				t.Errorf("line %d has field %q", i, k)
			}
		}
	}
	if e.logFields[0]["code"] != 416 || e.logFields[0]["retry"] != true || e.logFields[1]["code"] != 200 {
		t.Errorf("codes not logged: %q", e.logs)
	}
}

// TestNoSecretLeak runs failure scenarios and checks every error, log line and
// formatting of the client for the secret and the CheckSums sent.
func TestNoSecretLeak(t *testing.T) {
	var outputs []string
	scenarios := [][]string{
		{`{"code":414,"desc":"checksum"}`},
		{`{"code":500,"desc":"x"}`},
		{"http502"},
		{"drop"},
		{"status:400:" + `bad request`},
		{`{"code":416}`},
	}
	for _, steps := range scenarios {
		e := newEnv(t, scripted(t, steps...), WithMaxRetries(1))
		for _, mode := range []CallMode{Read, Write} {
			err := e.c.Call(context.Background(), "chatroom/create", url.Values{"creator": {"a"}}, mode, nil)
			if err == nil {
				t.Fatalf("scenario %v: no error", steps)
			}
			outputs = append(outputs, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
		outputs = append(outputs, fmt.Sprintf("%v", e.c), fmt.Sprintf("%+v", e.c), fmt.Sprintf("%#v", e.c), fmt.Sprint(*e.c), e.c.String())
		e.mu.Lock()
		outputs = append(outputs, e.logs...)
		e.mu.Unlock()
		for _, o := range outputs {
			e.assertNoLeak("output", o)
		}
		if len(e.checksums) == 0 {
			t.Fatal("no checksum recorded")
		}
	}
	if len(outputs) < 30 {
		t.Fatalf("only %d outputs checked", len(outputs))
	}
	// Sanity: the checker does catch a leak.
	if leakIn("has "+testSecret, nil) == "" || leakIn("x abc y", []string{"abc"}) == "" || leakIn("clean", []string{"abc"}) != "" {
		t.Error("leak checker is broken")
	}
}

func TestJSONArray(t *testing.T) {
	if got := JSONArray([]string{"lisi", `wang"wu`}); got != `["lisi","wang\"wu"]` {
		t.Errorf("strings: %s", got)
	}
	if got := JSONArray([]int64{6001, 6003}); got != `["6001","6003"]` {
		t.Errorf("ids: %s", got)
	}
	if got := JSONArray([]string(nil)); got != `[]` {
		t.Errorf("nil: %s", got)
	}
	// As a form field it travels as the JSON text.
	v := url.Values{"roomids": {JSONArray([]int64{1, 2})}}
	back, _ := url.ParseQuery(v.Encode())
	if back.Get("roomids") != `["1","2"]` {
		t.Errorf("form round trip: %q", back.Get("roomids"))
	}
}

func TestFlexDecoding(t *testing.T) {
	var v struct {
		A, B, C, D, E flexInt
		F, G, H       flexBool
		I, J, K       flexInts
		S, T          flexString
	}
	in := `{"A":123,"B":"456","C":null,"D":"","E":"7.0","F":"true","G":1,"H":"0",
		"I":["1","2"],"J":[3,4],"K":"[\"5\",6]","S":null,"T":12}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != 123 || v.B != 456 || v.C != 0 || v.D != 0 || v.E != 7 {
		t.Errorf("ints: %+v", v)
	}
	if !v.F || !v.G || v.H {
		t.Errorf("bools: %+v", v)
	}
	if fmt.Sprint(v.I, v.J, v.K) != "[1 2] [3 4] [5 6]" {
		t.Errorf("int lists: %v %v %v", v.I, v.J, v.K)
	}
	if v.S != "" || v.T != "12" {
		t.Errorf("strings: %q %q", v.S, v.T)
	}
	var bad flexInt
	if err := json.Unmarshal([]byte(`"abc"`), &bad); err == nil {
		t.Error("flexInt accepted abc")
	}
}

// Call itself picks the idempotent mode for the writes that are safe to
// repeat, whatever mode the service method passed; a create stays a write.
func TestIdempotentWritesAreRepeated(t *testing.T) {
	for endpoint, wantAttempts := range map[string]int32{"qchat/updateServerIdentify": 2, "chatroom/muteRoom": 2, "qchat/createServer": 1} {
		e := newEnv(t, scripted(t, "drop", `{"code":200}`))
		err := e.c.Call(context.Background(), endpoint, url.Values{"a": {"b"}}, Write, nil)
		if n := e.requests.Load(); n != wantAttempts {
			t.Errorf("%s: %d attempts, want %d (err %v)", endpoint, n, wantAttempts, err)
		}
		if wantAttempts == 1 && !errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("%s: err = %v, want ErrOutcomeUnknown", endpoint, err)
		}
	}
}

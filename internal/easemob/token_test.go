package easemob

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a settable time source for the token lifetime.
type clock struct{ ns atomic.Int64 }

func newClock() *clock                   { c := &clock{}; c.ns.Store(time.Unix(1700000000, 0).UnixNano()); return c }
func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

func announcementHandler(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { replay(t, w, "announcement_get.json") }
}

func TestTokenFetchedOnceForConcurrentCalls(t *testing.T) {
	f := newFake(t, announcementHandler(t))
	if n := f.tokenRequests.Load(); n != 0 {
		t.Fatalf("New sent %d token requests, want none before first use", n)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.c.Chatrooms.GetAnnouncement(context.Background(), "12XXXX11")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := f.tokenRequests.Load(); n != 1 {
		t.Fatalf("%d token requests for 30 concurrent calls, want 1", n)
	}
	if n := f.apiRequests.Load(); n != 30 {
		t.Fatalf("%d API requests, want 30", n)
	}
}

func TestTokenRenewedAtHalfLifeWhileStillValid(t *testing.T) {
	f := newFake(t, announcementHandler(t))
	f.expiresIn.Store(100)
	clk := newClock()
	f.c.now = clk.Now
	ctx := context.Background()
	get := func() {
		t.Helper()
		if _, err := f.c.Chatrooms.GetAnnouncement(ctx, "1"); err != nil {
			t.Fatal(err)
		}
	}
	get()
	clk.Advance(49 * time.Second)
	get()
	if n := f.tokenRequests.Load(); n != 1 {
		t.Fatalf("%d token requests before half-life, want 1", n)
	}
	clk.Advance(2 * time.Second) // 51s: past half-life, not expired
	get()                        // still served with the old token; renewal starts
	waitFor(t, func() bool {
		f.c.tokens.mu.Lock()
		defer f.c.tokens.mu.Unlock()
		return f.c.tokens.cur != nil && len(f.c.tokens.values) == 2
	})
	f.revokeAll() // only a token issued from now on is accepted
	f.mu.Lock()
	f.valid[f.issued[1]] = true
	f.mu.Unlock()
	get()
	if n := f.tokenRequests.Load(); n != 2 {
		t.Fatalf("%d token requests, want 2", n)
	}
}

func TestTokenNeverExpiringIsNotRenewed(t *testing.T) {
	f := newFake(t, announcementHandler(t))
	f.expiresIn.Store(0)
	clk := newClock()
	f.c.now = clk.Now
	for i := 0; i < 3; i++ {
		if _, err := f.c.Chatrooms.GetAnnouncement(context.Background(), "1"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(365 * 24 * time.Hour)
	}
	if n := f.tokenRequests.Load(); n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestTokenRenewedOnceAfter401(t *testing.T) {
	f := newFake(t, announcementHandler(t))
	ctx := context.Background()
	if _, err := f.c.Chatrooms.GetAnnouncement(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	f.revokeAll() // the token expires early on the server's side
	if _, err := f.c.Chatrooms.GetAnnouncement(ctx, "1"); err != nil {
		t.Fatalf("after one renewal the call should pass: %v", err)
	}
	if n, m := f.tokenRequests.Load(), f.apiRequests.Load(); n != 2 || m != 3 {
		t.Fatalf("%d token and %d API requests, want 2 and 3", n, m)
	}
}

func TestRepeated401IsReturnedNotLooped(t *testing.T) {
	// Every call answers 401 even with a fresh token.
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		replayStatus(t, w, http.StatusUnauthorized, "error_unauthorized.json")
	})
	ctx := context.Background()
	_, err := f.c.Chatrooms.GetAnnouncement(ctx, "1")
	f.assertErrNoLeak(err)
	if !IsUnauthorized(err) || StatusCode(err) != 401 || ErrorType(err) != "unauthorized" {
		t.Fatalf("err = %v, want the 401", err)
	}
	if n, m := f.tokenRequests.Load(), f.apiRequests.Load(); n != 2 || m != 2 {
		t.Fatalf("%d token and %d API requests, want 2 and 2 (one renewal)", n, m)
	}
	// Ten more calls at once: the new token was refused before it was ever
	// accepted, so token requests are backed off, not made per call.
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.c.Chatrooms.GetAnnouncement(ctx, "1")
			if f.checkErr(err) == nil {
				t.Error("call passed against a server refusing every token")
			}
		}()
	}
	wg.Wait()
	// The gate (20ms, 40ms, 80ms, ...) lets at most one token request out
	// per 20ms, and in any case fewer than one per call.
	elapsed := time.Since(start)
	limit := min(int32(3+elapsed/(20*time.Millisecond)), 11)
	if n := f.tokenRequests.Load(); n > limit {
		t.Fatalf("%d token requests in %s for 11 calls refused with 401, want at most %d", n, elapsed, limit)
	}
}

func TestFailingTokenRequestsAreBackedOff(t *testing.T) {
	f := newFake(t, announcementHandler(t))
	f.setTokenAnswer(http.StatusServiceUnavailable, `{"error":"service_unavailable","error_description":"busy"}`)
	ctx := context.Background()
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.c.Chatrooms.GetAnnouncement(ctx, "1")
			if f.checkErr(err) == nil || !strings.Contains(err.Error(), "503") {
				t.Errorf("err = %v, want the token request's 503", err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	// With the gate at 20, 40, 80, 80 ms, at most one token request per gate
	// period may go out, however many callers retry.
	limit := min(int32(2+elapsed/(20*time.Millisecond)), 19)
	if n := f.tokenRequests.Load(); n > limit {
		t.Fatalf("%d token requests in %s for 20 callers, want at most %d", n, elapsed, limit)
	}
	if n := f.apiRequests.Load(); n != 0 {
		t.Fatalf("%d API requests without a token", n)
	}
	// Once the token endpoint recovers, calls pass again.
	f.setTokenAnswer(0, "")
	time.Sleep(100 * time.Millisecond)
	if _, err := f.c.Chatrooms.GetAnnouncement(ctx, "1"); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestRefusedCredentialsAreFinal(t *testing.T) {
	f := newFake(t, announcementHandler(t))
	f.setTokenAnswer(http.StatusBadRequest, readTestdata(t, "error_invalid_grant.json"))
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.c.Chatrooms.GetAnnouncement(ctx, "1")
			f.assertErrNoLeak(err)
			if !IsBadRequest(err) || ErrorType(err) != "invalid_grant" || !strings.Contains(err.Error(), "client_secret does not match") {
				t.Errorf("err = %v", err)
			}
		}()
	}
	wg.Wait()
	for i := 0; i < 5; i++ {
		if _, err := f.c.Chatrooms.GetAnnouncement(ctx, "1"); err == nil {
			t.Fatal("call passed with refused credentials")
		}
	}
	if n := f.tokenRequests.Load(); n != 1 {
		t.Fatalf("%d token requests with refused credentials, want exactly 1", n)
	}
}

func TestSecretAndTokenNeverShown(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		// A hostile or buggy server echoes the token in its error.
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		writeJSON(w, http.StatusBadRequest, fmt.Sprintf(`{"error":"invalid_parameter","error_description":"bad token %s"}`, tok))
	})
	ctx := context.Background()
	_, err := f.c.Chatrooms.GetAnnouncement(ctx, "1")
	f.assertErrNoLeak(err)
	if !IsBadRequest(err) || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("err = %v, want a 400 with the token redacted", err)
	}
	// The secret echoed by the token endpoint is redacted too.
	f2 := newFake(t, announcementHandler(t))
	f2.setTokenAnswer(http.StatusBadRequest, `{"error":"invalid_grant","error_description":"client_secret `+testSecret+` does not match"}`)
	_, err = f2.c.Chatrooms.GetAnnouncement(ctx, "1")
	f2.assertErrNoLeak(err)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, c := range []*Client{f.c, f2.c} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			for _, v := range []any{c, *c, *c.secret, c.secret, c.tokens.cur, c.tokens} {
				f.assertNoLeak("formatted "+verb, fmt.Sprintf(verb, v))
			}
		}
	}
	cfg := Config{Host: "https://a1.easemob.com", OrgName: "o", AppName: "a", ClientID: "id", ClientSecret: testSecret}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, cfg); strings.Contains(s, testSecret) {
			t.Errorf("Config formatted with %s shows the secret: %s", verb, s)
		}
	}
	lines := append(f.logLines(), f2.logLines()...)
	if len(lines) < 2 {
		t.Fatalf("expected log lines, got %q", lines)
	}
	var sawToken bool
	for _, l := range lines {
		f.assertNoLeak("log line", l)
		f2.assertNoLeak("log line", l)
		sawToken = sawToken || strings.HasPrefix(l, "easemob token request")
	}
	if !sawToken {
		t.Errorf("no token request logged: %q", lines)
	}
}

func TestContextEndsWaitForToken(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, announcementHandler(t))
	fn := func(w http.ResponseWriter) {
		<-release
		writeJSON(w, http.StatusServiceUnavailable, `{}`)
	}
	f.tokenAnswer.Store(&fn)
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := f.c.Chatrooms.GetAnnouncement(ctx, "1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
}

func TestFailedRenewalKeepsTheValidToken(t *testing.T) {
	f := newFake(t, announcementHandler(t))
	f.expiresIn.Store(100)
	clk := newClock()
	f.c.now = clk.Now
	ctx := context.Background()
	if _, err := f.c.Chatrooms.GetAnnouncement(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	f.setTokenAnswer(http.StatusServiceUnavailable, `{"error":"busy"}`)
	clk.Advance(60 * time.Second) // past half-life, still valid
	for i := 0; i < 5; i++ {
		if _, err := f.c.Chatrooms.GetAnnouncement(ctx, "1"); err != nil {
			t.Fatalf("call %d with a still valid token: %v", i, err)
		}
		waitFor(t, func() bool {
			f.c.tokens.mu.Lock()
			defer f.c.tokens.mu.Unlock()
			return f.c.tokens.flight == nil
		})
	}
	// The clock stands still, so the gate after the failed renewal stays
	// closed: one renewal attempt, not one per call.
	if n := f.tokenRequests.Load(); n != 2 {
		t.Fatalf("%d token requests, want 2", n)
	}
	clk.Advance(41 * time.Second) // expired, and the gate is open again
	_, err := f.c.Chatrooms.GetAnnouncement(ctx, "1")
	if f.checkErr(err) == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("err = %v, want the failing token request", err)
	}
}

func TestWriteRefusedWith401IsResentOnce(t *testing.T) {
	var posts atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		replay(t, w, "chatroom_create.json")
	})
	ctx := context.Background()
	if _, err := f.c.Chatrooms.GetAnnouncement(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	f.revokeAll()
	res, err := f.c.Chatrooms.Create(ctx, &CreateRequest{Name: "n", Description: "d", Owner: "u"})
	if err != nil || res.ID != "66XXXX33" {
		t.Fatalf("got %v, %v", res, err)
	}
	// The 401 answer proves the create was refused, so it is sent again.
	if n := f.apiRequests.Load(); n != 3 || posts.Load() != 2 {
		t.Fatalf("%d API requests, %d reached the handler", n, posts.Load())
	}
}

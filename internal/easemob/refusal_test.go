package easemob

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/ratelimit"
)

// clocked is a fake server whose handler sees the client's fake clock.
func clocked(t *testing.T, h func(now time.Time, w http.ResponseWriter, r *http.Request), opts ...Option) (*fake, *fakeTime) {
	t.Helper()
	ft := &fakeTime{now: time.Unix(1700000000, 0)}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { h(ft.Now(), w, r) }, opts...)
	f.c.now, f.c.sleep = ft.Now, ft.Sleep
	return f, ft
}

func reachLimit(t *testing.T, w http.ResponseWriter) {
	replayStatus(t, w, http.StatusTooManyRequests, "error_reach_limit.json")
}

func TestReachLimitHalvesTheRateAndPausesTheClass(t *testing.T) {
	var (
		mu    sync.Mutex
		lists []time.Time // GET /chatrooms
	)
	f, ft := clocked(t, func(now time.Time, w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && rel(r) == "/chatrooms" {
			mu.Lock()
			lists = append(lists, now)
			first := len(lists) == 1
			mu.Unlock()
			if first {
				reachLimit(t, w)
				return
			}
		}
		replay(t, w, "announcement_get.json")
	}, WithRequestsPerSecond(20), WithRateLimitBlock(DefaultRateLimitBlock))
	ctl := controllerOf(t, f.c)
	start := ft.Now()
	// What the pause covers, seen while the client waits it out.
	var listPause, otherPause time.Time
	f.c.sleep = func(ctx context.Context, d time.Duration) error {
		if listPause.IsZero() {
			listPause, otherPause = ctl.PausedUntil(RateClassCreateList), ctl.PausedUntil(RateClassOther)
		}
		return ft.Sleep(ctx, d)
	}

	if _, err := f.c.Call(context.Background(), http.MethodGet, "/chatrooms", nil, nil, Read); err != nil {
		t.Fatal(err)
	}
	if got := f.c.RequestRate(); got < 10 || got > 10.2 {
		t.Fatalf("rate after one 429 = %v, want about half of 20", got)
	}
	if len(lists) != 2 || lists[1].Sub(lists[0]) < DefaultRateLimitBlock {
		t.Fatalf("list requests at %v: the retry must wait out the %s pause", lists, DefaultRateLimitBlock)
	}
	if !listPause.Equal(start.Add(DefaultRateLimitBlock)) {
		t.Fatalf("create/list class paused for %v, want %v", listPause.Sub(start), DefaultRateLimitBlock)
	}
	if !otherPause.IsZero() {
		t.Fatalf("the other class was paused too (until %v)", otherPause)
	}
	// Successes raise the rate back to the ceiling, never above (slowly
	// close below the refused rate: about 60 s of traffic).
	for i := 0; i < 3000 && f.c.RequestRate() < 20; i++ {
		if _, err := f.c.Chatrooms.GetAnnouncement(context.Background(), "1"); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.c.RequestRate(); got != 20 {
		t.Fatalf("rate after successes = %v, want the ceiling 20", got)
	}
}

func TestReachLimitRefusalsAreNotCountedAsRetries(t *testing.T) {
	var n atomic.Int32
	f, ft := clocked(t, func(_ time.Time, w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 8 { // max retries is 3
			reachLimit(t, w)
			return
		}
		replay(t, w, "chatroom_create.json")
	}, WithRateLimitBlock(time.Second))
	start := ft.Now()
	// A create is a Write: a refused one was not applied, so it is sent again.
	_, err := f.c.Call(context.Background(), http.MethodPost, "/chatrooms", nil, map[string]string{"name": "r"}, Write)
	if err != nil {
		t.Fatalf("err = %v after %d requests", err, n.Load())
	}
	if n.Load() != 9 {
		t.Fatalf("%d requests, want 8 refused and 1 accepted", n.Load())
	}
	if waited := ft.Now().Sub(start); waited < 8*time.Second || waited > DefaultRefusalBudget {
		t.Fatalf("waited %s for 8 refusals with a 1s pause", waited)
	}
	var paused int
	for _, l := range f.logLines() {
		if strings.Contains(l, "reach_limit") && strings.Contains(l, "paused_for") {
			paused++
		}
	}
	if paused != 8 {
		t.Fatalf("%d log lines of refusals with their pause, want 8", paused)
	}
}

func TestReachLimitBudgetExhausted(t *testing.T) {
	var n atomic.Int32
	f, ft := clocked(t, func(_ time.Time, w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		reachLimit(t, w)
	}, WithRateLimitBlock(time.Second), WithRefusalBudget(5*time.Second))
	start := ft.Now()
	_, err := f.c.Chatrooms.GetAnnouncement(context.Background(), "1")
	if !IsRateLimited(err) || ErrorType(err) != "reach_limit" {
		t.Fatalf("err = %v, want the last 429 reach_limit", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "still refused for the rate limit after waiting 5s") || !strings.Contains(msg, "budget for refused requests is 5s") {
		t.Fatalf("err = %q does not say the budget ran out", msg)
	}
	if strings.Contains(msg, "gave up after") {
		t.Fatalf("err = %q counts refusals as retries", msg)
	}
	if n.Load() != 6 || ft.Now().Sub(start) != 5*time.Second {
		t.Fatalf("%d requests over %s, want 6 over the 5s budget", n.Load(), ft.Now().Sub(start))
	}
}

func TestReachLimitPauseBeyondTheDeadlineFailsAtOnce(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { reachLimit(t, w) }, WithRateLimitBlock(time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	realStart := time.Now()
	_, err := f.c.Chatrooms.GetAnnouncement(ctx, "1")
	if !IsRateLimited(err) || !strings.Contains(err.Error(), "outlast the deadline") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(realStart); d > 10*time.Second {
		t.Fatalf("took %s", d)
	}
}

func TestReachLimitWaitStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		reachLimit(t, w)
		time.AfterFunc(50*time.Millisecond, cancel) // Ctrl-C during the pause
	}, WithRateLimitBlock(time.Minute))
	start := time.Now()
	_, err := f.c.Chatrooms.GetAnnouncement(ctx, "1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancel took effect after %s, want at once", d)
	}
	if n.Load() != 1 {
		t.Fatalf("%d requests after the cancel", n.Load())
	}
}

func TestResourceLimitedIsNotWaitedOut(t *testing.T) {
	var n atomic.Int32
	f, _ := clocked(t, func(_ time.Time, w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeJSON(w, http.StatusTooManyRequests, `{"error":"resource_limited","error_description":"free edition limit"}`)
	}, WithRequestsPerSecond(20))
	_, err := f.c.Call(context.Background(), http.MethodPost, "/chatrooms", nil, map[string]string{"name": "r"}, Write)
	if !IsRateLimited(err) || ErrorType(err) != "resource_limited" || n.Load() != 1 {
		t.Fatalf("err = %v after %d requests, want the quota error at once", err, n.Load())
	}
	if got := f.c.RequestRate(); got != 20 {
		t.Fatalf("rate = %v after a quota error, want 20 (a quota is not a rate)", got)
	}
	if !controllerOf(t, f.c).PausedUntil(RateClassCreateList).IsZero() {
		t.Fatal("a quota error paused the class")
	}
}

func TestRetryAfterLengthensThePause(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []time.Time
	)
	f, _ := clocked(t, func(now time.Time, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, now)
		first := len(seen) == 1
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "3")
			reachLimit(t, w)
			return
		}
		replay(t, w, "announcement_get.json")
	}, WithRateLimitBlock(time.Second))
	if _, err := f.c.Chatrooms.GetAnnouncement(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[1].Sub(seen[0]) != 3*time.Second {
		t.Fatalf("requests at %v, want the retry 3s (Retry-After) after the 429", seen)
	}
}

func TestTokenReachLimitIsWaitedOut(t *testing.T) {
	f, _ := clocked(t, func(_ time.Time, w http.ResponseWriter, r *http.Request) {
		replay(t, w, "announcement_get.json")
	}, WithRequestsPerSecond(20), WithMaxRetries(0))
	var tokenCalls atomic.Int32
	fn := func(w http.ResponseWriter) {
		if tokenCalls.Add(1) == 1 {
			writeJSON(w, http.StatusTooManyRequests, readTestdata(t, "error_reach_limit.json"))
			return
		}
		f.tokenAnswer.Store(nil)
		writeJSON(w, http.StatusTooManyRequests, readTestdata(t, "error_reach_limit.json"))
	}
	f.tokenAnswer.Store(&fn)
	// The first token request is refused, then the next is refused too and
	// the fake goes back to issuing tokens; with max_retries 0 the call
	// still succeeds, each token request held back by the token gate.
	if _, err := f.c.Chatrooms.GetAnnouncement(context.Background(), "1"); err != nil {
		t.Fatalf("err = %v", err)
	}
	if got := f.tokenRequests.Load(); got != 3 {
		t.Fatalf("%d token requests, want 3 (two refused, one issued)", got)
	}
	if got := f.c.RequestRate(); got >= 20 {
		t.Fatalf("rate = %v after refused token requests, want it cut", got)
	}
}

// controllerOf is the client's rate controller, which these tests inspect.
func controllerOf(t *testing.T, c *Client) *ratelimit.Controller {
	t.Helper()
	ctl, ok := c.throttle.(*ratelimit.Controller)
	if !ok {
		t.Fatalf("throttle is %T, want *ratelimit.Controller", c.throttle)
	}
	return ctl
}

package client

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLimiterTokenWaits(t *testing.T) {
	clock := newFakeClock(true)
	l := newLimiter(10, 5, clock.Now, clock.Sleep)
	start := clock.Now()
	for i := 0; i < 20; i++ {
		if err := l.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	sleeps := clock.Sleeps()
	// A burst of 5, then one token every 100ms.
	if len(sleeps) != 15 {
		t.Fatalf("%d waits, want 15: %v", len(sleeps), sleeps)
	}
	for i, d := range sleeps {
		if d != 100*time.Millisecond {
			t.Errorf("wait %d = %s, want 100ms", i, d)
		}
	}
	if got := clock.Now().Sub(start); got != 1500*time.Millisecond {
		t.Errorf("20 requests took %s of clock, want 1.5s", got)
	}

	// After an idle second the burst is available again.
	clock.Advance(time.Second)
	before := len(clock.Sleeps())
	for i := 0; i < 5; i++ {
		_ = l.wait(context.Background())
	}
	if got := len(clock.Sleeps()) - before; got != 0 {
		t.Errorf("%d waits after idling, want 0", got)
	}
}

func TestLimiterUnlimited(t *testing.T) {
	clock := newFakeClock(true)
	l := newLimiter(0, 5, clock.Now, clock.Sleep)
	for i := 0; i < 1000; i++ {
		_ = l.wait(context.Background())
	}
	if n := len(clock.Sleeps()); n != 0 {
		t.Errorf("%d waits with rate 0", n)
	}
	// A pause still applies when unlimited.
	l.pause(3 * time.Second)
	_ = l.wait(context.Background())
	if s := clock.Sleeps(); len(s) != 1 || s[0] != 3*time.Second {
		t.Errorf("waits after pause = %v, want [3s]", s)
	}
}

func TestLimiterPause(t *testing.T) {
	clock := newFakeClock(true)
	l := newLimiter(10, 5, clock.Now, clock.Sleep)
	l.pause(5 * time.Second)
	l.pause(time.Second) // must not shorten the pause
	_ = l.wait(context.Background())
	if s := clock.Sleeps(); len(s) != 1 || s[0] != 5*time.Second {
		t.Fatalf("waits = %v, want [5s]", s)
	}
	// No burst right after a pause: the next request waits a full interval.
	_ = l.wait(context.Background())
	if s := clock.Sleeps(); len(s) != 2 || s[1] != 100*time.Millisecond {
		t.Errorf("waits = %v, want [5s 100ms]", s)
	}
}

func TestLimiterWaitRespectsContext(t *testing.T) {
	l := newLimiter(0.001, 1, time.Now, sleepCtx) // one token per 1000s
	_ = l.wait(context.Background())              // takes the only token
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := l.wait(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Error("wait ignored the context")
	}
}

// Every attempt, retries included, takes a token from the client's bucket.
func TestClientThrottlesEveryAttempt(t *testing.T) {
	var n atomic.Int32
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 1 {
			writeJSON(w, `{"code":503}`) // every call needs one retry
			return
		}
		writeJSON(w, `{"code":200}`)
	}, WithRequestsPerSecond(10), WithBackoff(0, 0))
	clock := newFakeClock(true)
	clock.install(e.c)
	for i := 0; i < 6; i++ {
		if err := e.c.Call(context.Background(), "chatroom/get", nil, Read, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.requests.Load(); got != 12 {
		t.Fatalf("%d attempts, want 12", got)
	}
	sleeps := clock.Sleeps()
	if len(sleeps) != 7 { // 12 attempts - burst of 5
		t.Fatalf("%d token waits, want 7: %v", len(sleeps), sleeps)
	}
	for _, d := range sleeps {
		if d != 100*time.Millisecond {
			t.Errorf("wait %s, want 100ms", d)
		}
	}
}

// A 416 answer seen by one goroutine makes another goroutine of the same
// client wait, although the client is not rate limited otherwise.
func TestRateLimitAnswerPausesOtherGoroutines(t *testing.T) {
	var n atomic.Int32
	var mu sync.Mutex
	var order []string
	got416 := make(chan struct{})
	var once sync.Once
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		order = append(order, r.PostForm.Get("who"))
		mu.Unlock()
		if n.Add(1) == 1 {
			writeJSON(w, `{"code":416,"desc":"freq"}`)
			return
		}
		writeJSON(w, `{"code":200}`)
	}, WithRequestsPerSecond(0), WithBackoff(time.Second, time.Second), WithMaxRetries(2))
	e.c.logger = func(ctx context.Context, msg string, f map[string]any) {
		e.log(ctx, msg, f)
		if f["code"] == 416 {
			once.Do(func() { close(got416) })
		}
	}
	e.c.jitter = func(d time.Duration) time.Duration { return d }
	clock := newFakeClock(false)
	clock.install(e.c)

	errs := make(chan error, 2)
	call := func(who string) {
		ctx := context.WithValue(context.Background(), whoKey{}, who)
		errs <- e.c.Call(ctx, "chatroom/update", map[string][]string{"who": {who}}, Write, nil)
	}
	go call("A")
	select {
	case <-got416:
	case <-time.After(10 * time.Second):
		t.Fatal("no 416 seen")
	}
	go call("B")

	var events []sleepEvent
	for len(events) < 2 {
		select {
		case ev := <-clock.events:
			events = append(events, ev)
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d goroutines waited; B was not paused (events %v)", len(events), events)
		}
	}
	whos := map[string]time.Duration{}
	for _, ev := range events {
		whos[ev.who] = ev.d
	}
	if whos["A"] != time.Second || whos["B"] != time.Second {
		t.Errorf("waits = %v, want A and B to wait the 1s pause", whos)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d requests reached the server during the pause, want 1", got)
	}
	clock.Advance(time.Second)
	for _, ev := range events {
		close(ev.release)
	}
	for i := 0; i < 2; i++ {
		select {
		case err := <-errs:
			if err != nil {
				t.Errorf("call failed: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("calls did not finish")
		}
	}
	if got := n.Load(); got != 3 {
		t.Errorf("%d requests, want 3", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if order[0] != "A" {
		t.Errorf("order = %v", order)
	}
}

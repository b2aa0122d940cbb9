package client

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

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

// A 416 answer seen by one goroutine pauses the endpoint for the block time:
// another goroutine of the same client calling it waits too, although the
// client is not rate limited otherwise, and no retry is counted (max retries
// is 0 here).
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
	}, WithRequestsPerSecond(0), WithRateLimitBlock(time.Second), WithRefusalBudget(time.Minute), WithMaxRetries(0))
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

// Refusals are waited out for the block time and bounded by the refusal
// budget, not by the retry count.
func TestRefusalsAreWaitedOutWithinTheBudget(t *testing.T) {
	e := newEnv(t, scripted(t, `{"code":416,"desc":"freq"}`),
		WithRateLimitBlock(10*time.Second), WithRefusalBudget(25*time.Second), WithMaxRetries(0))
	clock := newFakeClock(true)
	clock.install(e.c)
	start := clock.Now()
	err := e.c.Call(context.Background(), "chatroom/create", nil, Write, nil)
	if !IsRateLimited(err) || !strings.Contains(err.Error(), "budget for refused requests is 25s") {
		t.Fatalf("err = %v, want a rate-limit error naming the budget", err)
	}
	// Refused at 0s and 10s, each time paused for 10s; refused again at
	// 20s, when another block would end past the 25s budget.
	if got := e.requests.Load(); got != 3 {
		t.Errorf("%d attempts, want 3", got)
	}
	if got := clock.Now().Sub(start); got != 20*time.Second {
		t.Errorf("gave up after %s of clock, want 20s", got)
	}
}

func TestRefusalsDoNotCountAsRetries(t *testing.T) {
	e := newEnv(t, scripted(t, `{"code":416}`, `{"code":416}`, `{"code":416}`, `{"code":200}`),
		WithRateLimitBlock(10*time.Second), WithRefusalBudget(time.Minute), WithMaxRetries(0))
	clock := newFakeClock(true)
	clock.install(e.c)
	if err := e.c.Call(context.Background(), "chatroom/create", nil, Write, nil); err != nil {
		t.Fatalf("err = %v, want success after three refusals with max retries 0", err)
	}
	if s := clock.Sleeps(); len(s) != 3 || s[0] != 10*time.Second {
		t.Errorf("waits = %v, want three 10s blocks", s)
	}
}

// A refusal whose block would outlast the context's deadline ends the call
// at once instead of sleeping into the deadline.
func TestRefusalPastTheDeadlineGivesUpAtOnce(t *testing.T) {
	e := newEnv(t, scripted(t, `{"code":416}`), WithRateLimitBlock(5*time.Minute), WithRefusalBudget(MaxRefusalBudget))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := e.c.Call(ctx, "chatroom/get", nil, Read, nil)
	if !IsRateLimited(err) || !strings.Contains(err.Error(), "outlast the deadline") {
		t.Fatalf("err = %v", err)
	}
	if got := e.requests.Load(); got != 1 {
		t.Errorf("%d attempts, want 1", got)
	}
}

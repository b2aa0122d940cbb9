package retry

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/ratelimit"
)

// fakeThrottle records what the loop tells it; a refusal pauses the key for
// block, and Wait does not wait.
type fakeThrottle struct {
	clock    *fakeClock
	block    time.Duration
	calls    []string
	waitErr  error // returned by Wait from the call numbered failWait (1-based)
	failWait int
	waits    int
}

func (f *fakeThrottle) Wait(ctx context.Context, key string) (ratelimit.Permit, error) {
	f.waits++
	f.calls = append(f.calls, "wait "+key)
	if f.failWait != 0 && f.waits >= f.failWait {
		return ratelimit.Permit{}, f.waitErr
	}
	return ratelimit.Permit{}, ctx.Err()
}

func (f *fakeThrottle) Refused(ratelimit.Permit) time.Time {
	f.calls = append(f.calls, "refused")
	return f.clock.Now().Add(f.block)
}

func (f *fakeThrottle) Accepted(ratelimit.Permit) { f.calls = append(f.calls, "accepted") }

func (f *fakeThrottle) Rate() float64 { return 42 }

// fakeClock moves forward by every sleep; sleepErr, when set, is returned by
// the sleep numbered failSleep (1-based) instead.
type fakeClock struct {
	now       time.Time
	sleeps    []time.Duration
	sleepErr  error
	failSleep int
}

func (f *fakeClock) Now() time.Time { return f.now }

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.sleeps = append(f.sleeps, d)
	if f.failSleep != 0 && len(f.sleeps) == f.failSleep {
		return f.sleepErr
	}
	f.now = f.now.Add(max(d, 0))
	return ctx.Err()
}

// fakeDeadline has a deadline on the fake clock, which never ends it.
type fakeDeadline struct {
	context.Context
	at time.Time
}

func (f fakeDeadline) Deadline() (time.Time, bool) { return f.at, true }

type logLine struct {
	attempt   int
	err       string
	willRetry bool
	pause     time.Duration
	fields    map[string]any
}

type exhausted struct {
	t   Tally
	err error
}

func (e *exhausted) Error() string { return fmt.Sprintf("%v (gave up: %+v)", e.err, e.t) }
func (e *exhausted) Unwrap() error { return e.err }

// harness runs a Loop over scripted results, one per attempt.
type harness struct {
	clock    *fakeClock
	throttle *fakeThrottle
	script   []Result
	attempts int
	logs     []logLine
	loop     Loop[int]
}

func newHarness(script ...Result) *harness {
	h := &harness{clock: &fakeClock{now: time.Unix(1700000000, 0)}, script: script}
	h.throttle = &fakeThrottle{clock: h.clock, block: 10 * time.Second}
	h.loop = Loop[int]{
		Throttle:      h.throttle,
		Key:           "k",
		Prefix:        "vendor op",
		MaxRetries:    2,
		RefusalBudget: time.Minute,
		// 100ms, 200ms, 400ms...: the full ceiling, no jitter.
		Backoff: func(n int) time.Duration { return Ceiling(100*time.Millisecond, time.Second, n) },
		Now:     h.clock.Now,
		Sleep:   h.clock.Sleep,
		Attempt: func(context.Context) (int, Result) {
			h.attempts++
			if h.attempts > len(h.script) {
				panic(fmt.Sprintf("attempt %d beyond the script", h.attempts))
			}
			return h.attempts, h.script[h.attempts-1]
		},
		Log: func(_ context.Context, v int, fields map[string]any) {
			l := logLine{fields: fields}
			l.attempt, _ = fields["attempt"].(int)
			l.err, _ = fields["error"].(string)
			l.willRetry, _ = fields["retry"].(bool)
			l.pause, _ = fields["paused_for"].(time.Duration)
			if v != l.attempt {
				panic(fmt.Sprintf("log of attempt %d got the value of attempt %d", l.attempt, v))
			}
			h.logs = append(h.logs, l)
		},
		GaveUp: func(t Tally, err error) error { return &exhausted{t: t, err: err} },
	}
	return h
}

var (
	errRefused = errors.New("refused for the rate")
	errBusy    = errors.New("server busy")
)

func refused() Result { return Result{Err: errRefused, Retry: true, Refused: true} }
func busy() Result    { return Result{Err: errBusy, Retry: true, Answered: true} }
func ok() Result      { return Result{Answered: true} }

func TestRefusalIsWaitedOutAndNotCounted(t *testing.T) {
	for _, waitOut := range []bool{false, true} {
		t.Run(fmt.Sprintf("WaitOutRefusal=%v", waitOut), func(t *testing.T) {
			// Three refusals and two failures fit in MaxRetries 2: only the
			// failures count.
			h := newHarness(refused(), busy(), refused(), refused(), busy(), ok())
			h.loop.WaitOutRefusal = waitOut
			v, err := h.loop.Run(context.Background())
			if err != nil || v != 6 {
				t.Fatalf("Run = %d, %v; want 6, nil", v, err)
			}
			want := []string{
				"wait k", "refused",
				"wait k", "accepted",
				"wait k", "refused",
				"wait k", "refused",
				"wait k", "accepted",
				"wait k", "accepted",
			}
			if !reflect.DeepEqual(h.throttle.calls, want) {
				t.Errorf("throttle calls = %q, want %q", h.throttle.calls, want)
			}
			ms := time.Millisecond
			wantSleeps := []time.Duration{100 * ms, 200 * ms} // the backoffs only
			if waitOut {
				wantSleeps = []time.Duration{10 * time.Second, 100 * ms, 10 * time.Second, 10 * time.Second, 200 * ms}
			}
			if !reflect.DeepEqual(h.clock.sleeps, wantSleeps) {
				t.Errorf("sleeps = %v, want %v", h.clock.sleeps, wantSleeps)
			}
			for _, i := range []int{0, 2, 3} {
				if l := h.logs[i]; l.pause != 10*time.Second || !l.willRetry || l.err != errRefused.Error() {
					t.Errorf("log of refused attempt %d = %+v", i+1, l)
				}
			}
			if len(h.logs) != 6 || !reflect.DeepEqual(h.logs[5].fields, map[string]any{"attempt": 6}) {
				t.Errorf("logs = %+v", h.logs)
			}
		})
	}
}

func TestRefusalBeyondTheBudgetGivesUp(t *testing.T) {
	script := make([]Result, 10)
	for i := range script {
		script[i] = refused()
	}
	h := newHarness(script...)
	h.loop.WaitOutRefusal = true
	h.loop.RefusalBudget = 25 * time.Second
	_, err := h.loop.Run(context.Background())
	var re *ratelimit.RefusalError
	if !errors.As(err, &re) || !errors.Is(err, errRefused) {
		t.Fatalf("err = %v, want a *ratelimit.RefusalError wrapping the refusal", err)
	}
	// Refused at 0s and 10s (resume 20s: within 25s), at 20s the resume,
	// 30s, lies beyond the budget.
	if h.attempts != 3 || re.Waited != 20*time.Second {
		t.Errorf("attempts = %d, waited %s; want 3, 20s", h.attempts, re.Waited)
	}
	if last := h.logs[len(h.logs)-1]; last.willRetry || last.pause != 10*time.Second {
		t.Errorf("last log = %+v, want no retry and the 10s pause", last)
	}
	if !reflect.DeepEqual(h.clock.sleeps, []time.Duration{10 * time.Second, 10 * time.Second}) {
		t.Errorf("sleeps = %v", h.clock.sleeps)
	}
}

func TestRefusalBeyondTheDeadlineGivesUp(t *testing.T) {
	h := newHarness(refused())
	_, err := h.loop.Run(fakeDeadline{Context: context.Background(), at: h.clock.now.Add(5 * time.Second)})
	var re *ratelimit.RefusalError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("err = %v, want a RefusalError naming the deadline", err)
	}
	if len(h.clock.sleeps) != 0 {
		t.Errorf("slept %v before giving up", h.clock.sleeps)
	}
}

func TestRetryableFailureBacksOffThenGivesUp(t *testing.T) {
	h := newHarness(busy(), refused(), busy(), busy())
	_, err := h.loop.Run(context.Background())
	var ex *exhausted
	if !errors.As(err, &ex) || !errors.Is(err, errBusy) {
		t.Fatalf("err = %v, want GaveUp's error wrapping the failure", err)
	}
	if ex.t != (Tally{Attempts: 4, Retries: 2}) {
		t.Errorf("tally = %+v, want 4 attempts (the refusal included), 2 retries", ex.t)
	}
	ms := time.Millisecond
	if !reflect.DeepEqual(h.clock.sleeps, []time.Duration{100 * ms, 200 * ms}) {
		t.Errorf("sleeps = %v, want the backoffs 100ms, 200ms", h.clock.sleeps)
	}
	wantRetry := []bool{true, true, true, false}
	for i, l := range h.logs {
		if l.willRetry != wantRetry[i] {
			t.Errorf("log %d: willRetry = %v, want %v", i+1, l.willRetry, wantRetry[i])
		}
	}
}

func TestMinDelayRaisesTheBackoff(t *testing.T) {
	slow := busy()
	slow.MinDelay = 3 * time.Second
	h := newHarness(slow, busy(), ok())
	if _, err := h.loop.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{3 * time.Second, 200 * time.Millisecond}; !reflect.DeepEqual(h.clock.sleeps, want) {
		t.Errorf("sleeps = %v, want %v", h.clock.sleeps, want)
	}
}

func TestMinDelayLengthensTheRefusalPause(t *testing.T) {
	long := refused()
	long.MinDelay = 30 * time.Second
	h := newHarness(long, ok())
	h.loop.WaitOutRefusal = true
	if _, err := h.loop.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{30 * time.Second}; !reflect.DeepEqual(h.clock.sleeps, want) || h.logs[0].pause != 30*time.Second {
		t.Errorf("sleeps = %v, pause logged %s; want %v", h.clock.sleeps, h.logs[0].pause, want)
	}
}

func TestResumeHookDecidesThePause(t *testing.T) {
	h := newHarness(refused(), ok())
	h.loop.WaitOutRefusal = true
	h.loop.Resume = func(_ ratelimit.Permit, v int, _ Result, now time.Time) time.Time {
		return now.Add(time.Duration(v) * 7 * time.Second)
	}
	if _, err := h.loop.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{7 * time.Second}; !reflect.DeepEqual(h.clock.sleeps, want) {
		t.Errorf("sleeps = %v, want %v", h.clock.sleeps, want)
	}
	for _, c := range h.throttle.calls {
		if c == "refused" {
			t.Errorf("the throttle was told of a refusal the Resume hook handled: %q", h.throttle.calls)
		}
	}
}

func TestWithoutRetriesTheFailureIsReturnedAsIs(t *testing.T) {
	h := newHarness(busy())
	h.loop.MaxRetries = 0
	_, err := h.loop.Run(context.Background())
	if err != errBusy {
		t.Fatalf("err = %v, want the attempt's own error", err)
	}
	if h.logs[0].willRetry {
		t.Error("log says a retry follows")
	}
}

func TestNonRetryableFailureIsReturnedAsIs(t *testing.T) {
	final := errors.New("not found")
	h := newHarness(busy(), Result{Err: final, Answered: true})
	v, err := h.loop.Run(context.Background())
	if err != final || v != 2 {
		t.Fatalf("Run = %d, %v; want 2 and the attempt's own error", v, err)
	}
	if !reflect.DeepEqual(h.clock.sleeps, []time.Duration{100 * time.Millisecond}) {
		t.Errorf("sleeps = %v", h.clock.sleeps)
	}
}

func TestUnansweredAttemptIsNotAccepted(t *testing.T) {
	h := newHarness(Result{Err: errBusy, Retry: true}, ok())
	if _, err := h.loop.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"wait k", "wait k", "accepted"}; !reflect.DeepEqual(h.throttle.calls, want) {
		t.Errorf("throttle calls = %q, want %q", h.throttle.calls, want)
	}
}

func TestContextEndWhileSleepingNamesTheLastError(t *testing.T) {
	cases := []struct {
		name    string
		script  []Result
		waitOut bool
		want    string
	}{
		{"backoff", []Result{busy()}, false, "vendor op: context canceled (while waiting to retry after: server busy)"},
		{"refusal pause", []Result{refused()}, true, "vendor op: context canceled (while waiting out the rate limit after: refused for the rate)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(c.script...)
			h.loop.WaitOutRefusal = c.waitOut
			h.clock.sleepErr, h.clock.failSleep = context.Canceled, 1
			_, err := h.loop.Run(context.Background())
			if err == nil || err.Error() != c.want || !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want %q wrapping context.Canceled", err, c.want)
			}
			if h.attempts != 1 {
				t.Errorf("attempts = %d, want 1", h.attempts)
			}
		})
	}
}

func TestContextEndInTheThrottle(t *testing.T) {
	t.Run("before any attempt", func(t *testing.T) {
		h := newHarness()
		h.throttle.failWait, h.throttle.waitErr = 1, context.DeadlineExceeded
		_, err := h.loop.Run(context.Background())
		if err == nil || err.Error() != "vendor op: context deadline exceeded" || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("after a refusal", func(t *testing.T) {
		h := newHarness(refused())
		h.throttle.failWait, h.throttle.waitErr = 2, context.Canceled
		_, err := h.loop.Run(context.Background())
		want := "vendor op: context canceled (while waiting to retry after: refused for the rate)"
		if err == nil || err.Error() != want || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want %q", err, want)
		}
	})
}

func TestRenewalOncePerCall(t *testing.T) {
	renewals := 0
	unauthorized := func() Result {
		return Result{Err: errors.New("401"), Answered: true, Renew: func() { renewals++ }}
	}
	t.Run("renewed then success", func(t *testing.T) {
		renewals = 0
		h := newHarness(unauthorized(), ok())
		if _, err := h.loop.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if renewals != 1 || len(h.clock.sleeps) != 0 || !h.logs[0].willRetry {
			t.Errorf("renewals = %d, sleeps %v, first log %+v; want 1 renewal, no sleep, a retry logged", renewals, h.clock.sleeps, h.logs[0])
		}
	})
	t.Run("second refusal returned", func(t *testing.T) {
		renewals = 0
		h := newHarness(unauthorized(), unauthorized())
		_, err := h.loop.Run(context.Background())
		if err == nil || err.Error() != "401" {
			t.Fatalf("err = %v, want the second 401 as it is", err)
		}
		if renewals != 1 || h.attempts != 2 {
			t.Errorf("renewals = %d, attempts %d; want 1, 2", renewals, h.attempts)
		}
		if want := []string{"wait k", "accepted", "wait k", "accepted"}; !reflect.DeepEqual(h.throttle.calls, want) {
			t.Errorf("throttle calls = %q, want %q", h.throttle.calls, want)
		}
	})
	t.Run("renewal does not spend a retry", func(t *testing.T) {
		renewals = 0
		h := newHarness(busy(), unauthorized(), busy(), busy())
		_, err := h.loop.Run(context.Background())
		var ex *exhausted
		if !errors.As(err, &ex) || ex.t != (Tally{Attempts: 4, Retries: 2}) || renewals != 1 {
			t.Fatalf("err = %v, renewals %d; want exhausted after 4 attempts, 2 retries, 1 renewal", err, renewals)
		}
	})
}

func TestCeiling(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		lo, hi time.Duration
		n      int
		want   time.Duration
	}{
		{100 * ms, time.Second, 0, 100 * ms},
		{100 * ms, time.Second, 3, 800 * ms},
		{100 * ms, time.Second, 4, time.Second},
		{100 * ms, time.Second, 1 << 20, time.Second},
		{0, time.Second, 5, 0},
		{time.Second, time.Second, 3, time.Second},
		{1, time.Duration(1<<63 - 1), 62, 1 << 62},
		{1, time.Duration(1<<63 - 1), 63, time.Duration(1<<63 - 1)},
		{3 * time.Hour, time.Duration(1<<63 - 1), 1000, time.Duration(1<<63 - 1)},
	}
	for _, c := range cases {
		if got := Ceiling(c.lo, c.hi, c.n); got != c.want {
			t.Errorf("Ceiling(%d, %d, %d) = %d, want %d", c.lo, c.hi, c.n, got, c.want)
		}
	}
}

func TestFullJitter(t *testing.T) {
	if FullJitter(0) != 0 || FullJitter(-time.Second) != 0 {
		t.Error("no ceiling, yet a delay")
	}
	seen := map[time.Duration]bool{}
	for range 500 {
		d := FullJitter(400 * time.Millisecond)
		if d < 0 || d > 400*time.Millisecond {
			t.Fatalf("delay %s outside [0, 400ms]", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Errorf("delays not jittered: %d distinct values", len(seen))
	}
}

func TestLogFields(t *testing.T) {
	h := newHarness(refused(), Result{Err: errors.New("bad secret s3cr3t"), Answered: true})
	h.loop.Redact = func(s string) string { return strings.ReplaceAll(s, "s3cr3t", "[redacted]") }
	if _, err := h.loop.Run(context.Background()); err == nil {
		t.Fatal("no error")
	}
	want := []map[string]any{
		{"attempt": 1, "error": errRefused.Error(), "retry": true, "paused_for": 10 * time.Second, "rate": 42.0},
		{"attempt": 2, "error": "bad secret [redacted]", "retry": false},
	}
	for i, l := range h.logs {
		if !reflect.DeepEqual(l.fields, want[i]) {
			t.Errorf("log %d = %v, want %v", i+1, l.fields, want[i])
		}
	}
	if len(h.logs) != len(want) {
		t.Errorf("%d log lines, want %d", len(h.logs), len(want))
	}
}

package ratelimit

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"
)

// fakeClock advances only when told to. Sleep either advances it at once
// (auto) or refuses to sleep (errWouldBlock), which lets a test step time
// itself.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	auto   bool
	sleeps []time.Duration
}

var errWouldBlock = errors.New("would block")

func newClock(auto bool) *fakeClock { return &fakeClock{now: time.Unix(1700000000, 0), auto: auto} }

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
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.auto {
		return errWouldBlock
	}
	f.sleeps = append(f.sleeps, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) config(cfg Config) Config {
	cfg.Now, cfg.Sleep = f.Now, f.Sleep
	return cfg
}

func TestPacesAtTheCeiling(t *testing.T) {
	clock := newClock(true)
	c := New(clock.config(Config{Ceiling: 10, Burst: 5}))
	start := clock.Now()
	for i := 0; i < 25; i++ {
		if _, err := c.Wait(context.Background(), "a"); err != nil {
			t.Fatal(err)
		}
	}
	// A burst of 5, then one request every 100 ms.
	if got := clock.Now().Sub(start); got != 2*time.Second {
		t.Errorf("25 requests took %s of clock, want 2s", got)
	}
	if c.Rate() != 10 || c.Ceiling() != 10 {
		t.Errorf("rate %v, ceiling %v; want 10 and 10", c.Rate(), c.Ceiling())
	}
}

func TestRefusalPausesTheKeyAndCutsTheRateOnce(t *testing.T) {
	clock := newClock(true)
	c := New(clock.config(Config{Ceiling: 100, Burst: 10, Block: 10 * time.Second}))
	ctx := context.Background()

	// Three requests in flight together are refused together: one
	// congestion event, one cut.
	var permits []Permit
	for i := 0; i < 3; i++ {
		p, err := c.Wait(ctx, "create")
		if err != nil {
			t.Fatal(err)
		}
		permits = append(permits, p)
	}
	refusedAt := clock.Now()
	for _, p := range permits {
		if resume := c.Refused(p); !resume.Equal(refusedAt.Add(10 * time.Second)) {
			t.Errorf("resume at %s, want %s", resume, refusedAt.Add(10*time.Second))
		}
	}
	if got := c.Rate(); got != 50 {
		t.Fatalf("rate after one congestion event = %v, want 50", got)
	}

	// Another key is not paused: the server blocks only the refused one.
	before := clock.Now()
	if _, err := c.Wait(ctx, "list"); err != nil {
		t.Fatal(err)
	}
	if d := clock.Now().Sub(before); d != 0 {
		t.Errorf("an unrefused key waited %s", d)
	}

	// The refused key waits out the whole block.
	p, err := c.Wait(ctx, "create")
	if err != nil {
		t.Fatal(err)
	}
	if d := clock.Now().Sub(refusedAt); d < 10*time.Second {
		t.Errorf("the refused key was sent again after %s, want the 10s block", d)
	}
	// A refusal of a request sent at the new rate cuts again, down to the
	// floor and no further.
	c.Refused(p)
	if got := c.Rate(); got != 25 {
		t.Errorf("rate after a second event = %v, want 25", got)
	}
	for i := 0; i < 20; i++ {
		p, err := c.Wait(ctx, "other")
		if err != nil {
			t.Fatal(err)
		}
		c.Refused(p)
	}
	if got := c.Rate(); got != 2 { // MinRate defaults to ceiling/50
		t.Errorf("rate after many events = %v, want the floor 2", got)
	}
}

func TestRecoversAdditivelyUpToTheCeiling(t *testing.T) {
	clock := newClock(true)
	c := New(clock.config(Config{Ceiling: 100, Burst: 1, Increase: 5, Probe: 1, Approach: 0.8}))
	ctx := context.Background()
	p, _ := c.Wait(ctx, "k")
	old, _ := c.Wait(ctx, "k") // sent before the cut
	c.Refused(p)
	if c.Rate() != 50 {
		t.Fatalf("rate %v, want 50", c.Rate())
	}
	c.Accepted(old)
	if c.Rate() != 50 {
		t.Errorf("an answer to a request sent before the cut raised the rate to %v", c.Rate())
	}
	clock.Advance(10 * time.Second) // the block is over

	// Accepted requests at full pace raise the rate by about 5/s per second
	// up to 80% of the refused rate (100), in about 6 s, then by 1/s per
	// second up to it, in about 20 s more; never above the ceiling.
	start := clock.Now()
	var at80, at100 time.Duration
	for i := 0; i < 5000; i++ {
		p, err := c.Wait(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		c.Accepted(p)
		el := clock.Now().Sub(start)
		if at80 == 0 && c.Rate() >= 80 {
			at80 = el
		}
		if at100 == 0 && c.Rate() >= 100 {
			at100 = el
		}
		if c.Rate() > 100 {
			t.Fatalf("rate %v above the ceiling", c.Rate())
		}
	}
	if at80 < 5*time.Second || at80 > 7*time.Second {
		t.Errorf("80/s after %s of traffic, want about 6s (+5/s per second)", at80)
	}
	if d := at100 - at80; d < 18*time.Second || d > 22*time.Second {
		t.Errorf("80/s to the ceiling took %s, want about 20s (+1/s per second)", d)
	}
}

func TestNoCeilingOnlyPauses(t *testing.T) {
	clock := newClock(true)
	c := New(clock.config(Config{Block: 3 * time.Second}))
	for i := 0; i < 1000; i++ {
		if _, err := c.Wait(context.Background(), "k"); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(clock.sleeps); n != 0 {
		t.Fatalf("%d waits without a ceiling", n)
	}
	p, _ := c.Wait(context.Background(), "k")
	c.Refused(p)
	if !math.IsInf(c.Rate(), 1) {
		t.Errorf("rate %v, want +Inf", c.Rate())
	}
	_, _ = c.Wait(context.Background(), "k")
	if s := clock.sleeps; len(s) != 1 || s[0] != 3*time.Second {
		t.Errorf("waits after a refusal = %v, want [3s]", s)
	}
}

// A refusal seen while a request waits for its turn keeps it from being sent
// into the block.
func TestRefusalWhileWaitingForATurn(t *testing.T) {
	clock := newClock(false)
	c := New(clock.config(Config{Ceiling: 10, Burst: 1, Block: 10 * time.Second}))
	ctx := context.Background()
	p, err := c.Wait(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Wait(ctx, "k"); !errors.Is(err, errWouldBlock) {
		t.Fatalf("second request did not wait for its turn: %v", err)
	}
	c.Refused(p)
	clock.Advance(200 * time.Millisecond) // its turn came, the block goes on
	if _, err := c.Wait(ctx, "k"); !errors.Is(err, errWouldBlock) {
		t.Fatalf("a request was let into the block: %v", err)
	}
	clock.Advance(10 * time.Second)
	if _, err := c.Wait(ctx, "k"); err != nil {
		t.Fatalf("after the block: %v", err)
	}
}

func TestWaitStopsWithTheContext(t *testing.T) {
	c := New(Config{Ceiling: 1, Block: time.Hour}) // the real clock
	p, err := c.Wait(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	c.Refused(p)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Wait(ctx, "k")
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Wait ignored the cancelled context during an hour-long block")
	}
}

// Two clients with the ceiling at the server's limit share a server that
// allows 100 requests/s (a bucket of one second's worth) and blocks for 10 s
// after a refusal. Both send as fast as they may for five minutes of clock.
// After they settle they stay under the limit together, each gets a fair
// share, and refusals become rare instead of constant.
func TestTwoClientsSettleUnderASharedLimit(t *testing.T) {
	clock := newClock(false)
	srv := &server{rate: 100, tokens: 100, blocked: clock.Now()}
	clients := []*Controller{
		New(clock.config(Config{Ceiling: 100, Burst: 5})),
		New(clock.config(Config{Ceiling: 100, Burst: 5})),
	}
	const step = time.Millisecond
	const total = 300 * time.Second
	sent := make([]int, len(clients))
	late := make([]int, len(clients)) // accepted in the last two minutes
	refusals, lateRefusals := 0, 0
	start := clock.Now()
	for el := time.Duration(0); el < total; el += step {
		now := clock.Now()
		srv.refill(now)
		for i, c := range clients {
			for {
				p, err := c.Wait(context.Background(), "create")
				if err != nil {
					break // not this millisecond
				}
				sent[i]++
				if srv.allow(now) {
					c.Accepted(p)
					if el >= total-2*time.Minute {
						late[i]++
					}
				} else {
					c.Refused(p)
					refusals++
					if el >= total-2*time.Minute {
						lateRefusals++
					}
				}
			}
		}
		clock.Advance(step)
	}
	_ = start
	lateRate := float64(late[0]+late[1]) / 120
	t.Logf("sent %v, refusals %d (last 2 min: %d), accepted in the last 2 min: %v = %.1f/s together, rates now %.1f and %.1f",
		sent, refusals, lateRefusals, late, lateRate, clients[0].Rate(), clients[1].Rate())
	if lateRate > 100 {
		t.Errorf("together %.1f requests/s accepted, above the limit", lateRate)
	}
	// Each refusal costs a 10 s block; a client that fights keeps getting
	// blocked and gets far less than this.
	if lateRate < 60 {
		t.Errorf("together only %.1f requests/s accepted: the clients keep blocking each other", lateRate)
	}
	for i, n := range late {
		if share := float64(n) / float64(late[0]+late[1]); share < 0.3 {
			t.Errorf("client %d got %.0f%% of the traffic, want a fair share", i, 100*share)
		}
	}
	if lateRefusals > 12 {
		t.Errorf("%d refusals in the last two minutes, want the clients to have settled", lateRefusals)
	}
}

// server models the documented NIM limit: a bucket of one second's worth of
// requests, and a 10 s block of the endpoint after a refusal during which
// every request is refused.
type server struct {
	rate, tokens float64
	last         time.Time
	blocked      time.Time
}

func (s *server) refill(now time.Time) {
	if !s.last.IsZero() {
		s.tokens = min(s.rate, s.tokens+now.Sub(s.last).Seconds()*s.rate)
	}
	s.last = now
}

func (s *server) allow(now time.Time) bool {
	if now.Before(s.blocked) {
		return false
	}
	if s.tokens >= 1 {
		s.tokens--
		return true
	}
	s.blocked = now.Add(10 * time.Second)
	return false
}
func TestSleep(t *testing.T) {
	t.Parallel()
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if err := Sleep(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("zero sleep on an ended context: err = %v", err)
	}
	if time.Since(start) > time.Minute {
		t.Error("the sleep outlived its context")
	}
}

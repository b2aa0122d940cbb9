package batch_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/batch"
	"github.com/nimtf/terraform-provider-nim/internal/batch/batchtest"
)

// fetchLog records the keys of every fetch and can hold fetches until the
// test releases them.
type fetchLog struct {
	mu      sync.Mutex
	calls   [][]int
	ctxs    []context.Context
	started chan struct{}
	release chan struct{} // nil: answer at once; else each fetch takes one value (or finds it closed)
}

func (l *fetchLog) fetch(ctx context.Context, _ string, keys []int) (map[int]string, map[int]error, error) {
	l.mu.Lock()
	l.calls = append(l.calls, slices.Clone(keys))
	l.ctxs = append(l.ctxs, ctx)
	l.mu.Unlock()
	if l.started != nil {
		l.started <- struct{}{}
	}
	if l.release != nil {
		select {
		case <-l.release:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	vals := map[int]string{}
	errs := map[int]error{}
	for _, k := range keys {
		switch {
		case k < 0: // negative keys do not exist
		case k >= 1000: // keys from 1000 fail on their own
			errs[k] = fmt.Errorf("key %d failed", k)
		default:
			vals[k] = fmt.Sprint("v", k)
		}
	}
	return vals, errs, nil
}

func (l *fetchLog) sizes() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []int
	for _, c := range l.calls {
		out = append(out, len(c))
	}
	return out
}

var errMissing = errors.New("missing")

// testCtxErr names the test endpoint, as the clients name theirs.
func testCtxErr(g string, k int, err error) error {
	return fmt.Errorf("test/batch %s/%d: %w", g, k, err)
}

func newTestCoalescer(l *fetchLog, timers *batchtest.Timers, maxKeys int) *batch.Coalescer[string, int, string] {
	return &batch.Coalescer[string, int, string]{
		Window: time.Millisecond, MaxKeys: maxKeys, CtxErr: testCtxErr,
		Fetch:       l.fetch,
		Missing:     func(g string, k int) error { return fmt.Errorf("%s/%d: %w", g, k, errMissing) },
		AfterFunc:   timers.After,
		Parallelism: batchtest.NoEarlySend,
	}
}

type result struct {
	key int
	val string
	err error
}

func TestCoalescerSplitsAtMaxKeys(t *testing.T) {
	t.Parallel()
	l := &fetchLog{}
	timers := &batchtest.Timers{}
	c := newTestCoalescer(l, timers, 20)

	results := make(chan result, 50)
	for k := range 50 {
		go func() {
			v, err := c.Get(context.Background(), "g", k)
			results <- result{k, v, err}
		}()
	}
	// Two full rounds leave at once; the 10 left wait for their window.
	batchtest.WaitFor(t, "two full rounds and 10 waiters", func() bool {
		return len(l.sizes()) == 2 && c.Waiting("g") == 10
	})
	if n := timers.Fire(); n != 1 {
		t.Fatalf("%d windows ended, want 1", n)
	}
	for range 50 {
		r := <-results
		if r.err != nil || r.val != fmt.Sprint("v", r.key) {
			t.Errorf("key %d: %q, %v", r.key, r.val, r.err)
		}
	}
	if got := l.sizes(); !slices.Equal(got, []int{20, 20, 10}) {
		t.Errorf("fetch sizes %v, want [20 20 10]", got)
	}
	seen := map[int]bool{}
	for _, call := range l.calls {
		for _, k := range call {
			if seen[k] {
				t.Errorf("key %d fetched twice", k)
			}
			seen[k] = true
		}
	}
}

func TestCoalescerSharesKeysAndGroups(t *testing.T) {
	t.Parallel()
	l := &fetchLog{}
	timers := &batchtest.Timers{}
	c := newTestCoalescer(l, timers, 0)
	c.Clone = func(v string) string { return v + "'" }

	var wg sync.WaitGroup
	got := make(map[string][]string)
	var mu sync.Mutex
	for _, g := range []string{"a", "a", "a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get(context.Background(), g, 7)
			if err != nil {
				t.Errorf("group %s: %v", g, err)
			}
			mu.Lock()
			got[g] = append(got[g], v)
			mu.Unlock()
		}()
	}
	batchtest.WaitFor(t, "3 waiters in a and 1 in b", func() bool { return c.Waiting("a") == 3 && c.Waiting("b") == 1 })
	timers.Fire()
	wg.Wait()
	// One fetch per group, each with the key once; every waiter its copy.
	if got := l.sizes(); !slices.Equal(got, []int{1, 1}) {
		t.Errorf("fetch sizes %v, want [1 1]", got)
	}
	if len(got["a"]) != 3 || len(got["b"]) != 1 || got["a"][0] != "v7'" {
		t.Errorf("answers %v", got)
	}
}

func TestCoalescerErrorsStayWithTheirWaiters(t *testing.T) {
	t.Parallel()
	timers := &batchtest.Timers{}
	boom := errors.New("batch failed")
	c := &batch.Coalescer[string, int, string]{
		Window: time.Millisecond, AfterFunc: timers.After, Parallelism: batchtest.NoEarlySend, CtxErr: testCtxErr,
		Missing: func(g string, k int) error { return fmt.Errorf("%s/%d: %w", g, k, errMissing) },
	}
	l := &fetchLog{}
	c.Fetch = func(ctx context.Context, g string, keys []int) (map[int]string, map[int]error, error) {
		if g == "bad" {
			return nil, nil, boom
		}
		return l.fetch(ctx, g, keys)
	}

	type call struct {
		group string
		key   int
	}
	calls := []call{{"bad", 1}, {"bad", 2}, {"good", 1}, {"good", -1}, {"good", 1000}}
	results := make([]error, len(calls))
	vals := make([]string, len(calls))
	var wg sync.WaitGroup
	for i, cl := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vals[i], results[i] = c.Get(context.Background(), cl.group, cl.key)
		}()
	}
	batchtest.WaitFor(t, "all waiters", func() bool { return c.Waiting("bad") == 2 && c.Waiting("good") == 3 })
	timers.Fire()
	wg.Wait()

	if !errors.Is(results[0], boom) || !errors.Is(results[1], boom) {
		t.Errorf("waiters of the failed round: %v, %v; want the batch error", results[0], results[1])
	}
	if results[2] != nil || vals[2] != "v1" {
		t.Errorf("good/1 = %q, %v; want v1", vals[2], results[2])
	}
	if !errors.Is(results[3], errMissing) {
		t.Errorf("good/-1 = %v; want the missing error", results[3])
	}
	if results[4] == nil || errors.Is(results[4], errMissing) || errors.Is(results[4], boom) {
		t.Errorf("good/1000 = %v; want its own error", results[4])
	}
}

func TestCoalescerCancelledWaiterLeavesAlone(t *testing.T) {
	t.Parallel()
	l := &fetchLog{started: make(chan struct{}, 1), release: make(chan struct{})}
	timers := &batchtest.Timers{}
	c := newTestCoalescer(l, timers, 0)

	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error, 1)
	resB := make(chan result, 1)
	go func() { _, err := c.Get(ctxA, "g", 1); errA <- err }()
	go func() { v, err := c.Get(context.Background(), "g", 2); resB <- result{2, v, err} }()
	batchtest.WaitFor(t, "two waiters", func() bool { return c.Waiting("g") == 2 })
	timers.Fire()
	<-l.started // the fetch is in flight and held

	cancelA()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled waiter: %v, want context.Canceled", err)
	}
	if err := l.ctxs[0].Err(); err != nil {
		t.Errorf("fetch context ended with one waiter left: %v", err)
	}
	close(l.release)
	if r := <-resB; r.err != nil || r.val != "v2" {
		t.Errorf("other waiter: %q, %v; want v2", r.val, r.err)
	}
}

func TestCoalescerLastWaiterCancelsFetch(t *testing.T) {
	t.Parallel()
	l := &fetchLog{started: make(chan struct{}, 1), release: make(chan struct{})}
	timers := &batchtest.Timers{}
	c := newTestCoalescer(l, timers, 0)

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := c.Get(ctx, "g", 1); errc <- err }()
	batchtest.WaitFor(t, "a waiter", func() bool { return c.Waiting("g") == 1 })
	timers.Fire()
	<-l.started
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("waiter: %v, want context.Canceled", err)
	}
	select {
	case <-l.ctxs[0].Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the fetch was not cancelled after its last waiter left")
	}
}

func TestCoalescerCancelBeforeSend(t *testing.T) {
	t.Parallel()
	l := &fetchLog{}
	timers := &batchtest.Timers{}
	c := newTestCoalescer(l, timers, 0)

	// A waiter that leaves before the round is sent takes its key along.
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := c.Get(ctx, "g", 1); errc <- err }()
	batchtest.WaitFor(t, "first waiter", func() bool { return c.Waiting("g") == 1 })
	res := make(chan result, 1)
	go func() { v, err := c.Get(context.Background(), "g", 2); res <- result{2, v, err} }()
	batchtest.WaitFor(t, "second waiter", func() bool { return c.Waiting("g") == 2 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("leaving waiter: %v, want context.Canceled", err)
	}
	timers.Fire()
	if r := <-res; r.err != nil || r.val != "v2" {
		t.Errorf("remaining waiter: %q, %v", r.val, r.err)
	}
	if len(l.calls) != 1 || !slices.Equal(l.calls[0], []int{2}) {
		t.Errorf("fetches %v, want [[2]]", l.calls)
	}

	// When every waiter leaves before the window ends, nothing is fetched.
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { _, err := c.Get(ctx2, "g", 3); errc <- err }()
	batchtest.WaitFor(t, "third waiter", func() bool { return c.Waiting("g") == 1 })
	cancel2()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("waiter: %v", err)
	}
	timers.Fire()
	if len(l.calls) != 1 {
		t.Errorf("%d fetches, want still 1", len(l.calls))
	}

	// An already cancelled context never joins a round.
	if _, err := c.Get(ctx2, "g", 4); !errors.Is(err, context.Canceled) {
		t.Errorf("get with a done context: %v", err)
	}
	if c.Waiting("g") != 0 {
		t.Error("a done context opened a round")
	}
}

// Answers are never kept: each round after the previous one answered fetches
// again.
func TestCoalescerKeepsNothing(t *testing.T) {
	t.Parallel()
	l := &fetchLog{}
	c := &batch.Coalescer[string, int, string]{
		Window: 0, Fetch: l.fetch, CtxErr: testCtxErr,
		Missing: func(string, int) error { return errMissing },
	}
	for range 3 {
		if v, err := c.Get(context.Background(), "g", 5); err != nil || v != "v5" {
			t.Fatalf("get: %q, %v", v, err)
		}
	}
	if n := len(l.sizes()); n != 3 {
		t.Errorf("%d fetches for 3 sequential gets, want 3", n)
	}
}

// A round is sent without waiting for its window once every caller there is
// waits in it and they are as many as ever came at once.
func TestCoalescerSendsEarlyAtPeak(t *testing.T) {
	t.Parallel()
	// Each fetch takes one token from release, so the test decides which
	// rounds are still in flight.
	l := &fetchLog{started: make(chan struct{}, 100), release: make(chan struct{}, 100)}
	timers := &batchtest.Timers{}
	c := newTestCoalescer(l, timers, 0)
	c.Parallelism = 0

	// One caller at a time: each round leaves at once, no window ends.
	for k := range 3 {
		l.release <- struct{}{}
		if v, err := c.Get(context.Background(), "g", k); err != nil || v != fmt.Sprint("v", k) {
			t.Fatalf("get %d: %q, %v", k, v, err)
		}
	}
	if got := l.sizes(); !slices.Equal(got, []int{1, 1, 1}) {
		t.Errorf("fetch sizes %v, want [1 1 1]", got)
	}

	// Three at once raise the peak to 3. The first leaves alone (the peak
	// was 1); the other two wait for the window, since the first is still
	// out.
	var wg sync.WaitGroup
	get := func(k int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(context.Background(), "g", k); err != nil {
				t.Error(err)
			}
		}()
	}
	get(10)
	batchtest.WaitFor(t, "the first fetch", func() bool { return len(l.sizes()) == 4 })
	get(11)
	get(12)
	batchtest.WaitFor(t, "two waiters", func() bool { return c.Waiting("g") == 2 })
	timers.Fire()
	l.release <- struct{}{}
	l.release <- struct{}{}
	wg.Wait()

	// Now two callers wait for a third, and the round leaves the moment it
	// joins.
	get(20)
	get(21)
	batchtest.WaitFor(t, "two waiters", func() bool { return c.Waiting("g") == 2 })
	if n := len(l.sizes()); n != 5 {
		t.Fatalf("%d fetches with two of three callers waiting, want 5", n)
	}
	l.release <- struct{}{}
	if _, err := c.Get(context.Background(), "g", 22); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if got := l.sizes(); !slices.Equal(got, []int{1, 1, 1, 1, 2, 3}) {
		t.Errorf("fetch sizes %v, want [1 1 1 1 2 3]", got)
	}
	if n := timers.Fire(); n != 0 {
		t.Errorf("%d windows still open", n)
	}
}

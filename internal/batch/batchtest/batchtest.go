// Package batchtest helps tests of batch.Coalescer users end batch windows
// themselves, so they assert what was batched, never how fast.
package batchtest

import (
	"sync"
	"testing"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/batch"
)

// NoEarlySend is a Parallelism no round reaches: rounds are sent only when
// full or when the test ends their window.
const NoEarlySend = 1 << 30

// Timers replaces a coalescer's window timers (batch.Coalescer.AfterFunc): a
// window ends only when the test fires it.
type Timers struct {
	mu      sync.Mutex
	pending []*timer
}

type timer struct {
	mu      sync.Mutex
	f       func()
	stopped bool
}

// After is a batch.Coalescer.AfterFunc that never fires on its own.
func (m *Timers) After(_ time.Duration, f func()) batch.Stopper {
	t := &timer{f: f}
	m.mu.Lock()
	m.pending = append(m.pending, t)
	m.mu.Unlock()
	return t
}

func (t *timer) Stop() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// Fire ends every window still open and reports how many it ended.
func (m *Timers) Fire() int {
	m.mu.Lock()
	ts := m.pending
	m.pending = nil
	m.mu.Unlock()
	n := 0
	for _, t := range ts {
		t.mu.Lock()
		run := !t.stopped
		t.stopped = true
		t.mu.Unlock()
		if run {
			n++
			t.f()
		}
	}
	return n
}

// WaitFor polls cond until it holds; it fails the test after a generous
// deadline, which only a hang hits.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

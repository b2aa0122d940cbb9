package nimsim

import (
	"net/http"
	"sync"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/simkit"
)

// faultKinds are the injected faults, chosen uniformly once a request is
// picked (with probability FailRate) to fail.
var faultKinds = [...]string{"500", "416", "drop_before", "drop_after"}

// rollFault decides, with the seeded stream, whether this request gets a
// fault, and counts it.
func (s *Server) rollFault() string {
	kind := s.faults.Roll()
	if kind != "" {
		s.countFault(kind)
	}
	return kind
}

// sleep adds Latency plus a uniform random Jitter in [0, Jitter]. It returns
// false if the client gave up meanwhile.
func (s *Server) sleep(r *http.Request) bool {
	return s.faults.Sleep(r, s.cfg.Latency, s.cfg.Jitter)
}

// limiter is a token bucket per app (the simulator accepts one app) holding
// one second's worth of requests, plus the per-endpoint blocks that follow a
// rate-limit 416 (api-facts: "blocks that endpoint for about 10 seconds").
// Injected 416 faults do not block: they model a single rejected call.
type limiter struct {
	mu      sync.Mutex
	bucket  simkit.Bucket
	blocked map[string]time.Time // endpoint -> blocked until
}

func (l *limiter) allow(key string, rate float64, block time.Duration, now time.Time) bool {
	if rate <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if until, ok := l.blocked[key]; ok {
		if now.Before(until) {
			return false
		}
		delete(l.blocked, key)
	}
	if l.bucket.Take(rate, now) {
		return true
	}
	l.blocked[key] = now.Add(block)
	return false
}

func (l *limiter) reset() {
	l.mu.Lock()
	l.bucket.Reset()
	l.blocked = map[string]time.Time{}
	l.mu.Unlock()
}

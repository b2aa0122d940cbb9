package nimsim

import (
	"net/http"
	"sync"
	"time"
)

// faultKinds are the injected faults, chosen uniformly once a request is
// picked (with probability FailRate) to fail.
var faultKinds = [...]string{"500", "416", "drop_before", "drop_after"}

// rollFault decides, with the seeded RNG, whether this request gets a fault.
func (s *Server) rollFault() string {
	s.faultMu.Lock()
	p := s.failRate
	var kind string
	if p > 0 && s.faultRNG.Float64() < p {
		kind = faultKinds[s.faultRNG.IntN(len(faultKinds))]
	}
	s.faultMu.Unlock()
	if kind != "" {
		s.countFault(kind)
	}
	return kind
}

// sleep adds Latency plus a uniform random Jitter in [0, Jitter]. It returns
// false if the client gave up meanwhile.
func (s *Server) sleep(r *http.Request) bool {
	d := s.cfg.Latency
	if s.cfg.Jitter > 0 {
		s.faultMu.Lock()
		d += time.Duration(s.jitRNG.Int64N(int64(s.cfg.Jitter) + 1))
		s.faultMu.Unlock()
	}
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// dropConnection closes the connection without an answer. It hijacks the
// connection when the ResponseWriter allows it (HTTP/1.x servers); otherwise
// (HTTP/2, or a ResponseRecorder) it aborts the handler with
// http.ErrAbortHandler, which net/http turns into a reset stream.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// limiter is a token bucket per app (the simulator accepts one app) holding
// one second's worth of requests, plus the per-endpoint blocks that follow a
// rate-limit 416 (api-facts: "blocks that endpoint for about 10 seconds").
// Injected 416 faults do not block: they model a single rejected call.
type limiter struct {
	mu      sync.Mutex
	tokens  float64
	last    time.Time
	started bool
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
	burst := max(rate, 1)
	if !l.started {
		l.started, l.tokens, l.last = true, burst, now
	}
	if el := now.Sub(l.last).Seconds(); el > 0 {
		l.tokens = min(burst, l.tokens+el*rate)
		l.last = now
	}
	if l.tokens >= 1 {
		l.tokens--
		return true
	}
	l.blocked[key] = now.Add(block)
	return false
}

func (l *limiter) reset() {
	l.mu.Lock()
	l.started = false
	l.blocked = map[string]time.Time{}
	l.mu.Unlock()
}

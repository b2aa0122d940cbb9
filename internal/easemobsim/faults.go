package easemobsim

import (
	"net/http"
	"sync"
	"time"
)

// faultKinds are the injected faults, chosen uniformly once a request is
// picked (with probability FailRate) to fail. "drop_after" applies the
// request and then closes the connection: the client cannot know it worked.
var faultKinds = [...]string{"500", "429", "drop_before", "drop_after"}

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
		s.count(func(st *Stats) { st.Faults[kind]++ })
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

// rateClass is one of the documented rate-limit classes (per app key).
type rateClass int

const (
	classOther      rateClass = iota // 100/s: everything not listed below
	classCreateList                  // 50/s: create chatroom, list chatrooms, joined chatrooms
	classToken                       // 300/s: token requests
	numClasses
)

// factor is the class's rate relative to classOther (documented 100/s).
func (c rateClass) factor() float64 {
	switch c {
	case classCreateList:
		return 0.5
	case classToken:
		return 3
	}
	return 1
}

// limiter is a token bucket per class holding one second of requests. A
// request over the limit is refused (429 reach_limit) and nothing else
// happens: no block period is documented for Easemob.
type limiter struct {
	mu      sync.Mutex
	tokens  [numClasses]float64
	last    [numClasses]time.Time
	started [numClasses]bool
}

// allowRate applies the rate limit of a request's class.
func (s *Server) allowRate(c rateClass) bool {
	rate := s.cfg.RateLimit * c.factor()
	if c == classToken && s.cfg.TokenRateLimit > 0 {
		rate = s.cfg.TokenRateLimit
	}
	return s.lim.allow(c, rate, s.cfg.Now())
}

func (l *limiter) allow(c rateClass, rate float64, now time.Time) bool {
	if rate <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	burst := max(rate, 1)
	if !l.started[c] {
		l.started[c], l.tokens[c], l.last[c] = true, burst, now
	}
	if el := now.Sub(l.last[c]).Seconds(); el > 0 {
		l.tokens[c] = min(burst, l.tokens[c]+el*rate)
		l.last[c] = now
	}
	if l.tokens[c] >= 1 {
		l.tokens[c]--
		return true
	}
	return false
}

func (l *limiter) reset() {
	l.mu.Lock()
	l.started = [numClasses]bool{}
	l.mu.Unlock()
}

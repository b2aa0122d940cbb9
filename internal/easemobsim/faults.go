package easemobsim

import (
	"net/http"
	"sync"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/simkit"
)

// faultKinds are the injected faults, chosen uniformly once a request is
// picked (with probability FailRate) to fail. "drop_after" applies the
// request and then closes the connection: the client cannot know it worked.
var faultKinds = [...]string{"500", "429", "drop_before", "drop_after"}

// rollFault decides, with the seeded stream, whether this request gets a
// fault, and counts it.
func (s *Server) rollFault() string {
	kind := s.faults.Roll()
	if kind != "" {
		s.count(func(st *Stats) { st.Faults[kind]++ })
	}
	return kind
}

// sleep adds Latency plus a uniform random Jitter in [0, Jitter]. It returns
// false if the client gave up meanwhile.
func (s *Server) sleep(r *http.Request) bool {
	return s.faults.Sleep(r, s.cfg.Latency, s.cfg.Jitter)
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
	buckets [numClasses]simkit.Bucket
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
	return l.buckets[c].Take(rate, now)
}

func (l *limiter) reset() {
	l.mu.Lock()
	for i := range l.buckets {
		l.buckets[i].Reset()
	}
	l.mu.Unlock()
}

package simkit

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Faults picks the injected faults and the added latency of one simulator
// from two seeded random streams, so a run is reproducible from its seed. It
// is safe for concurrent use.
type Faults struct {
	kinds []string

	mu       sync.Mutex
	rate     float64
	faultRNG *rand.Rand
	jitRNG   *rand.Rand
}

// NewFaults returns Faults failing a request with probability rate (in
// [0,1]) with one of kinds chosen uniformly. faultStream and jitterStream
// pick the random streams of the faults and of the jitter for seed; a
// simulator uses streams of its own so that two simulators in one program do
// not share a sequence.
func NewFaults(seed int64, faultStream, jitterStream uint64, rate float64, kinds ...string) *Faults {
	return &Faults{
		kinds:    kinds,
		rate:     rate,
		faultRNG: rand.New(rand.NewPCG(uint64(seed), faultStream)),
		jitRNG:   rand.New(rand.NewPCG(uint64(seed), jitterStream)),
	}
}

// SetRate changes the fault probability (clamped to [0,1]).
func (f *Faults) SetRate(p float64) {
	p = min(max(p, 0), 1)
	f.mu.Lock()
	f.rate = p
	f.mu.Unlock()
}

// Rate is the fault probability now.
func (f *Faults) Rate() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rate
}

// Roll decides, with the seeded stream, whether a request gets a fault: it
// returns the fault's kind, or "" for none.
func (f *Faults) Roll() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rate > 0 && f.faultRNG.Float64() < f.rate {
		return f.kinds[f.faultRNG.IntN(len(f.kinds))]
	}
	return ""
}

// Sleep waits latency plus a uniform random jitter in [0, jitter]. It
// returns false if the client gave up meanwhile (r's context ended).
func (f *Faults) Sleep(r *http.Request, latency, jitter time.Duration) bool {
	d := latency
	if jitter > 0 {
		f.mu.Lock()
		d += time.Duration(f.jitRNG.Int64N(int64(jitter) + 1))
		f.mu.Unlock()
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

// DropConnection closes the connection without an answer. It hijacks the
// connection when the ResponseWriter allows it (HTTP/1.x servers); otherwise
// (HTTP/2, or a ResponseRecorder) it aborts the handler with
// http.ErrAbortHandler, which net/http turns into a reset stream.
func DropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// Bucket is a token bucket holding one second's worth of requests (at
// least one). It is not safe for concurrent use: its owner locks it.
type Bucket struct {
	tokens  float64
	last    time.Time
	started bool
}

// Take takes a token at now if there is one, refilling at rate per second
// since the last call; a rate of 0 or less is no limit. The first call, and
// the first after Reset, finds the bucket full.
func (b *Bucket) Take(rate float64, now time.Time) bool {
	if rate <= 0 {
		return true
	}
	burst := max(rate, 1)
	if !b.started {
		b.started, b.tokens, b.last = true, burst, now
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(burst, b.tokens+el*rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	return false
}

// Reset makes the next Take find the bucket full.
func (b *Bucket) Reset() { b.started = false }

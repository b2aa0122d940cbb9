package easemob

import (
	"context"
	"sync"
	"testing"
	"time"
)

type fakeTime struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeTime) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
func (f *fakeTime) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
	return ctx.Err()
}

func TestBucketStaysBelowTheCreateLimit(t *testing.T) {
	ft := &fakeTime{now: time.Unix(1700000000, 0)}
	b := newBucket(DefaultRequestsPerSecond, DefaultBurst, ft.Now, ft.Sleep)
	start := ft.Now()
	var sent []time.Time
	for i := 0; i < 400; i++ {
		if err := b.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, ft.Now())
	}
	// No one-second window may hold 50 or more requests.
	for i := range sent {
		j := i
		for j < len(sent) && sent[j].Sub(sent[i]) < time.Second {
			j++
		}
		if j-i >= 50 {
			t.Fatalf("%d requests within one second from request %d", j-i, i)
		}
	}
	if got, want := ft.Now().Sub(start), time.Duration(400-DefaultBurst)*time.Second/40; got != want {
		t.Fatalf("400 requests took %s, want %s", got, want)
	}
}

func TestBucketBackoffPausesEveryone(t *testing.T) {
	ft := &fakeTime{now: time.Unix(1700000000, 0)}
	b := newBucket(0, 1, ft.Now, ft.Sleep) // unlimited, but pausable
	b.Backoff(2 * time.Second)
	b.Backoff(time.Second) // never shortens
	start := ft.Now()
	if err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ft.Now().Sub(start); got != 2*time.Second {
		t.Fatalf("waited %s, want 2s", got)
	}
}

func TestDefaultThrottleAppliesToTheClient(t *testing.T) {
	c, err := New(Config{Host: "https://a1.easemob.com", OrgName: "o", AppName: "a", ClientID: "i", ClientSecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	b, ok := c.throttle.(*bucket)
	if !ok || b.interval != 25*time.Millisecond || b.burst != DefaultBurst {
		t.Fatalf("default throttle = %#v", c.throttle)
	}
	custom := &countingThrottle{}
	c2, _ := New(Config{Host: "https://a1.easemob.com", OrgName: "o", AppName: "a", ClientID: "i", ClientSecret: "s"}, WithThrottle(custom))
	if c2.throttle != Throttle(custom) {
		t.Fatal("WithThrottle ignored")
	}
}

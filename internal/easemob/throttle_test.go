package easemob

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/ratelimit"
)

// fakeTime is a clock whose Sleep moves time forward at once.
type fakeTime struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeTime) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
func (f *fakeTime) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.now = f.now.Add(max(d, 0))
	f.mu.Unlock()
	return nil
}

func TestRateClass(t *testing.T) {
	cases := []struct{ method, path, want string }{
		{http.MethodPost, "/chatrooms", RateClassCreateList},
		{http.MethodGet, "/chatrooms", RateClassCreateList},
		{http.MethodGet, "/users/alice/joined_chatrooms", RateClassCreateList},
		{http.MethodPost, "/token", RateClassToken},
		{http.MethodGet, "/chatrooms/1", RateClassOther},
		{http.MethodPut, "/chatrooms/1", RateClassOther},
		{http.MethodDelete, "/chatrooms/1", RateClassOther},
		{http.MethodGet, "/chatrooms/super_admin", RateClassOther},
		{http.MethodPost, "/chatrooms/1/users/bob", RateClassOther},
		{http.MethodGet, "/chatrooms/1/announcement", RateClassOther},
	}
	for _, c := range cases {
		if got := RateClass(c.method, c.path); got != c.want {
			t.Errorf("RateClass(%s %s) = %q, want %q", c.method, c.path, got, c.want)
		}
	}
}

func TestDefaultThrottleStaysBelowTheCreateLimit(t *testing.T) {
	c, err := New(Config{Host: "https://a1.easemob.com", OrgName: "o", AppName: "a", ClientID: "i", ClientSecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	ft := &fakeTime{now: time.Unix(1700000000, 0)}
	c.now, c.sleep = ft.Now, ft.Sleep
	ctl, ok := c.throttle.(*ratelimit.Controller)
	if !ok || ctl.Ceiling() != DefaultRequestsPerSecond || ctl.Block() != DefaultRateLimitBlock || c.RequestRate() != DefaultRequestsPerSecond {
		t.Fatalf("default throttle = %T %v", c.throttle, c.RequestRate())
	}
	var sent []time.Time
	for i := 0; i < 400; i++ {
		if _, err := c.throttle.Wait(context.Background(), RateClassCreateList); err != nil {
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
	shared := ratelimit.New(ratelimit.Config{Ceiling: 10})
	c2, _ := New(Config{Host: "https://a1.easemob.com", OrgName: "o", AppName: "a", ClientID: "i", ClientSecret: "s"}, WithThrottle(shared))
	if c2.throttle != Throttle(shared) || c2.RequestRate() != 10 {
		t.Fatal("WithThrottle ignored")
	}
}

func TestNewRejectsBadRefusalSettings(t *testing.T) {
	cfg := Config{Host: "https://a1.easemob.com", OrgName: "o", AppName: "a", ClientID: "i", ClientSecret: "s"}
	for _, opt := range []Option{WithRefusalBudget(-time.Second), WithRefusalBudget(MaxRefusalBudget + time.Second), WithRateLimitBlock(0)} {
		if _, err := New(cfg, opt); err == nil {
			t.Error("New accepted an invalid refusal budget or block")
		}
	}
}

package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

func (s *sharedListings) waiters(creator string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.open[creator]; l != nil {
		return l.waiters
	}
	return 0
}

// Creates of one creator that start together wait for their turn under the
// rate limit; their snapshot listings, taken before any of them is sent,
// are one request.
func TestConcurrentListingsShareOneRequest(t *testing.T) {
	var listings atomic.Int32
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/chatroom/queryUserRoomIds.action") {
			listings.Add(1)
			writeJSON(w, `{"code":200,"desc":{"roomids":["11","12"]}}`)
			return
		}
		writeJSON(w, `{"code":200}`)
	}, WithRequestsPerSecond(1))
	clock := newFakeClock(false)
	clock.install(e.c)
	// Spend the burst, so that the next request waits for its turn.
	for i := 0; i < DefaultBurst; i++ {
		if err := e.c.Call(context.Background(), "chatroom/get", nil, Read, nil); err != nil {
			t.Fatal(err)
		}
	}

	const n = 8
	type answer struct {
		ids []int64
		err error
	}
	answers := make(chan answer, n)
	list := func() {
		ids, err := e.c.Chatrooms.ListIDsByCreator(context.Background(), "host")
		answers <- answer{ids, err}
	}
	go list()
	var ev sleepEvent
	select {
	case ev = <-clock.events: // the first listing waits for its turn
	case <-time.After(10 * time.Second):
		t.Fatal("the listing did not wait for its turn")
	}
	for i := 1; i < n; i++ {
		go list()
	}
	for deadline := time.Now().Add(10 * time.Second); e.c.roomLists.waiters("host") < n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d callers joined the waiting listing", e.c.roomLists.waiters("host"), n)
		}
		time.Sleep(time.Millisecond)
	}
	clock.Advance(ev.d)
	close(ev.release)
	for i := 0; i < n; i++ {
		a := <-answers
		if a.err != nil || !slices.Equal(a.ids, []int64{11, 12}) {
			t.Errorf("caller got %v, %v", a.ids, a.err)
		}
	}
	if got := listings.Load(); got != 1 {
		t.Errorf("%d listings sent for %d concurrent callers, want 1", got, n)
	}
}

// A caller never joins a listing already sent: the answer could predate its
// create (a lookup after a lost answer would miss the room it made).
func TestListingOnTheWireIsNotJoined(t *testing.T) {
	var listings atomic.Int32
	arrived := make(chan struct{})
	release := make(chan struct{})
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if listings.Add(1) == 1 {
			close(arrived)
			<-release
			writeJSON(w, `{"code":200,"desc":{"roomids":["1"]}}`)
			return
		}
		writeJSON(w, `{"code":200,"desc":{"roomids":["1","2"]}}`)
	})
	first := make(chan []int64, 1)
	go func() {
		ids, err := e.c.Chatrooms.ListIDsByCreator(context.Background(), "host")
		if err != nil {
			t.Error(err)
		}
		first <- ids
	}()
	<-arrived
	ids, err := e.c.Chatrooms.ListIDsByCreator(context.Background(), "host")
	close(release)
	if err != nil || !slices.Equal(ids, []int64{1, 2}) {
		t.Errorf("later caller got %v, %v; want its own, later listing [1 2]", ids, err)
	}
	if ids := <-first; !slices.Equal(ids, []int64{1}) {
		t.Errorf("first caller got %v, want [1]", ids)
	}
	if got := listings.Load(); got != 2 {
		t.Errorf("%d listings, want 2", got)
	}
}

// A caller whose context ends returns at once; the listing goes on for the
// others.
func TestListingCallerLeaves(t *testing.T) {
	release := make(chan struct{})
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		<-release
		writeJSON(w, `{"code":200,"desc":{"roomids":["7"]}}`)
	})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.c.Chatrooms.ListIDsByCreator(ctx, "host"); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Errorf("err = %v, want the context's error", err)
	}
}

// Concurrent creates whose answers are all lost, each with an older room of
// the same creator and name already there: every create shares snapshots,
// looks its room up afterwards, adopts the room it made and never the older
// one, and nothing is created twice.
func TestSharedSnapshotStillNeverAdoptsAnOlderRoom(t *testing.T) {
	sim, err := nimsim.New(nimsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	lost := map[string]bool{} // names whose first create answer was dropped
	var listings atomic.Int32
	var dropping atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		switch {
		case strings.HasSuffix(r.URL.Path, "/chatroom/queryUserRoomIds.action"):
			listings.Add(1)
		case strings.HasSuffix(r.URL.Path, "/chatroom/create.action"):
			name := form.Get("name")
			mu.Lock()
			drop := dropping.Load() && !lost[name]
			lost[name] = true
			mu.Unlock()
			if drop {
				// Apply the create, then lose the answer.
				sim.ServeHTTP(httptest.NewRecorder(), r)
				loseAnswer(t, w)
				return
			}
		}
		sim.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := New(nimsim.DefaultAppKey, nimsim.DefaultAppSecret, WithEndpoint(srv.URL+basePath),
		WithRequestsPerSecond(0), WithBackoff(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const n = 10
	older := map[int64]bool{}
	for i := 0; i < n; i++ {
		// The older rooms carry the very names of the new ones.
		r, err := c.Chatrooms.Create(ctx, &CreateChatroomRequest{Creator: "host", Name: fmt.Sprintf("new-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		older[r.ID] = true
	}
	dropping.Store(true)

	got := make([]*Chatroom, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("new-%d", i)
			// The provider's create: a snapshot, then CreateOrAdopt with a
			// finder that ignores the snapshot's rooms.
			ids, err := c.Chatrooms.ListIDsByCreator(ctx, "host")
			if err != nil {
				errs[i] = err
				return
			}
			before := map[int64]bool{}
			for _, id := range ids {
				before[id] = true
			}
			got[i], errs[i] = CreateOrAdopt(ctx, DefaultCreateAttempts,
				func(ctx context.Context) (*Chatroom, error) {
					return c.Chatrooms.Create(ctx, &CreateChatroomRequest{Creator: "host", Name: name})
				},
				func(ctx context.Context) (*Chatroom, bool, error) {
					ids, err := c.Chatrooms.ListIDsByCreator(ctx, "host")
					if err != nil {
						return nil, false, err
					}
					ids = slices.DeleteFunc(ids, func(id int64) bool { return before[id] })
					if len(ids) == 0 {
						return nil, false, nil
					}
					res, err := c.Chatrooms.GetBatch(ctx, ids)
					if err != nil {
						return nil, false, err
					}
					var best *Chatroom
					for _, r := range res.Rooms {
						if r.Name == name && r.Creator == "host" && (best == nil || r.ID < best.ID) {
							best = r
						}
					}
					return best, best != nil, nil
				})
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i, r := range got {
		if errs[i] != nil {
			t.Errorf("create %d: %v", i, errs[i])
			continue
		}
		switch {
		case older[r.ID]:
			t.Errorf("create %d adopted the older room %d", i, r.ID)
		case seen[r.ID]:
			t.Errorf("room %d adopted twice", r.ID)
		case r.Name != fmt.Sprintf("new-%d", i):
			t.Errorf("create %d got room %d named %q", i, r.ID, r.Name)
		}
		seen[r.ID] = true
	}
	if rooms := sim.Objects().Chatrooms; len(rooms) != 2*n {
		t.Errorf("%d rooms in the simulator, want %d older + %d new (none twice)", len(rooms), n, n)
	}
	t.Logf("%d listings for %d snapshots and %d lookups", listings.Load(), n, n)
}

// While creates of a creator run, a recent listing together with the rooms
// those creates made serves the next snapshot without a call; an unknown
// outcome, or an old listing, makes the next one list afresh.
func TestSnapshotsOfRunningCreatesReuseTheListing(t *testing.T) {
	sim, err := nimsim.New(nimsim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var listings atomic.Int32
	slowArrived := make(chan struct{})
	releaseSlow := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		switch {
		case strings.HasSuffix(r.URL.Path, "/chatroom/queryUserRoomIds.action"):
			listings.Add(1)
		case form.Get("name") == "slow":
			close(slowArrived)
			<-releaseSlow
		case form.Get("name") == "lost":
			sim.ServeHTTP(httptest.NewRecorder(), r)
			loseAnswer(t, w)
			return
		}
		sim.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := New(nimsim.DefaultAppKey, nimsim.DefaultAppSecret, WithEndpoint(srv.URL+basePath), WithRequestsPerSecond(0))
	if err != nil {
		t.Fatal(err)
	}
	// A clock that stands still unless the test moves it: the reuse
	// depends on the age of a listing, not on how busy the machine is.
	base := time.Now()
	var offset atomic.Int64
	c.now = func() time.Time { return base.Add(time.Duration(offset.Load())) }
	ctx := context.Background()
	create := func(name string) (*Chatroom, error) {
		return c.Chatrooms.Create(ctx, &CreateChatroomRequest{Creator: "host", Name: name})
	}
	older, err := create("older")
	if err != nil {
		t.Fatal(err)
	}
	slowDone := make(chan error, 1)
	go func() { _, err := create("slow"); slowDone <- err }()
	<-slowArrived // a create of "host" runs from now on

	first, err := c.Chatrooms.ListIDsByCreator(ctx, "host")
	if err != nil || !slices.Contains(first, older.ID) {
		t.Fatalf("first snapshot %v, %v; want it to hold %d", first, err, older.ID)
	}
	a, err := create("a")
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Chatrooms.ListIDsByCreator(ctx, "host")
	if err != nil || !slices.Contains(second, older.ID) || !slices.Contains(second, a.ID) {
		t.Fatalf("second snapshot %v, %v; want %d and the room created since, %d", second, err, older.ID, a.ID)
	}
	if n := listings.Load(); n != 1 {
		t.Errorf("%d listings for two snapshots while creates run, want 1", n)
	}

	// A create whose answer is lost: the room exists, its id is unknown.
	if _, err := create("lost"); !IsOutcomeUnknown(err) {
		t.Fatalf("err = %v, want an unknown outcome", err)
	}
	third, err := c.Chatrooms.ListIDsByCreator(ctx, "host")
	if err != nil {
		t.Fatal(err)
	}
	if n := listings.Load(); n != 2 {
		t.Errorf("%d listings after an unknown outcome, want a fresh one (2)", n)
	}
	if len(third) != len(second)+1 {
		t.Errorf("fresh listing %v does not hold the lost create's room (before: %v)", third, second)
	}

	// A listing older than SnapshotReuse is not reused.
	offset.Store(int64(SnapshotReuse + time.Second))
	if _, err := c.Chatrooms.ListIDsByCreator(ctx, "host"); err != nil {
		t.Fatal(err)
	}
	if n := listings.Load(); n != 3 {
		t.Errorf("%d listings after the reuse time, want 3", n)
	}
	close(releaseSlow)
	if err := <-slowDone; err != nil {
		t.Fatal(err)
	}
}

// loseAnswer closes the connection of a request without answering it, as a
// network failure after the server acted would.
func loseAnswer(t *testing.T, w http.ResponseWriter) {
	t.Helper()
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("the test server's ResponseWriter cannot be hijacked")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	_ = conn.Close() // the point is the lost answer; a failed close changes nothing
}

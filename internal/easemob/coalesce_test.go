package easemob

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// detailsServer answers GET /chatrooms/{ids} with every room asked for except
// those in gone; fail names a room whose batch answers 500.
type detailsServer struct {
	t       *testing.T
	gone    map[string]bool
	fail    string
	mu      sync.Mutex
	batches [][]string
	// notFoundBatch: a batch holding a gone room answers 404 as a whole.
	notFoundBatch bool
}

func (s *detailsServer) handle(w http.ResponseWriter, r *http.Request) {
	p := rel(r)
	if r.Method != http.MethodGet || !strings.HasPrefix(p, "/chatrooms/") {
		s.t.Errorf("unexpected %s %s", r.Method, p)
		return
	}
	ids := strings.Split(strings.TrimPrefix(p, "/chatrooms/"), "%2C")
	s.mu.Lock()
	s.batches = append(s.batches, ids)
	s.mu.Unlock()
	var rooms []map[string]any
	for _, id := range ids {
		if id == s.fail {
			writeJSON(w, 500, `{"error":"web_application","error_description":"boom"}`)
			return
		}
		if s.gone[id] {
			if s.notFoundBatch {
				replayStatus(s.t, w, 404, "error_room_not_found.json")
				return
			}
			continue
		}
		rooms = append(rooms, map[string]any{"id": id, "name": "room " + id, "description": "d", "owner": "o", "maxusers": 100, "created": 1542542951527, "mute": id == "r1"})
	}
	b, _ := json.Marshal(rooms)
	writeJSON(w, 200, `{"data":`+string(b)+`}`)
}

func TestBatchedGets(t *testing.T) {
	const n = 250
	s := &detailsServer{t: t, gone: map[string]bool{"r7": true}}
	f := newFake(t, s.handle, WithBatchReads(true), WithBatchWindow(300*time.Millisecond), WithMaxRetries(0))
	// As if Terraform ran n reads at once before: the rounds are sent when
	// full or when the window ends, not as soon as the first caller is alone.
	f.c.rooms.Parallelism = n
	var wg sync.WaitGroup
	errs := make([]error, n)
	rooms := make([]*Chatroom, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rooms[i], errs[i] = f.c.Chatrooms.Get(context.Background(), fmt.Sprintf("r%d", i))
		}()
	}
	wg.Wait()
	if got := len(s.batches); got != 3 {
		t.Fatalf("%d detail requests for %d concurrent reads, want ⌈%d/100⌉ = 3", got, n, n)
	}
	for _, b := range s.batches {
		if len(b) > MaxRoomsPerDetails {
			t.Fatalf("a batch of %d ids", len(b))
		}
	}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("r%d", i)
		switch {
		case id == "r7":
			if !IsNotFound(errs[i]) {
				t.Errorf("r7: err = %v, want not found", errs[i])
			}
		case errs[i] != nil:
			t.Errorf("%s: %v", id, errs[i])
		case rooms[i].ID != id || rooms[i].Name != "room "+id:
			t.Errorf("%s: got %+v", id, rooms[i])
		}
	}
	if rooms[1].MuteAll == nil || !*rooms[1].MuteAll || *rooms[2].MuteAll {
		t.Errorf("mute-all state not read from details")
	}
}

func TestBatchFailureFailsOnlyItsCallers(t *testing.T) {
	const n = 150
	s := &detailsServer{t: t, fail: "r3"}
	f := newFake(t, s.handle, WithBatchReads(true), WithBatchWindow(300*time.Millisecond), WithMaxRetries(0))
	f.c.rooms.Parallelism = n
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.c.Chatrooms.Get(context.Background(), fmt.Sprintf("r%d", i))
		}()
	}
	wg.Wait()
	failedBatch := map[string]bool{}
	for _, b := range s.batches {
		for _, id := range b {
			if id == "r3" {
				for _, id := range b {
					failedBatch[id] = true
				}
			}
		}
	}
	if len(s.batches) != 2 || len(failedBatch) == 0 || len(failedBatch) == n {
		t.Fatalf("batches %d, failed batch %d ids", len(s.batches), len(failedBatch))
	}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("r%d", i)
		if failedBatch[id] != (errs[i] != nil) {
			t.Errorf("%s: in failed batch %v, err %v", id, failedBatch[id], errs[i])
		}
	}
}

func TestGetWithoutBatching(t *testing.T) {
	s := &detailsServer{t: t, gone: map[string]bool{"gone": true}, notFoundBatch: true}
	f := newFake(t, s.handle)
	if _, err := f.c.Chatrooms.Get(context.Background(), "gone"); !IsNotFound(err) {
		t.Fatalf("err = %v, want 404", err)
	}
	r, err := f.c.Chatrooms.Get(context.Background(), "here")
	if err != nil || r.ID != "here" {
		t.Fatalf("got %v, %v", r, err)
	}
}

func TestGetManySplitsA404(t *testing.T) {
	s := &detailsServer{t: t, gone: map[string]bool{"r5": true}, notFoundBatch: true}
	f := newFake(t, s.handle)
	var ids []string
	for i := 0; i < 16; i++ {
		ids = append(ids, fmt.Sprintf("r%d", i))
	}
	got, err := f.c.Chatrooms.GetMany(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rooms) != 15 || got.Rooms["r5"] != nil || got.Rooms["r15"] == nil {
		t.Fatalf("got %d rooms", len(got.Rooms))
	}
	// 1 + 2 per level of a 16 -> 8 -> 4 -> 2 -> 1 split.
	if len(s.batches) > 9 {
		t.Fatalf("%d requests to find one missing room among 16", len(s.batches))
	}
}

func TestBatchedGetCallerLeaves(t *testing.T) {
	s := &detailsServer{t: t}
	f := newFake(t, s.handle, WithBatchReads(true), WithBatchWindow(time.Hour))
	f.c.rooms.Parallelism = 10
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := f.c.Chatrooms.Get(ctx, "r1"); err == nil {
		t.Fatal("want the context's error")
	}
	if len(s.batches) != 0 {
		t.Fatalf("a batch whose only caller left was sent")
	}
	// Nothing was kept: the next read is a new round (alone now, so sent).
	f.c.rooms.Parallelism = 0
	if _, err := f.c.Chatrooms.Get(context.Background(), "r1"); err != nil {
		t.Fatal(err)
	}
}

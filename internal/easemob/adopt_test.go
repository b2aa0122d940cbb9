package easemob

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// roomServer keeps rooms and answers the listing (with cursor paging) and
// creates; each create runs the next step of script.
type roomServer struct {
	t      *testing.T
	mu     sync.Mutex
	rooms  []RoomSummary
	next   int
	posts  int
	lists  int
	script []string // per create: "ok", "lost" (made, answer lost), "lost-unmade", "lost-two" (two rooms made)
}

func (s *roomServer) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && rel(r) == "/chatrooms":
		s.lists++
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		end := min(start+limit, len(s.rooms))
		data, _ := json.Marshal(roomsWire(s.rooms[start:end]))
		cursor := ""
		if end < len(s.rooms) {
			cursor = fmt.Sprintf(`,"cursor":"%d"`, end)
		}
		writeJSON(w, 200, fmt.Sprintf(`{"action":"get","data":%s%s}`, data, cursor))
	case r.Method == http.MethodPost && rel(r) == "/chatrooms":
		var req CreateRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		step := "ok"
		if s.posts < len(s.script) {
			step = s.script[s.posts]
		}
		s.posts++
		add := func() string {
			s.next++
			id := fmt.Sprintf("2162950742%05d", s.next)
			s.rooms = append(s.rooms, RoomSummary{ID: id, Name: req.Name, Owner: req.Owner})
			return id
		}
		switch step {
		case "ok":
			writeJSON(w, 200, fmt.Sprintf(`{"data":{"id":%q}}`, add()))
		case "lost":
			add()
			dropConnection(s.t, w)
		case "lost-two":
			add()
			add()
			dropConnection(s.t, w)
		case "lost-unmade":
			dropConnection(s.t, w)
		}
	default:
		s.t.Errorf("unexpected %s %s", r.Method, rel(r))
	}
}

func roomsWire(rooms []RoomSummary) []map[string]any {
	out := []map[string]any{}
	for _, r := range rooms {
		out = append(out, map[string]any{"id": r.ID, "name": r.Name, "owner": r.Owner, "affiliations_count": 1})
	}
	return out
}

func TestCreateLostAnswerIsOutcomeUnknown(t *testing.T) {
	s := &roomServer{t: t, script: []string{"lost"}}
	f := newFake(t, s.handle)
	_, err := f.c.Chatrooms.Create(context.Background(), &CreateRequest{Name: "lobby", Description: "d", Owner: "alice"})
	if !IsOutcomeUnknown(f.checkErr(err)) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if s.posts != 1 {
		t.Fatalf("%d creates sent, want 1 (never resent blindly)", s.posts)
	}
}

func TestCreateOrAdopt(t *testing.T) {
	preexisting := []RoomSummary{
		{ID: "100000000000001", Name: "lobby", Owner: "alice"}, // same name and owner: never adopted
		{ID: "100000000000002", Name: "lobby", Owner: "bob"},
		{ID: "100000000000003", Name: "other", Owner: "alice"},
	}
	cases := []struct {
		name      string
		script    []string
		wantID    string
		wantErr   string
		wantPosts int
		wantRooms int // lobby rooms of alice at the end
	}{
		{"answered", []string{"ok"}, "216295074200001", "", 1, 2},
		{"lost answer, room made: adopted", []string{"lost"}, "216295074200001", "", 1, 2},
		{"lost answer, nothing made: created again", []string{"lost-unmade", "ok"}, "216295074200001", "", 2, 2},
		{"lost every time", []string{"lost-unmade", "lost-unmade", "lost-unmade"}, "", "outcome unknown", 3, 1},
		{"two new rooms: none adopted", []string{"lost-two"}, "", "none was adopted", 1, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &roomServer{t: t, script: tc.script, rooms: append([]RoomSummary(nil), preexisting...)}
			f := newFake(t, s.handle)
			res, err := f.c.Chatrooms.CreateOrAdopt(context.Background(), &CreateRequest{Name: "lobby", Description: "d", Owner: "alice"})
			f.assertErrNoLeak(err)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !IsOutcomeUnknown(err) {
					t.Fatalf("err = %v, want %q and an unknown outcome", err, tc.wantErr)
				}
			} else if err != nil || res.ID != tc.wantID {
				t.Fatalf("got %v, %v; want room %s", res, err, tc.wantID)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.posts != tc.wantPosts {
				t.Fatalf("%d creates sent, want %d", s.posts, tc.wantPosts)
			}
			n := 0
			for _, r := range s.rooms {
				if r.Name == "lobby" && r.Owner == "alice" {
					n++
				}
			}
			if n != tc.wantRooms {
				t.Fatalf("%d lobby rooms of alice, want %d", n, tc.wantRooms)
			}
		})
	}
}

// Two creates of the same name and owner through one Client, both losing
// their answers, must not adopt the same room.
func TestCreateOrAdoptConcurrentSameName(t *testing.T) {
	s := &roomServer{t: t, script: []string{"lost", "lost"}}
	f := newFake(t, s.handle)
	var wg sync.WaitGroup
	ids := make([]string, 2)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := f.c.Chatrooms.CreateOrAdopt(context.Background(), &CreateRequest{Name: "twin", Description: "d", Owner: "alice"})
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = res.ID
		}()
	}
	wg.Wait()
	if ids[0] == "" || ids[0] == ids[1] {
		t.Fatalf("ids = %v, want two different rooms", ids)
	}
}

func TestListAllFollowsCursor(t *testing.T) {
	s := &roomServer{t: t}
	for i := 0; i < 250; i++ {
		s.rooms = append(s.rooms, RoomSummary{ID: strconv.Itoa(1000 + i), Name: "r", Owner: "o"})
	}
	f := newFake(t, s.handle)
	all, err := f.c.Chatrooms.ListAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Rooms) != 250 || all.Rooms[249].ID != "1249" || s.lists != 3 {
		t.Fatalf("%d rooms in %d requests, want 250 in 3", len(all.Rooms), s.lists)
	}
}

func TestListAllStopsOnRepeatedCursor(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"data":[{"id":"1","name":"a","owner":"o"}],"cursor":"same"}`)
	})
	if _, err := f.c.Chatrooms.ListAll(context.Background()); err == nil || !strings.Contains(err.Error(), "repeated cursor") {
		t.Fatalf("err = %v", err)
	}
	if n := f.apiRequests.Load(); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

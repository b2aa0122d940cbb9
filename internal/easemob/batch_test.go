package easemob

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestPerUserFailuresNameEachUser(t *testing.T) {
	// 002's batch block example: user3 is refused, user4 blocked.
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { replay(t, w, "blocks_add.json") })
	res, err := f.c.BlockList.AddMany(context.Background(), "66XXXX33", []string{"user3", "user4"})
	be, ok := AsBatchError(err)
	if !ok {
		t.Fatalf("err = %v, want a *BatchError", err)
	}
	if len(be.Failed) != 1 || be.Failed[0].User != "user3" || be.Failed[0].Reason != "user: user3 doesn't exist in chatroom: 66XXXX33" {
		t.Fatalf("failed = %+v", be.Failed)
	}
	if !strings.Contains(err.Error(), "user3 (user: user3 doesn't exist in chatroom: 66XXXX33)") || strings.Contains(err.Error(), "user4") {
		t.Fatalf("error text %q", err)
	}
	if res == nil || len(res.Results) != 2 || !res.Results[1].OK || res.Results[1].User != "user4" {
		t.Fatalf("result = %+v", res)
	}
	if be.Unwrap() != nil || IsOutcomeUnknown(err) {
		t.Fatalf("a per-user refusal is not a request error: %v", err)
	}
}

func TestRemoveMembersPerUserResults(t *testing.T) {
	// 002's example: user1 is not in the room, user2 is removed.
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if got := rel(r); got != "/chatrooms/66XXXX33/users/user1%2Cuser2" {
			t.Errorf("path %s", got)
		}
		replay(t, w, "members_remove.json")
	})
	res, err := f.c.Members.RemoveMany(context.Background(), "66XXXX33", []string{"user1", "user2"})
	be, ok := AsBatchError(err)
	if !ok || len(be.Failed) != 1 || be.Failed[0].User != "user1" || !strings.Contains(be.Failed[0].Reason, "doesn't exist in group") {
		t.Fatalf("err = %v", err)
	}
	if len(res.Failed()) != 1 || !res.Results[1].OK {
		t.Fatalf("result = %+v", res)
	}
}

func TestAddMembersNotListedAreFailures(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"data":{"newmembers":["User1"],"action":"add_member","id":"1"}}`)
	})
	res, err := f.c.Members.AddMany(context.Background(), "1", []string{"user1", "user2"})
	be, ok := AsBatchError(err)
	if !ok || len(be.Failed) != 1 || be.Failed[0].User != "user2" {
		t.Fatalf("err = %v", err)
	}
	if !res.Results[0].OK {
		t.Fatalf("user1 (listed as User1: ids are case-insensitive) should be OK: %+v", res)
	}
}

// batchServer answers batch adds with result true for every user and
// records the users of each request.
type batchServer struct {
	t        *testing.T
	mu       sync.Mutex
	requests [][]string
	answer   func(n int, w http.ResponseWriter) bool // optional: handle request n (from 1)
}

func (s *batchServer) handle(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Usernames []string `json:"usernames"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	s.mu.Lock()
	s.requests = append(s.requests, body.Usernames)
	n := len(s.requests)
	s.mu.Unlock()
	if s.answer != nil && s.answer(n, w) {
		return
	}
	var out []map[string]any
	for _, u := range body.Usernames {
		out = append(out, map[string]any{"result": true, "action": "add_user_whitelist", "user": u, "chatroomid": "1"})
	}
	b, _ := json.Marshal(out)
	writeJSON(w, 200, `{"data":`+string(b)+`}`)
}

func users(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("u%03d", i)
	}
	return out
}

func TestBatchesOfAtMost60(t *testing.T) {
	s := &batchServer{t: t}
	f := newFake(t, s.handle)
	in := append(users(130), "u000", "U001") // repeats are sent once
	res, err := f.c.AllowList.AddMany(context.Background(), "1", in)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.requests) != 3 || len(s.requests[0]) != 60 || len(s.requests[1]) != 60 || len(s.requests[2]) != 10 {
		t.Fatalf("request sizes %d", len(s.requests))
	}
	if len(res.Results) != 130 || res.Results[129].User != "u129" {
		t.Fatalf("%d results", len(res.Results))
	}
}

func TestBatchRequestFailureReportsEveryUser(t *testing.T) {
	cases := []struct {
		name        string
		answer      func(w http.ResponseWriter)
		wantUnknown int
		wantNotSent int
	}{
		{"second request's answer lost", func(w http.ResponseWriter) { writeJSON(w, 502, "") }, 60, 10},
		{"second request refused", func(w http.ResponseWriter) {
			writeJSON(w, 400, `{"error":"invalid_parameter","error_description":"usernames size is more than max limit : 60"}`)
		}, 0, 70},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &batchServer{t: t, answer: func(n int, w http.ResponseWriter) bool {
				if n == 2 {
					tc.answer(w)
					return true
				}
				return false
			}}
			f := newFake(t, s.handle)
			res, err := f.c.Mutes.Add(context.Background(), "1", users(130), MuteForever)
			be, ok := AsBatchError(err)
			if !ok {
				t.Fatalf("err = %v", err)
			}
			if len(be.Unknown) != tc.wantUnknown || len(be.NotSent) != tc.wantNotSent || len(res.Results) != 60 {
				t.Fatalf("unknown %d, not sent %d, results %d", len(be.Unknown), len(be.NotSent), len(res.Results))
			}
			if tc.wantUnknown > 0 && !IsOutcomeUnknown(err) {
				t.Fatalf("err = %v, want ErrOutcomeUnknown through the BatchError", err)
			}
			if tc.wantUnknown == 0 && (!IsBadRequest(err) || IsOutcomeUnknown(err)) {
				t.Fatalf("err = %v, want the 400", err)
			}
			if len(s.requests) != 2 {
				t.Fatalf("%d requests: a Write is not resent and nothing follows a failed request", len(s.requests))
			}
			if !strings.Contains(err.Error(), "u129") {
				t.Fatalf("error does not name the users left: %v", err)
			}
		})
	}
}

func TestSingleUserRefusalIsAnError(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"data":{"result":false,"reason":"user: u doesn't exist in chatroom: 1","user":"u"}}`)
	})
	res, err := f.c.BlockList.Add(context.Background(), "1", "u")
	if be, ok := AsBatchError(err); !ok || be.Failed[0].Reason != "user: u doesn't exist in chatroom: 1" || res.OK {
		t.Fatalf("got %+v, %v", res, err)
	}
}

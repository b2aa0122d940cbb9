package easemob

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestListAllMembersPages(t *testing.T) {
	total := 2500
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		num, _ := strconv.Atoi(r.URL.Query().Get("pagenum"))
		size, _ := strconv.Atoi(r.URL.Query().Get("pagesize"))
		var out []map[string]string
		for i := (num - 1) * size; i < min(num*size, total); i++ {
			if i == 0 {
				out = append(out, map[string]string{"owner": "boss"})
				continue
			}
			out = append(out, map[string]string{"member": fmt.Sprintf("m%d", i)})
		}
		b, _ := json.Marshal(out)
		writeJSON(w, 200, `{"data":`+string(b)+`}`)
	})
	page, err := f.c.Members.ListAll(context.Background(), "1")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Members) != total || !page.Members[0].Owner || page.Members[0].Username != "boss" || page.Members[1].Owner {
		t.Fatalf("%d members", len(page.Members))
	}
	if n := f.apiRequests.Load(); n != 3 {
		t.Fatalf("%d requests, want 3 pages of 1000", n)
	}
}

func TestListAllStopsWhenPagenumIsIgnored(t *testing.T) {
	// A server that always answers the first page must not loop the client.
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		var users []string
		for i := 0; i < DefaultSuperAdminPageSize; i++ {
			users = append(users, fmt.Sprintf("sa%d", i))
		}
		b, _ := json.Marshal(users)
		writeJSON(w, 200, `{"data":`+string(b)+`,"count":100}`)
	})
	list, err := f.c.SuperAdmins.ListAll(context.Background())
	if err != nil || len(list.Users) != DefaultSuperAdminPageSize {
		t.Fatalf("got %v, %v", list, err)
	}
	if n := f.apiRequests.Load(); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

func TestFlexibleDecoding(t *testing.T) {
	var i struct{ A, B, C, D flexInt }
	if err := json.Unmarshal([]byte(`{"A":12,"B":"34","C":"","D":1.5e3}`), &i); err != nil || i.A != 12 || i.B != 34 || i.C != 0 || i.D != 1500 {
		t.Fatalf("flexInt: %+v %v", i, err)
	}
	var b struct{ A, B, C, D, E flexBool }
	if err := json.Unmarshal([]byte(`{"A":true,"B":"success","C":"false","D":null,"E":1}`), &b); err != nil || !b.A || !b.B || b.C || b.D || !b.E {
		t.Fatalf("flexBool: %+v %v", b, err)
	}
	if err := json.Unmarshal([]byte(`{"A":"maybe"}`), &b); err == nil {
		t.Fatal("flexBool accepted maybe")
	}
	var s struct{ A, B flexString }
	if err := json.Unmarshal([]byte(`{"A":216295074234369,"B":"x"}`), &s); err != nil || s.A != "216295074234369" || s.B != "x" {
		t.Fatalf("flexString: %+v %v", s, err)
	}
	var m []Member
	if err := json.Unmarshal([]byte(`[{"owner":"a"},{"member":"b"},"c"]`), &m); err != nil || len(m) != 3 || !m[0].Owner || m[2].Username != "c" {
		t.Fatalf("members: %+v %v", m, err)
	}
}

func TestConnectionRefusedIsRetriedEvenForWrites(t *testing.T) {
	f := newFake(t, announcementHandler(t))
	if _, err := f.c.Chatrooms.GetAnnouncement(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	f.srv.Close() // nothing listens: the create cannot have been sent
	// A kept-alive connection the server closed could have taken the
	// request (an honest outcome-unknown case); this test is about dialling.
	f.c.httpClient.CloseIdleConnections()
	_, err := f.c.Chatrooms.Create(context.Background(), &CreateRequest{Name: "n", Description: "d", Owner: "u"})
	if err == nil || IsOutcomeUnknown(err) || !strings.Contains(err.Error(), "request not sent") || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Fatalf("err = %v, want a retried, certainly unsent request", err)
	}
}

func TestAttemptTimeoutOnWriteIsOutcomeUnknown(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			<-release
		}
		replay(t, w, "announcement_get.json")
	}, WithRequestTimeout(50*time.Millisecond))
	_, err := f.c.Chatrooms.Create(context.Background(), &CreateRequest{Name: "n", Description: "d", Owner: "u"})
	if !IsOutcomeUnknown(err) || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err = %v", err)
	}
	if n := f.apiRequests.Load(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

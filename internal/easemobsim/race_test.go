package easemobsim

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestConcurrentUse drives every kind of request, the controls and the
// time sweep from many goroutines at once, with faults and a state file;
// run with -race. Afterwards the stored objects must be consistent: no
// admin, allow-listed user or member that breaks the membership rules.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	sim, cl := newTestServer(t, Config{StateFile: t.TempDir() + "/s.json", MemberIdleLeave: 50 * time.Millisecond, Seed: 3})
	rooms := []string{cl.room("alice", "m0", "m1"), cl.room("bob", "m2")}
	sim.SetFailRate(0.1)
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				r := rooms[(g+i)%2]
				u := fmt.Sprintf("u%d", (g*7+i)%12)
				// Injected faults make failed answers and dropped
				// connections expected: this test checks the state and
				// the race detector, not the answers.
				switch i % 9 {
				case 0:
					_, _ = rawDo(t, hc, "POST", cl.base+"chatrooms/"+r+"/users/"+u, cl.token, nil)
				case 1:
					_, _ = rawDo(t, hc, "POST", cl.base+"chatrooms/"+r+"/admin", cl.token, obj{"newadmin": u})
				case 2:
					_, _ = rawDo(t, hc, "POST", cl.base+"chatrooms/"+r+"/white/users", cl.token, obj{"usernames": []string{u, "m0"}})
				case 3:
					_, _ = rawDo(t, hc, "POST", cl.base+"chatrooms/"+r+"/mute", cl.token, obj{"usernames": []string{u}, "mute_duration": 30})
				case 4:
					_, _ = rawDo(t, hc, "POST", cl.base+"chatrooms/"+r+"/blocks/users/"+u, cl.token, nil)
				case 5:
					_, _ = rawDo(t, hc, "DELETE", cl.base+"chatrooms/"+r+"/blocks/users/"+u, cl.token, nil)
				case 6:
					_, _ = rawDo(t, hc, "GET", cl.base+"chatrooms/"+rooms[0]+","+rooms[1], cl.token, nil)
				case 7:
					_, _ = rawDo(t, hc, "PUT", cl.base+"chatrooms/"+r, cl.token, obj{"name": u})
				case 8:
					sim.Advance(10 * time.Millisecond)
					sim.Stats()
					sim.Objects()
					sim.SetOnline(u, i%2 == 0)
				}
			}
		}(g)
	}
	wg.Wait()
	for _, r := range sim.Objects().Rooms {
		members := map[string]bool{r.Owner: true}
		for _, m := range r.Members {
			members[m.User] = true
		}
		for _, a := range r.Admins {
			must(t, members[a] && a != r.Owner, "room %s: admin %s is no member", r.ID, a)
		}
		for _, a := range r.Allow {
			must(t, members[a], "room %s: allow-listed %s is no member", r.ID, a)
		}
		for _, b := range r.Blocks {
			must(t, !members[b], "room %s: blocked %s is a member", r.ID, b)
		}
	}
	must(t, sim.Stats().Total > 100, "requests served: %d", sim.Stats().Total)
}

package nimsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// raceClient sends API requests over real HTTP from many goroutines,
// counting what it sends, and reports problems as errors (t.Fatal may not
// be called off the test goroutine).
type raceClient struct {
	cl    *tclient
	sent  atomic.Int64
	mu    sync.Mutex
	byEp  map[string]int64
	codes map[int]int64
}

func newRaceClient(cl *tclient) *raceClient {
	if tr, ok := cl.hc.Transport.(*http.Transport); ok {
		tr.MaxIdleConnsPerHost = 64 // keep connections: no connect churn
	}
	return &raceClient{cl: cl, byEp: map[string]int64{}, codes: map[int]int64{}}
}

func (rc *raceClient) reset() {
	rc.mu.Lock()
	rc.sent.Store(0)
	rc.byEp = map[string]int64{}
	rc.codes = map[int]int64{}
	rc.mu.Unlock()
}

// call posts kv and returns the answer; any code outside allowed is an error.
func (rc *raceClient) call(allowed []int, ep string, kv ...string) (answer, error) {
	rc.mu.Lock()
	rc.sent.Add(1)
	rc.byEp[ep]++
	rc.mu.Unlock()
	resp, b, err := rc.cl.raw(http.MethodPost, ep, form(kv...).Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", ep, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d: %s", ep, resp.StatusCode, b)
	}
	var a answer
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %q", ep, b)
	}
	rc.mu.Lock()
	rc.codes[a.code()]++
	rc.mu.Unlock()
	if !slices.Contains(allowed, a.code()) {
		return a, fmt.Errorf("%s %v: code %d: %s", ep, kv, a.code(), b)
	}
	return a, nil
}

func (rc *raceClient) ok(ep string, kv ...string) (answer, error) {
	return rc.call([]int{200}, ep, kv...)
}

// errSink collects errors from goroutines.
type errSink struct {
	mu   sync.Mutex
	errs []string
}

func (e *errSink) add(err error) {
	if err != nil {
		e.mu.Lock()
		if len(e.errs) < 20 {
			e.errs = append(e.errs, err.Error())
		}
		e.mu.Unlock()
	}
}

func (e *errSink) report(t *testing.T) {
	t.Helper()
	if len(e.errs) > 0 {
		t.Fatalf("%d+ errors:\n  %s", len(e.errs), strings.Join(e.errs, "\n  "))
	}
}

// adminLoop exercises the simulator's own methods and admin paths until
// stop is closed; with resets=true it also drops all state now and then.
func adminLoop(sim *Server, rc *raceClient, stop <-chan struct{}, resets bool, errs *errSink, rounds *atomic.Int64) {
	get := func(path string, v any) {
		resp, err := http.Get(rc.cl.base + path)
		if err != nil {
			errs.add(err)
			return
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil || resp.StatusCode != 200 {
			errs.add(fmt.Errorf("%s: HTTP %d %v", path, resp.StatusCode, err))
		}
	}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		o := sim.Objects()
		for _, e := range invariantErrors(o, sim.cfg.MaxRoles) {
			errs.add(fmt.Errorf("concurrent Objects: %s", e))
		}
		st := sim.Stats()
		var sum int64
		for _, n := range st.Requests {
			sum += n
		}
		if sum != st.Total {
			errs.add(fmt.Errorf("stats: total %d, endpoints add up to %d", st.Total, sum))
		}
		var ho Objects
		get("/_sim/objects", &ho)
		for _, e := range invariantErrors(ho, sim.cfg.MaxRoles) {
			errs.add(fmt.Errorf("GET /_sim/objects: %s", e))
		}
		var hs Stats
		get("/_sim/stats", &hs)
		sim.SetFailRate(0)
		if resets {
			switch i % 4 {
			case 0:
				sim.Reset()
			case 1:
				resp, err := http.Post(rc.cl.base+"/_sim/reset", "", nil)
				if err == nil {
					resp.Body.Close()
				}
				errs.add(err)
			case 2:
				if len(o.QChatChannels) > 0 {
					sim.Delete("qchat_channel", o.QChatChannels[0].ChannelID)
				}
				sim.ResetStats()
			}
		}
		rounds.Add(1)
		time.Sleep(2 * time.Millisecond)
	}
}

// TestRaceConcurrentClients drives the simulator through real HTTP from
// many goroutines with mixed reads, writes and paging over shared objects,
// while Objects, Stats, the admin paths and (in the first phase) Reset run
// in parallel. Meant for `go test -race`; the invariants are checked at the
// end of each phase:
//
//   - phase 1 (chaos): objects vanish under the workers' feet, so any
//     documented code is fine; the state keeps every invariant throughout.
//   - phase 2 (accounting, no reset): every create is accounted for, ids
//     are distinct, paging walks running during the writes never repeat an
//     item nor miss one that existed before the walk began, and the stats
//     total equals the number of requests sent.
func TestRaceConcurrentClients(t *testing.T) {
	sim, cl := newTestServer(t, Config{})
	rc := newRaceClient(cl)

	t.Run("chaos", func(t *testing.T) {
		errs := &errSink{}
		stop := make(chan struct{})
		var admin sync.WaitGroup
		var rounds atomic.Int64
		admin.Add(1)
		go func() { defer admin.Done(); adminLoop(sim, rc, stop, true, errs, &rounds) }()
		var shared struct {
			sync.Mutex
			room, server, channel, role int64
		}
		load := func() (int64, int64, int64, int64) {
			shared.Lock()
			defer shared.Unlock()
			return shared.room, shared.server, shared.channel, shared.role
		}
		store := func(f func()) { shared.Lock(); f(); shared.Unlock() }
		anyCode := []int{200, 403, 404, 417, 419}
		var wg sync.WaitGroup
		for g := 0; g < 6; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(g), 1))
				// At least 40 operations, and more until the admin loop has
				// reset and read the state several times meanwhile.
				for i := 0; i < 40 || (rounds.Load() < 8 && i < 1000); i++ {
					room, srv, ch, role := load()
					u := fmt.Sprintf("u%d_%d", g, i)
					var a answer
					var err error
					switch op := rng.IntN(10); {
					case op == 0 || room == 0:
						a, err = rc.ok("chatroom/create", "creator", "o", "name", "r")
						if err == nil {
							store(func() { shared.room = a.num("chatroom.roomid") })
						}
					case op == 1 || srv == 0:
						a, err = rc.ok("qchat/createServer", "accid", "o")
						if err == nil {
							store(func() { shared.server = a.num("serverInfo.serverId") })
						}
					case op == 2 || ch == 0:
						a, err = rc.call(anyCode, "qchat/createChannel", "accid", "o", "serverId", id(srv), "type", "0")
						if err == nil && a.code() == 200 {
							store(func() { shared.channel = a.num("channelInfo.channelId") })
						}
					case op == 3 || role == 0:
						a, err = rc.call(anyCode, "qchat/createServerIdentify", "accid", "o", "serverId", id(srv), "name", u)
						if err == nil && a.code() == 200 {
							store(func() { shared.role = a.num("identify.roleId") })
						}
					case op == 4:
						_, err = rc.call(anyCode, "qchat/applyServer", "accid", u, "serverId", id(srv))
						if err == nil {
							_, err = rc.call(anyCode, "qchat/createServerIdentifyMember", "accid", "o", "serverId", id(srv),
								"roleId", id(role), "faccids", jsonList(u))
						}
					case op == 5:
						_, err = rc.call(anyCode, "qchat/updateChannel", "accid", "o", "channelId", id(ch), "name", u)
					case op == 6:
						_, err = rc.call(anyCode, "qchat/removeChannel", "accid", "o", "channelId", id(ch))
					case op == 7:
						_, err = rc.call(anyCode, "chatroom/setMemberRole", "roomid", id(room), "operator", "o",
							"target", u, "opt", "2", "optvalue", "true")
						if err == nil {
							_, err = rc.call(anyCode, "chatroom/getBatch", "roomids", jsonList(room, 1))
						}
					case op == 8:
						var anchor int64
						for page := 0; page < 5 && err == nil; page++ {
							a, err = rc.call(anyCode, "qchat/getChannelListPage", "serverId", id(srv), "limit", "3",
								"timetag", id(anchor))
							if err != nil || a.code() != 200 || a.get("pageInfo.hasMore") != true {
								break
							}
							anchor = a.num("pageInfo.nextTimetag")
						}
					default:
						_, err = rc.call(anyCode, "qchat/getServerMemberListPage", "serverId", id(srv), "limit", "5")
						if err == nil {
							_, err = rc.call(anyCode, "chatroom/membersByPage", "roomid", id(room), "type", "0", "limit", "5")
						}
					}
					if err != nil {
						errs.add(fmt.Errorf("worker %d: %v", g, err))
						return
					}
				}
			}(g)
		}
		wg.Wait()
		close(stop)
		admin.Wait()
		errs.report(t)
		checkInvariants(t, sim)
		// The phase must have overlapped: resets while workers ran, and
		// both successes and the 404s of objects reset away.
		rc.mu.Lock()
		codes := maps.Clone(rc.codes)
		rc.mu.Unlock()
		t.Logf("%d admin rounds; answer codes %v", rounds.Load(), codes)
		if rounds.Load() < 8 || codes[200] == 0 || codes[404] == 0 {
			t.Errorf("phase did not overlap resets with work: %d admin rounds, codes %v", rounds.Load(), codes)
		}
	})

	t.Run("accounting", func(t *testing.T) {
		sim.Reset()
		rc.reset()
		errs := &errSink{}
		a, err := rc.ok("qchat/createServer", "accid", "o")
		errs.add(err)
		srv := id(a.num("serverInfo.serverId"))
		a, err = rc.ok("chatroom/create", "creator", "o", "name", "shared")
		errs.add(err)
		room := a.num("chatroom.roomid")
		errs.report(t)

		const workers, iters = 8, 30
		type result struct {
			rooms, channels, removed []int64
			members                  []string
		}
		results := make([]result, workers)
		stop := make(chan struct{})
		var admin sync.WaitGroup
		var rounds atomic.Int64
		admin.Add(1)
		go func() { defer admin.Done(); adminLoop(sim, rc, stop, false, errs, &rounds) }()
		var wg sync.WaitGroup
		for g := 0; g < workers; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				res := &results[g]
				fail := func(err error) bool {
					if err != nil {
						errs.add(fmt.Errorf("worker %d: %v", g, err))
					}
					return err != nil
				}
				alive := func() []int64 {
					return slices.DeleteFunc(slices.Clone(res.channels), func(c int64) bool { return slices.Contains(res.removed, c) })
				}
				// walk pages a list to its end; every id must be new to the
				// walk, and want (present before the walk began, removed by
				// nobody meanwhile) must all be seen.
				walk := func(ep, list, key string, limit int, want []string) {
					seen := map[string]bool{}
					var anchor int64
					for {
						a, err := rc.ok(ep, "serverId", srv, "limit", id(int64(limit)), "timetag", id(anchor))
						if fail(err) {
							return
						}
						for _, e := range a.list(list) {
							k := fmt.Sprint(asAnswer(e)[key])
							if seen[k] {
								fail(fmt.Errorf("%s: %s %s twice in one walk", ep, key, k))
								return
							}
							seen[k] = true
						}
						if a.get("pageInfo.hasMore") != true {
							break
						}
						anchor = a.num("pageInfo.nextTimetag")
					}
					for _, w := range want {
						if !seen[w] {
							fail(fmt.Errorf("%s: %s %s missing from a walk", ep, key, w))
							return
						}
					}
				}
				for i := 0; i < iters; i++ {
					a, err := rc.ok("chatroom/create", "creator", fmt.Sprintf("c%d", g), "name", fmt.Sprintf("r%d_%d", g, i))
					if fail(err) {
						return
					}
					res.rooms = append(res.rooms, a.num("chatroom.roomid"))
					a, err = rc.ok("qchat/createChannel", "accid", "o", "serverId", srv, "type", "0", "name", fmt.Sprintf("c%d_%d", g, i))
					if fail(err) {
						return
					}
					res.channels = append(res.channels, a.num("channelInfo.channelId"))
					u := fmt.Sprintf("u%d_%d", g, i)
					if _, err := rc.ok("qchat/applyServer", "accid", u, "serverId", srv); fail(err) {
						return
					}
					res.members = append(res.members, u)
					if _, err := rc.ok("chatroom/setMemberRole", "roomid", id(room), "operator", "o",
						"target", fmt.Sprintf("m%d_%d", g, i), "opt", "2", "optvalue", "true"); fail(err) {
						return
					}
					own := alive()
					switch i % 5 {
					case 0:
						_, err = rc.ok("qchat/updateChannel", "accid", "o", "channelId", id(own[len(own)-1]), "topic", u)
					case 1:
						_, err = rc.ok("qchat/removeChannel", "accid", "o", "channelId", id(own[0]))
						if err == nil {
							res.removed = append(res.removed, own[0])
						}
					case 2:
						var want []string
						for _, c := range alive() {
							want = append(want, id(c))
						}
						walk("qchat/getChannelListPage", "channelInfos", "channelId", 25, want)
					case 3:
						walk("qchat/getServerMemberListPage", "serverMembers", "accid", 60, res.members)
					case 4:
						var a answer
						a, err = rc.ok("chatroom/getBatch", "roomids", jsonList(anySlice(res.rooms[max(0, len(res.rooms)-20):])...))
						if err == nil && len(a.list("noExistRooms")) != 0 {
							err = fmt.Errorf("getBatch: own rooms missing: %v", a["noExistRooms"])
						}
					}
					if fail(err) {
						return
					}
				}
			}(g)
		}
		wg.Wait()
		close(stop)
		admin.Wait()
		errs.report(t)

		o := checkInvariants(t, sim)
		st := sim.Stats()
		rc.mu.Lock()
		sent, byEp := rc.sent.Load(), rc.byEp
		rc.mu.Unlock()
		if st.Total != sent {
			t.Errorf("stats total %d, requests sent %d", st.Total, sent)
		}
		for ep, n := range byEp {
			if st.Requests[ep] != n {
				t.Errorf("stats for %s: %d, sent %d", ep, st.Requests[ep], n)
			}
		}
		if len(st.Requests) != len(byEp) {
			t.Errorf("stats endpoints %v, sent to %v", st.Requests, byEp)
		}

		wantRooms := []int64{room}
		var wantChannels []int64
		wantMembers := []string{"o"}
		removed := 0
		for _, r := range results {
			wantRooms = append(wantRooms, r.rooms...)
			for _, c := range r.channels {
				if !slices.Contains(r.removed, c) {
					wantChannels = append(wantChannels, c)
				}
			}
			removed += len(r.removed)
			wantMembers = append(wantMembers, r.members...)
		}
		if len(wantRooms) != 1+workers*iters || len(wantChannels)+removed != workers*iters {
			t.Fatalf("workers recorded %d rooms, %d+%d channels", len(wantRooms), len(wantChannels), removed)
		}
		var gotRooms, gotChannels []int64
		for _, r := range o.Chatrooms {
			gotRooms = append(gotRooms, r.RoomID)
		}
		for _, c := range o.QChatChannels {
			gotChannels = append(gotChannels, c.ChannelID)
		}
		var gotMembers []string
		for _, m := range o.QChatServerMembers {
			gotMembers = append(gotMembers, m.Accid)
		}
		for name, pair := range map[string][2][]string{
			"rooms":    {strs(wantRooms), strs(gotRooms)},
			"channels": {strs(wantChannels), strs(gotChannels)},
			"members":  {wantMembers, gotMembers},
		} {
			want, got := pair[0], pair[1]
			slices.Sort(want)
			slices.Sort(got)
			if len(slices.Compact(slices.Clone(want))) != len(want) {
				t.Errorf("%s: the API handed out an id twice", name)
			}
			if !slices.Equal(want, got) {
				t.Errorf("%s: %d stored, %d expected", name, len(got), len(want))
			}
		}
		for _, r := range o.Chatrooms {
			if r.RoomID == room && len(r.Members) != workers*iters {
				t.Errorf("shared room has %d members, want %d", len(r.Members), workers*iters)
			}
		}
	})
}

func anySlice(xs []int64) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func strs(xs []int64) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

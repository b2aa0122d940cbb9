package easemobsim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStateFileRoundTrip(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/easemob.json"
	clock := newFakeClock()
	sim, cl := newTestServer(t, Config{StateFile: path, Now: clock.Now})
	id := cl.room("alice", "bob", "carol")
	cl.ok("POST", "chatrooms/"+id+"/users/dave", nil)
	cl.ok("POST", "chatrooms/"+id+"/admin", obj{"newadmin": "bob"})
	cl.ok("POST", "chatrooms/"+id+"/white/users/carol", nil)
	cl.ok("POST", "chatrooms/"+id+"/blocks/users/dave", nil)
	cl.ok("POST", "chatrooms/"+id+"/mute", obj{"usernames": []string{"carol"}, "mute_duration": 60000})
	cl.ok("POST", "chatrooms/"+id+"/announcement", obj{"announcement": "a"})
	cl.ok("POST", "chatrooms/"+id+"/ban", nil)
	cl.ok("POST", "chatrooms/super_admin", obj{"superadmin": "zoe"})
	want := sim.Objects()

	b := readFile(t, path)
	must(t, !strings.Contains(b, cl.token) && !strings.Contains(b, "YWMt") && !strings.Contains(b, DefaultClientSecret),
		"the state file holds a secret")

	sim2, err := New(Config{StateFile: path, Now: clock.Now})
	must(t, err == nil, "reload: %v", err)
	must(t, reflect.DeepEqual(sim2.Objects(), want), "reloaded objects differ:\n%+v\n%+v", sim2.Objects(), want)
	ts := httptest.NewServer(sim2)
	defer ts.Close()
	old := &tclient{t: t, base: ts.URL + "/" + DefaultOrg + "/" + DefaultApp + "/", hc: ts.Client(), token: cl.token}
	d := old.fails(401, "auth_bad_access_token", "GET", "chatrooms", nil)
	must(t, d == "Unable to authenticate", "old token after restart: %q", d)
	old.token = ""
	old.token = old.ok("POST", "token", tokenBody(nil)).str("access_token")
	id2 := old.room("alice")
	must(t, id2 > id, "ids continue after a restart: %s after %s", id2, id)

	if err := os.WriteFile(path, []byte(`{"version":2}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = New(Config{StateFile: path})
	must(t, err != nil && strings.Contains(err.Error(), "unsupported version"), "bad version: %v", err)
}

// rawClient sends one request without failing the test on transport
// errors, which dropped connections produce.
func rawDo(t *testing.T, hc *http.Client, method, url, token string, body any) (int, error) {
	t.Helper()
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			t.Errorf("encoding the body: %v", err) // Errorf: callers run in goroutines
			return 0, err
		}
	}
	req, _ := http.NewRequest(method, url, &buf)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func TestFaultInjection(t *testing.T) {
	t.Parallel()
	sim, cl := newTestServer(t, Config{Seed: 7})
	sim.SetFailRate(1)
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	statuses := map[int]int{}
	drops := 0
	const n = 80
	for i := 0; i < n; i++ {
		st, err := rawDo(t, hc, "POST", cl.base+"chatrooms", cl.token, obj{"name": "n", "description": "d", "owner": "alice"})
		if err != nil {
			drops++
			continue
		}
		statuses[st]++
	}
	f := sim.Stats().Faults
	must(t, f["500"] > 0 && f["429"] > 0 && f["drop_before"] > 0 && f["drop_after"] > 0, "every fault kind: %v", f)
	must(t, int64(statuses[500]) == f["500"] && int64(statuses[429]) == f["429"] && int64(drops) == f["drop_before"]+f["drop_after"],
		"answers %v drops %d vs faults %v", statuses, drops, f)
	// drop_after applied the create: exactly that many rooms exist.
	sim.SetFailRate(0)
	must(t, int64(len(sim.Objects().Rooms)) == f["drop_after"], "rooms %d, drop_after %d", len(sim.Objects().Rooms), f["drop_after"])

	// The same seed gives the same sequence.
	again, cl2 := newTestServer(t, Config{Seed: 7})
	again.SetFailRate(1)
	for i := 0; i < n; i++ {
		// Only the fault sequence is compared; the answers are the faults.
		_, _ = rawDo(t, hc, "POST", cl2.base+"chatrooms", cl2.token, obj{"name": "n", "description": "d", "owner": "alice"})
	}
	must(t, reflect.DeepEqual(again.Stats().Faults, f), "seeded faults differ: %v vs %v", again.Stats().Faults, f)
}

func TestRateLimitClasses(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	sim, cl := newTestServer(t, Config{RateLimit: 4, Now: clock.Now}) // others 4/s, create/list 2/s, token 12/s
	cl.room("alice")
	cl.room("alice")
	d := cl.fails(429, "reach_limit", "POST", "chatrooms", obj{"name": "n", "description": "d", "owner": "alice"})
	must(t, d == "This request has reached api limit", "429 text %q", d)
	cl.fails(429, "reach_limit", "GET", "chatrooms", nil) // same class
	for i := 0; i < 4; i++ {
		cl.ok("GET", "chatrooms/super_admin", nil) // another class, its own bucket
	}
	cl.fails(429, "reach_limit", "GET", "chatrooms/super_admin", nil)
	clock.Add(time.Second)
	cl.ok("GET", "chatrooms", nil)
	must(t, sim.Stats().RateLimited == 3, "rate limited %d", sim.Stats().RateLimited)
}

func TestTokenRateLimit(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	sim, cl := newTestServer(t, Config{TokenRateLimit: 1, Now: clock.Now}) // the first token used the burst
	cl.fails(429, "reach_limit", "POST", "token", tokenBody(nil))
	for i := 0; i < 20; i++ {
		cl.ok("GET", "chatrooms", nil) // other classes are unlimited
	}
	clock.Add(time.Second)
	cl.ok("POST", "token", tokenBody(nil))
	must(t, sim.Stats().Requests["POST token"] == 3 && sim.Stats().RateLimited == 1, "stats %+v", sim.Stats())
}

func TestLatency(t *testing.T) {
	t.Parallel()
	_, cl := newTestServer(t, Config{Latency: 60 * time.Millisecond})
	start := time.Now()
	cl.ok("GET", "chatrooms", nil)
	must(t, time.Since(start) >= 60*time.Millisecond, "latency not applied: %v", time.Since(start))
}

func TestAdminControls(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	sim, cl := newTestServer(t, Config{Now: clock.Now})
	base := strings.TrimSuffix(cl.base, DefaultOrg+"/"+DefaultApp+"/") + "_sim/easemob/"
	admin := func(method, path string) answer {
		t.Helper()
		resp, b := cl.raw(method, base+path, nil, nil)
		must(t, resp.StatusCode == 200, "%s %s: %d %s", method, path, resp.StatusCode, b)
		return decode(t, b)
	}
	id := cl.room("alice")
	s := admin("GET", "stats")
	must(t, s.num("requests.POST chatrooms") == 1 && s.num("requests.POST token") == 1 && s.num("total") == 2 && s.num("statuses.200") == 2,
		"stats %v", s)
	before := admin("GET", "clock").num("now")
	after := admin("POST", "clock?advance=90s").num("now")
	must(t, after-before == 90000, "clock advanced %d ms", after-before)
	must(t, admin("GET", "objects").str("rooms.0.id") == id, "objects")
	admin("POST", "fail-rate?p=0.5")
	rate := sim.faults.Rate()
	must(t, rate == 0.5, "fail rate %v", rate)
	admin("POST", "fail-rate?p=0")
	must(t, admin("POST", "tokens/expire").num("expired") == 1, "expire tokens")
	cl.fails(401, "unauthorized", "GET", "chatrooms", nil)
	admin("POST", "online?user=bob&online=true")
	sim.mu.Lock()
	online := sim.online["bob"]
	sim.mu.Unlock()
	must(t, online, "online mark")
	admin("DELETE", "room?id="+id)
	admin("POST", "reset")
	sim.mu.Lock()
	tokens := len(sim.tokens)
	sim.mu.Unlock()
	must(t, len(sim.Objects().Rooms) == 0 && sim.Stats().Total == 0 && tokens == 0, "reset")
	resp, _ := cl.raw("GET", base+"nope", nil, nil)
	must(t, resp.StatusCode == 404, "unknown admin path %d", resp.StatusCode)
	resp, _ = cl.raw("POST", base+"clock?advance=-1s", nil, nil)
	must(t, resp.StatusCode == 400, "negative advance %d", resp.StatusCode)
}

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{
		{FailRate: 1.5}, {RateLimit: -1}, {TokenTTL: time.Millisecond}, {MemberIdleLeave: -time.Second},
		{Org: "a/b"}, {Users: []string{"bad user"}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}

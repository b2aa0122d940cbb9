package nimsim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// The CheckSum below was computed outside Go, once, with
//
//	printf '%s' 'nimsim-app-secret''4tgggergigwow323t23t''1443592222' | sha1sum
const externalChecksum = "3074c02a48a0fbac1375284d40ecfb243db82507"

func TestChecksumMatchesSha1sum(t *testing.T) {
	if got := Checksum(DefaultAppSecret, "4tgggergigwow323t23t", "1443592222"); got != externalChecksum {
		t.Fatalf("Checksum = %s, sha1sum says %s", got, externalChecksum)
	}
	// A request carrying exactly those headers is accepted at that time.
	clk := &fakeClock{t: time.Unix(1443592222+10, 0)}
	_, cl := newTestServer(t, Config{Now: clk.Now})
	_, b, err := cl.raw(http.MethodPost, "chatroom/create", "creator=a&name=b", func(h http.Header) {
		h.Set("Nonce", "4tgggergigwow323t23t")
		h.Set("CurTime", "1443592222")
		h.Set("CheckSum", externalChecksum)
	})
	if err != nil || decode(t, b).code() != 200 {
		t.Fatalf("externally signed request rejected: %v %s", err, b)
	}
}

func TestSignature(t *testing.T) {
	clk := newFakeClock()
	_, cl := newTestServer(t, Config{Now: clk.Now})
	now := clk.Now().Unix()
	resign := func(nonce string, cur int64) func(http.Header) {
		return func(h http.Header) {
			c := id(cur)
			h.Set("Nonce", nonce)
			h.Set("CurTime", c)
			h.Set("CheckSum", Checksum(DefaultAppSecret, nonce, c))
		}
	}
	cases := []struct {
		name string
		edit func(http.Header)
		code int
		desc string
	}{
		{"valid", nil, 200, ""},
		{"missing appkey", func(h http.Header) { h.Del("AppKey") }, 414, "appkey"},
		{"unknown appkey", func(h http.Header) { h.Set("AppKey", "other") }, 414, "appkey"},
		{"wrong checksum", func(h http.Header) { h.Set("CheckSum", strings.Repeat("0", 40)) }, 414, "checksum"},
		{"upper-case checksum", func(h http.Header) { h.Set("CheckSum", strings.ToUpper(h.Get("CheckSum"))) }, 414, "checksum"},
		{"checksum with other secret", func(h http.Header) {
			h.Set("CheckSum", Checksum("wrong", h.Get("Nonce"), h.Get("CurTime")))
		}, 414, "checksum"},
		{"missing checksum", func(h http.Header) { h.Del("CheckSum") }, 414, "checksum"},
		{"missing nonce", func(h http.Header) { h.Del("Nonce") }, 414, "nonce"},
		{"nonce 129", resign(strings.Repeat("n", 129), now), 414, "nonce"},
		{"nonce 128", resign(strings.Repeat("n", 128), now), 200, ""},
		{"missing curtime", func(h http.Header) { h.Del("CurTime") }, 414, "curtime"},
		{"curtime not a number", resign("n", 0), 200, ""}, // placeholder replaced below
		{"expired curtime", resign("n", now-301), 414, "CurTime is expired"},
		{"curtime 299s old", resign("n", now-299), 200, ""},
		{"curtime 30s ahead", resign("n", now+30), 200, ""},
		{"curtime 120s ahead", resign("n", now+120), 414, "CurTime is invalid"},
	}
	cases[11].edit = func(h http.Header) {
		h.Set("CurTime", "soon")
		h.Set("CheckSum", Checksum(DefaultAppSecret, h.Get("Nonce"), "soon"))
	}
	cases[11].code, cases[11].desc = 414, "curtime"
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, b, err := cl.raw(http.MethodPost, "chatroom/create", "creator=a&name=b", tc.edit)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("%v %v", err, resp)
			}
			a := decode(t, b)
			if a.code() != tc.code || (tc.desc != "" && a["desc"] != tc.desc) {
				t.Fatalf("want %d %q, got %s", tc.code, tc.desc, b)
			}
			if strings.Contains(string(b), DefaultAppSecret) {
				t.Fatal("answer contains the secret")
			}
		})
	}
}

// Header names are case-insensitive on the wire: a map key written verbatim
// by the Go client reaches the server in that spelling.
func TestSignatureHeaderNamesCaseInsensitive(t *testing.T) {
	_, cl := newTestServer(t, Config{})
	for _, names := range [][4]string{
		{"appkey", "nonce", "curtime", "checksum"},
		{"APPKEY", "NONCE", "CURTIME", "CHECKSUM"},
		{"AppKey", "Nonce", "CurTime", "CheckSum"},
	} {
		_, b, err := cl.raw(http.MethodPost, "chatroom/create", "creator=a&name=b", func(h http.Header) {
			vals := [4]string{h.Get("AppKey"), h.Get("Nonce"), h.Get("CurTime"), h.Get("CheckSum")}
			for _, k := range []string{"AppKey", "Nonce", "CurTime", "CheckSum"} {
				h.Del(k)
			}
			for i, n := range names {
				h[n] = []string{vals[i]}
			}
		})
		if err != nil || decode(t, b).code() != 200 {
			t.Fatalf("%v: %v %s", names, err, b)
		}
	}
}

func TestRoutingAndBody(t *testing.T) {
	sim, cl := newTestServer(t, Config{})
	resp, b, _ := cl.raw(http.MethodPost, "chatroom/nope", "", nil)
	if resp.StatusCode != 404 || decode(t, b).code() != 404 || decode(t, b)["desc"] != "unknown endpoint" {
		t.Fatalf("unknown endpoint: %d %s", resp.StatusCode, b)
	}
	resp, b, _ = cl.raw(http.MethodGet, "chatroom/create", "", nil)
	if resp.StatusCode != 405 || decode(t, b).code() != 405 {
		t.Fatalf("GET: %d %s", resp.StatusCode, b)
	}
	_, b, _ = cl.raw(http.MethodPost, "chatroom/create", `{"creator":"a"}`, func(h http.Header) { h.Set("Content-Type", "application/json") })
	if a := decode(t, b); a.code() != 414 || !strings.Contains(a.str("desc"), "content-type") {
		t.Fatalf("json body: %s", b)
	}
	_, b, _ = cl.raw(http.MethodPost, "chatroom/create", "creator=a&name="+strings.Repeat("x", 2<<20), nil)
	if a := decode(t, b); a.code() != 414 || a["desc"] != "body too large" {
		t.Fatalf("big body: %s", b)
	}
	_, b, _ = cl.raw(http.MethodPost, "chatroom/create", "creator=%zz&name=b", nil)
	if a := decode(t, b); a.code() != 414 {
		t.Fatalf("bad encoding: %s", b)
	}
	// Query-string parameters are not parameters.
	_, b, _ = cl.raw(http.MethodPost, "chatroom/create?creator=a&name=b", "", nil)
	if a := decode(t, b); a.code() != 414 || a["desc"] != "missing creator" {
		t.Fatalf("query params: %s", b)
	}
	st := sim.Stats()
	if st.Total != 6 || st.Requests["unknown"] != 1 || st.Requests["chatroom/create"] != 5 {
		t.Fatalf("stats: %+v", st)
	}
	// Admin paths: unsigned, not counted.
	for _, p := range []string{"/_sim/stats", "/_sim/objects"} {
		r, err := http.Get(cl.base + p)
		if err != nil || r.StatusCode != 200 {
			t.Fatalf("%s: %v %v", p, err, r)
		}
		r.Body.Close()
	}
	if sim.Stats().Total != st.Total {
		t.Fatal("admin requests were counted")
	}
}

// Every endpoint gets hostile parameter values; none may panic (a recovered
// panic answers 500) and every answer must be a JSON object with a code.
func TestNoPanicOnHostileInput(t *testing.T) {
	sim, cl := newTestServer(t, Config{})
	cl.ok("chatroom/create", "creator", "a", "name", "r")
	srv := cl.ok("qchat/createServer", "accid", "a").num("serverInfo.serverId")
	names := []string{"roomid", "roomids", "creator", "name", "operator", "target", "opt", "optvalue", "valid",
		"mute", "type", "endtime", "limit", "accids", "accid", "serverId", "serverIds", "channelId", "channelIds",
		"roleId", "roleid", "roleids", "serverRoleId", "faccid", "faccids", "auths", "timetag", "priority",
		"invitedAccids", "kickedAccids", "toAccids", "opeType", "serverIdAccids", "viewMode", "muteDuration",
		"delayClosePolicy", "delaySeconds", "bid", "close", "msgType", "msgId", "fromAccid", "inviteAccid", "applyAccid", "otherAccid"}
	values := []string{"", "x", "-1", "0", "1", "9223372036854775807", "99999999999999999999", "[]", "{}", "null",
		`["1"]`, `[{"a":1}]`, `{"1":"x"}`, `{"99":1}`, "true", id(srv), "\xff\xfe", strings.Repeat("é", 5000)}
	for ep := range routes {
		for _, v := range values {
			f := map[string][]string{}
			for _, n := range names {
				f[n] = []string{v}
			}
			resp, b, err := cl.raw(http.MethodPost, ep, encode(f), nil)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("%s=%q: %v %v", ep, v, err, resp)
			}
			if a := decode(t, b); a.code() == 500 || a.code() == -1<<62 {
				t.Fatalf("%s with %q: %s", ep, v, b)
			}
		}
	}
	_ = sim
}

func encode(f map[string][]string) string {
	var sb strings.Builder
	for k, vs := range f {
		for _, v := range vs {
			if sb.Len() > 0 {
				sb.WriteByte('&')
			}
			sb.WriteString(k + "=" + strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B", "=", "%3D").Replace(v))
		}
	}
	return sb.String()
}

func TestLatency(t *testing.T) {
	_, cl := newTestServer(t, Config{Latency: 40 * time.Millisecond, Jitter: 10 * time.Millisecond})
	start := time.Now()
	cl.ok("chatroom/create", "creator", "a", "name", "b")
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Fatalf("answered in %v, want ≥ 40ms", d)
	}
}

// faultRun sends n create requests to a server that faults every request
// and returns the outcome of each: "ok", or the code, or "dropped".
func faultRun(t *testing.T, seed int64, n int) (*Server, []string) {
	sim, cl := newTestServer(t, Config{FailRate: 1, Seed: seed})
	var out []string
	for i := 0; i < n; i++ {
		resp, b, err := cl.raw(http.MethodPost, "chatroom/create", "creator=a&name=r"+id(int64(i)), nil)
		switch {
		case err != nil:
			out = append(out, "dropped")
		case resp.StatusCode != 200:
			t.Fatalf("HTTP %d", resp.StatusCode)
		default:
			out = append(out, id(int64(decode(t, b).code())))
		}
	}
	return sim, out
}

func TestFaultInjection(t *testing.T) {
	const n = 200
	sim, outcomes := faultRun(t, 7, n)
	st := sim.Stats()
	if st.Total != n {
		t.Fatalf("server saw %d requests, sent %d (a client retry?)", st.Total, n)
	}
	var sum int64
	for _, k := range faultKinds {
		if st.Faults[k] < n/10 {
			t.Fatalf("fault %q injected %d times out of %d: %v", k, st.Faults[k], n, st.Faults)
		}
		sum += st.Faults[k]
	}
	if sum != n {
		t.Fatalf("faults %v do not add up to %d", st.Faults, n)
	}
	count := map[string]int64{}
	for _, o := range outcomes {
		count[o]++
	}
	if count["500"] != st.Faults["500"] || count["416"] != st.Faults["416"] ||
		count["dropped"] != st.Faults["drop_before"]+st.Faults["drop_after"] {
		t.Fatalf("client saw %v, server injected %v", count, st.Faults)
	}
	// drop_after applied its request, nothing else did.
	if got := int64(len(sim.Objects().Chatrooms)); got != st.Faults["drop_after"] {
		t.Fatalf("%d rooms exist, want one per drop_after (%d)", got, st.Faults["drop_after"])
	}
	// Same seed, same sequence.
	_, again := faultRun(t, 7, n)
	if !reflect.DeepEqual(outcomes, again) {
		t.Fatal("same seed gave a different fault sequence")
	}
	_, other := faultRun(t, 8, n)
	if reflect.DeepEqual(outcomes, other) {
		t.Fatal("different seeds gave the same fault sequence")
	}
	// Turning faults off at run time, through the method and the admin path.
	sim.SetFailRate(0)
	_, cl := newTestServer(t, Config{FailRate: 1})
	resp, err := http.Post(cl.base+"/_sim/fail-rate?p=0", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("fail-rate: %v %v", err, resp)
	}
	resp.Body.Close()
	cl.ok("chatroom/create", "creator", "a", "name", "b")
	if resp, _ := http.Post(cl.base+"/_sim/fail-rate?p=2", "", nil); resp.StatusCode != 400 {
		t.Fatalf("p=2 accepted: %d", resp.StatusCode)
	}
}

func TestRateLimitAndBlock(t *testing.T) {
	clk := newFakeClock()
	sim, cl := newTestServer(t, Config{Now: clk.Now, RateLimit: 5, Block: 10 * time.Second})
	for i := 0; i < 5; i++ {
		cl.ok("chatroom/create", "creator", "a", "name", "b")
	}
	cl.fails(416, "chatroom/create", "creator", "a", "name", "b")
	clk.Add(2 * time.Second) // tokens refilled, but the endpoint is blocked
	cl.fails(416, "chatroom/create", "creator", "a", "name", "b")
	cl.ok("qchat/createServer", "accid", "a") // other endpoints are not
	clk.Add(9 * time.Second)
	cl.ok("chatroom/create", "creator", "a", "name", "b")
	st := sim.Stats()
	if st.RateLimited != 2 || st.Requests["chatroom/create"] != 8 {
		t.Fatalf("stats %+v", st)
	}
	if n := len(sim.Objects().Chatrooms); n != 6 {
		t.Fatalf("%d rooms, want 6 (rejected requests must not apply)", n)
	}
}

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	sim, cl := newTestServer(t, Config{StateFile: path})
	room := cl.ok("chatroom/create", "creator", "a", "name", "b", "delayClosePolicy", "2", "delaySeconds", "600").num("chatroom.roomid")
	cl.ok("chatroom/setMemberRole", "roomid", id(room), "operator", "a", "target", "m", "opt", "1", "optvalue", "true")
	srv := cl.ok("qchat/createServer", "accid", "o").num("serverInfo.serverId")
	cl.ok("qchat/applyServer", "accid", "u", "serverId", id(srv))
	ch := cl.ok("qchat/createChannel", "accid", "o", "serverId", id(srv), "type", "0").num("channelInfo.channelId")
	role := cl.ok("qchat/createServerIdentify", "accid", "o", "serverId", id(srv), "name", "r").num("identify.roleId")
	cl.ok("qchat/createServerIdentifyMember", "accid", "o", "serverId", id(srv), "roleId", id(role), "faccids", `["u"]`)
	cl.ok("qchat/createChannelIdentify", "accid", "o", "serverId", id(srv), "serverRoleId", id(role), "channelId", id(ch))
	cl.ok("qchat/createUserIdentify", "accid", "o", "serverId", id(srv), "channelId", id(ch), "faccid", "u")
	cl.ok("qchat/updateWhiteBlackIdentifyUser", "accid", "o", "serverId", id(srv), "channelId", id(ch), "type", "2", "opeType", "1", "toAccids", `["u"]`)
	before := sim.Objects()

	sim2, cl2 := newTestServer(t, Config{StateFile: path})
	if after := sim2.Objects(); !reflect.DeepEqual(before, after) {
		a, _ := json.Marshal(before)
		b, _ := json.Marshal(after)
		t.Fatalf("state differs after reload:\n%s\n%s", a, b)
	}
	room2 := cl2.ok("chatroom/create", "creator", "a", "name", "c").num("chatroom.roomid")
	if room2 <= room {
		t.Fatalf("ids restarted: %d after %d", room2, room)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), DefaultAppSecret) {
		t.Fatal("state file holds the secret")
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{StateFile: path}); err == nil {
		t.Fatal("corrupt state file accepted")
	}
}

func TestResetDeleteStats(t *testing.T) {
	sim, cl := newTestServer(t, Config{})
	room := cl.ok("chatroom/create", "creator", "a", "name", "b").num("chatroom.roomid")
	srv := cl.ok("qchat/createServer", "accid", "o").num("serverInfo.serverId")
	ch := cl.ok("qchat/createChannel", "accid", "o", "serverId", id(srv), "type", "0").num("channelInfo.channelId")
	if !sim.Delete("qchat_channel", ch) || sim.Delete("qchat_channel", ch) {
		t.Fatal("Delete channel")
	}
	if l := cl.ok("qchat/getChannels", "channelIds", jsonList(ch)).list("channelInfos"); len(l) != 0 {
		t.Fatalf("deleted channel still answered: %v", l)
	}
	if !sim.Delete("chatroom", room) {
		t.Fatal("Delete chatroom")
	}
	cl.fails(404, "chatroom/get", "roomid", id(room))
	if sim.Delete("nope", srv) || sim.Delete("chatroom", 1) {
		t.Fatal("Delete of an unknown kind or id reported success")
	}
	if sim.Stats().Total == 0 {
		t.Fatal("no stats")
	}
	sim.ResetStats()
	if st := sim.Stats(); st.Total != 0 || len(st.Requests) != 0 {
		t.Fatalf("ResetStats: %+v", st)
	}
	cl.ok("chatroom/create", "creator", "a", "name", "b")
	resp, err := http.Post(cl.base+"/_sim/reset", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(err)
	}
	if o := sim.Objects(); len(o.Chatrooms)+len(o.QChatServers)+len(o.QChatServerRoles) != 0 || sim.Stats().Total != 0 {
		t.Fatalf("reset left %+v", o)
	}
	cl.fails(404, "qchat/updateServer", "accid", "o", "serverId", id(srv), "name", "x")
}

func TestConcurrentUse(t *testing.T) {
	sim, cl := newTestServer(t, Config{})
	srv := cl.ok("qchat/createServer", "accid", "o").num("serverInfo.serverId")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				for _, req := range []struct {
					ep string
					kv []string
				}{
					{"chatroom/create", []string{"creator", "a", "name", "r"}},
					{"qchat/createChannel", []string{"accid", "o", "serverId", id(srv), "type", "0"}},
					{"qchat/applyServer", []string{"accid", "u" + id(int64(g*100+i)), "serverId", id(srv)}},
					{"qchat/getServerMemberListPage", []string{"serverId", id(srv), "limit", "200"}},
				} {
					resp, b, err := cl.raw(http.MethodPost, req.ep, form(req.kv...).Encode(), nil)
					if err == nil && resp.StatusCode == 200 && decode(t, b).code() != 200 {
						err = errors.New(req.ep + ": " + string(b))
					}
					if err != nil {
						errs <- err
						return
					}
				}
				_ = sim.Objects()
				_ = sim.Stats()
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	o := sim.Objects()
	if len(o.Chatrooms) != 200 || len(o.QChatChannels) != 200 || len(o.QChatServerMembers) != 201 {
		t.Fatalf("rooms %d channels %d members %d", len(o.Chatrooms), len(o.QChatChannels), len(o.QChatServerMembers))
	}
}

func TestShapeDiffDetects(t *testing.T) {
	var d []string
	shapeDiff("", map[string]any{"a": json.Number("1"), "b": "x", "c": []any{map[string]any{"k": true}}},
		map[string]any{"a": "1", "c": []any{map[string]any{"k": true, "z": 1}}, "e": nil}, nil, nil, &d)
	if len(d) != 4 { // a type, b missing, c[].z extra, e extra
		t.Fatalf("diffs: %v", d)
	}
}

// TestMalformedRequests: malformed, oversized and wrongly typed requests get
// the documented answer (TestRoutingAndBody has the basic cases). The order
// of checks is doc.go's: route → method → signature → content type and
// body → handler.
func TestMalformedRequests(t *testing.T) {
	sim, cl := newTestServer(t, Config{})
	const valid = "creator=a&name=b"
	pad := func(n int) string { // a valid body of exactly n bytes
		return valid + "&pad=" + strings.Repeat("p", n-len(valid)-len("&pad="))
	}
	chunked := func(s string) io.Reader { return io.MultiReader(strings.NewReader(s)) } // no length: sent chunked
	type tc struct {
		name, method, path string
		body               io.Reader
		ct                 string // "-" sends none
		unsigned           bool
		http, code         int
		desc               string // exact, or a prefix when it ends in "*"
		check              func(t *testing.T, a answer, h http.Header)
	}
	form := "application/x-www-form-urlencoded;charset=utf-8"
	name := func(want string) func(*testing.T, answer, http.Header) {
		return func(t *testing.T, a answer, _ http.Header) {
			if got := a.str("chatroom.name"); got != want {
				t.Fatalf("name %q, want %q", got, want)
			}
		}
	}
	cases := []tc{
		// Content type: the media type decides, case-insensitively; its
		// parameters are not looked at.
		{name: "no content type", ct: "-", code: 414, desc: "content-type*"},
		{name: "text/plain", ct: "text/plain", code: 414, desc: "content-type*"},
		{name: "json type, form body", ct: "application/json;charset=utf-8", code: 414, desc: "content-type*"},
		{name: "multipart", ct: "multipart/form-data; boundary=XX",
			body: strings.NewReader("--XX\r\nContent-Disposition: form-data; name=\"creator\"\r\n\r\na\r\n--XX--\r\n"), code: 414, desc: "content-type*"},
		{name: "media type with a suffix", ct: "application/x-www-form-urlencodedx", code: 414, desc: "content-type*"},
		{name: "two media types", ct: "application/x-www-form-urlencoded, text/plain", code: 414, desc: "content-type*"},
		{name: "media type after a parameter", ct: "charset=utf-8; application/x-www-form-urlencoded", code: 414, desc: "content-type*"},
		{name: "no charset", ct: "application/x-www-form-urlencoded", code: 200},
		{name: "upper case", ct: "APPLICATION/X-WWW-FORM-URLENCODED; CHARSET=UTF-8", code: 200},
		{name: "spaces around the media type", ct: "application/x-www-form-urlencoded ; charset=utf-8", code: 200},
		{name: "other charset ignored", ct: "application/x-www-form-urlencoded;charset=gbk", code: 200},
		{name: "malformed parameter ignored", ct: "application/x-www-form-urlencoded; charset", code: 200},
		{name: "duplicate parameter ignored", ct: "application/x-www-form-urlencoded; charset=utf-8; charset=gbk", code: 200},
		{name: "trailing semicolon", ct: "application/x-www-form-urlencoded;", code: 200},

		// Bodies.
		{name: "empty body", body: strings.NewReader(""), code: 414, desc: "missing creator"},
		// An empty body is the empty form whatever its content type says: it
		// carries no parameter to misread, and an HTTP client sends no
		// content type for it, so the answer names the missing parameter.
		{name: "empty body, no content type", ct: "-", body: strings.NewReader(""), code: 414, desc: "missing creator"},
		{name: "empty body, text/plain", ct: "text/plain", body: strings.NewReader(""), code: 414, desc: "missing creator"},
		{name: "empty body, json type", ct: "application/json", body: strings.NewReader(""), code: 414, desc: "missing creator"},
		{name: "empty chunked body, no content type", ct: "-", body: chunked(""), code: 414, desc: "missing creator"},
		{name: "one byte, no content type", ct: "-", body: strings.NewReader("x"), code: 414, desc: "content-type*"},
		{name: "key without =", body: strings.NewReader("creator&name=b"), code: 414, desc: "missing creator"},
		{name: "truncated escape", body: strings.NewReader("creator=a&name=b%"), code: 414, desc: "invalid body"},
		{name: "semicolon separator", body: strings.NewReader("creator=a;name=b"), code: 414, desc: "invalid body"},
		{name: "invalid UTF-8, escaped", body: strings.NewReader("creator=%ff%fe&name=b"), code: 414, desc: "invalid creator"},
		{name: "invalid UTF-8, raw", body: strings.NewReader("name=b&creator=a\xff"), code: 414, desc: "invalid creator"},
		{name: "invalid UTF-8 in an unread parameter", body: strings.NewReader(valid + "&other=%ff"), code: 200},
		{name: "unicode", body: strings.NewReader("creator=a&name=%E8%81%8A%E5%A4%A9%F0%9F%98%80"), code: 200, check: name("聊天😀")},
		{name: "plus is a space", body: strings.NewReader("creator=a&name=x+y"), code: 200, check: name("x y")},
		{name: "first value wins", body: strings.NewReader("creator=a&name=first&name=second&name="), code: 200, check: name("first")},
		{name: "body of exactly 1 MiB", body: strings.NewReader(pad(maxBody)), code: 200},
		{name: "body one byte over 1 MiB", body: strings.NewReader(pad(maxBody + 1)), code: 414, desc: "body too large"},
		{name: "chunked body within the limit", body: chunked(pad(maxBody)), code: 200},
		{name: "chunked body over the limit", body: chunked(pad(maxBody + 1)), code: 414, desc: "body too large"},

		// The query string carries no parameters and is not even parsed.
		{name: "malformed query", path: "chatroom/create?%zz", code: 200},
		{name: "query with semicolons", path: "chatroom/create?a=1;b=2", code: 200},

		// Methods and paths.
		{name: "PUT", method: http.MethodPut, http: 405, code: 405, desc: "method not allowed",
			check: func(t *testing.T, _ answer, h http.Header) {
				if h.Get("Allow") != http.MethodPost {
					t.Fatalf("Allow %q", h.Get("Allow"))
				}
			}},
		{name: "DELETE", method: http.MethodDelete, http: 405, code: 405, desc: "method not allowed"},
		{name: "PATCH", method: http.MethodPatch, http: 405, code: 405, desc: "method not allowed"},
		{name: "no .action", path: "/nimserver/chatroom/create", http: 404, code: 404, desc: "unknown endpoint"},
		{name: "only .action", path: "/nimserver/.action", http: 404, code: 404, desc: "unknown endpoint"},
		{name: "extra segment", path: "/nimserver/chatroom/create.action/x", http: 404, code: 404, desc: "unknown endpoint"},
		{name: "case of the endpoint", path: "chatroom/Create", http: 404, code: 404, desc: "unknown endpoint"},
		{name: "outside /nimserver", path: "/api/chatroom/create.action", http: 404, code: 404, desc: "unknown endpoint"},

		// Order of checks.
		{name: "unknown path before signature", path: "chatroom/nope", unsigned: true, http: 404, code: 404, desc: "unknown endpoint"},
		{name: "method before signature", method: http.MethodGet, unsigned: true, http: 405, code: 405, desc: "method not allowed"},
		{name: "signature before content type", ct: "text/plain", unsigned: true, code: 414, desc: "appkey"},
		{name: "signature before body size", body: strings.NewReader(pad(maxBody + 1)), unsigned: true, code: 414, desc: "appkey"},
	}
	var unknown int64
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method, path, body, ct := c.method, c.path, c.body, c.ct
			if method == "" {
				method = http.MethodPost
			}
			if path == "" {
				path = "chatroom/create"
			}
			if !strings.HasPrefix(path, "/") {
				p, q, _ := strings.Cut(path, "?")
				path = "/nimserver/" + p + ".action"
				if q != "" {
					path += "?" + q
				}
			}
			if body == nil {
				body = strings.NewReader(valid)
			}
			if ct == "" {
				ct = form
			}
			req, err := http.NewRequest(method, cl.base+path, body)
			if err != nil {
				t.Fatal(err)
			}
			if ct != "-" {
				req.Header.Set("Content-Type", ct)
			}
			if !c.unsigned {
				cl.sign(req.Header)
			}
			resp, err := cl.hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			want := c.http
			if want == 0 {
				want = 200
			}
			if resp.StatusCode != want {
				t.Fatalf("HTTP %d, want %d: %s", resp.StatusCode, want, b)
			}
			if resp.StatusCode == 404 {
				unknown++
			}
			a := decode(t, b)
			d, _ := a["desc"].(string)
			prefix, isPrefix := strings.CutSuffix(c.desc, "*")
			if a.code() != c.code || (c.desc != "" && d != c.desc && (!isPrefix || !strings.HasPrefix(d, prefix))) {
				t.Fatalf("want %d %q, got %s", c.code, c.desc, b)
			}
			if c.check != nil {
				c.check(t, a, resp.Header)
			}
		})
	}
	// HEAD: 405 without a body.
	req, _ := http.NewRequest(http.MethodHead, cl.base+"/nimserver/chatroom/create.action", nil)
	resp, err := cl.hc.Do(req)
	if err != nil || resp.StatusCode != 405 {
		t.Fatalf("HEAD: %v %v", err, resp)
	}
	resp.Body.Close()
	// Unknown paths share one stats key, whatever they are.
	st := sim.Stats()
	if st.Requests["unknown"] != unknown || unknown == 0 {
		t.Fatalf("unknown paths counted %d, sent %d", st.Requests["unknown"], unknown)
	}
	for k := range st.Requests {
		if k != "unknown" && routes[k] == nil {
			t.Fatalf("stats key %q for an unknown path", k)
		}
	}
}

func TestHealth(t *testing.T) {
	sim, cl := newTestServer(t, Config{})
	resp, err := http.Get(cl.base + "/_sim/health")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"ok":true}` {
		t.Fatalf("health: %d %s", resp.StatusCode, b)
	}
	if sim.Stats().Total != 0 {
		t.Fatal("the health check counted as an API request")
	}
	resp, err = http.Post(cl.base+"/_sim/health", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("POST health: %d", resp.StatusCode)
	}
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	sim, cl := newTestServer(t, Config{StateFile: path})
	room := cl.ok("chatroom/create", "creator", "a", "name", "b").num("chatroom.roomid")
	// Save writes the file again even when something removed it.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := sim.Save(); err != nil {
		t.Fatal(err)
	}
	sim2, _ := newTestServer(t, Config{StateFile: path})
	if o := sim2.Objects(); len(o.Chatrooms) != 1 || o.Chatrooms[0].RoomID != room {
		t.Fatalf("reloaded %+v", o.Chatrooms)
	}
	// A state file that cannot be written is an error, not only a log line.
	if err := os.Remove(dir); err == nil {
		t.Fatal("directory removed with the state file in it")
	}
	os.Remove(path)
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := sim.Save(); err == nil || !strings.Contains(err.Error(), "state file") {
		t.Fatalf("Save into a missing directory: %v", err)
	}
	noFile, _ := newTestServer(t, Config{})
	if err := noFile.Save(); err != nil {
		t.Fatalf("Save without a state file: %v", err)
	}
}

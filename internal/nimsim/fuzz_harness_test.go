package nimsim

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Shared machinery of the fuzz targets (fuzz_test.go): signed in-process
// requests with a deadline, a seeded world restored fresh for every input,
// the answer checks and the state invariants.

// fuzzNow is the simulator's clock in fuzzing: fixed, so that answers
// (timetags, ids) are reproducible and can be compared byte for byte.
var fuzzNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// fuzzDeadline bounds one request. In-process requests take microseconds;
// the bound is generous because fuzz workers share two loaded cores.
const fuzzDeadline = 5 * time.Second

func fuzzConfig() Config { return Config{Now: func() time.Time { return fuzzNow }} }

// documentedCodes are the answer codes a request can get from a simulator
// without faults or rate limit (api-facts' table). 500 is not among them:
// without injected faults it only comes from a recovered handler panic.
var documentedCodes = map[int]bool{200: true, 403: true, 404: true, 414: true, 417: true, 419: true, 13002: true}

// signedRequest builds a request carrying a valid signature for fuzzNow.
// contentType "" sends no Content-Type header.
func signedRequest(method, target, contentType string, body []byte) *http.Request {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	cur := strconv.FormatInt(fuzzNow.Unix(), 10)
	req.Header.Set("AppKey", DefaultAppKey)
	req.Header.Set("Nonce", "fuzz-nonce")
	req.Header.Set("CurTime", cur)
	req.Header.Set("CheckSum", Checksum(DefaultAppSecret, "fuzz-nonce", cur))
	if contentType != "" {
		req.Header["Content-Type"] = []string{contentType}
	}
	return req
}

// reply is what ServeHTTP wrote.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// serveWithin runs one request and fails the test when the handler panics
// (outside the handlers' own recover) or does not answer within fuzzDeadline.
func serveWithin(t testing.TB, h http.Handler, req *http.Request) reply {
	t.Helper()
	rec := httptest.NewRecorder()
	done := make(chan string, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Sprintf("%v\n%s", p, debug.Stack())
				return
			}
			done <- ""
		}()
		h.ServeHTTP(rec, req)
	}()
	timer := time.NewTimer(fuzzDeadline)
	defer timer.Stop()
	select {
	case p := <-done:
		if p != "" {
			t.Fatalf("%s %s: ServeHTTP panicked: %s", req.Method, req.URL, p)
		}
	case <-timer.C:
		t.Fatalf("%s %s: no answer within %v", req.Method, req.URL, fuzzDeadline)
	}
	return reply{rec.Code, rec.Header(), rec.Body.Bytes()}
}

// apiReply is a decoded answer: its code, its desc when it is a string,
// and the whole body.
type apiReply struct {
	code int
	desc string
	body map[string]any
}

// decodeReply requires a JSON object answer with an integer code.
func decodeReply(t testing.TB, r reply) apiReply {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, body %q", ct, r.body)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		t.Fatalf("answer is not one JSON object (%v): %q", err, r.body)
	}
	n, ok := m["code"].(json.Number)
	code, err := strconv.Atoi(string(n))
	if !ok || err != nil {
		t.Fatalf("answer has no integer code: %s", r.body)
	}
	d, _ := m["desc"].(string)
	return apiReply{code: code, desc: d, body: m}
}

// checkAPIReply: HTTP 200, a JSON object, a documented code, a string desc
// on every error.
func checkAPIReply(t testing.TB, r reply) apiReply {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("HTTP %d for an API request: %s", r.status, r.body)
	}
	a := decodeReply(t, r)
	if !documentedCodes[a.code] {
		t.Fatalf("undocumented code %d: %s", a.code, r.body)
	}
	if a.code != 200 && a.desc == "" {
		t.Fatalf("error without a desc: %s", r.body)
	}
	return a
}

// --- the world

// fuzzWorld is a small state built once through the API and restored into a
// fresh Server for every fuzz input: two rooms (one closed) with fixed
// members, a server with members, a pending invitation and application, a
// public and a private channel, two custom roles with members, channel roles
// (one for @everyone), a user override, white/black list entries, and a
// second server with its own channel and role.
type fuzzWorld struct {
	counters counters
	objects  Objects
	repl     *strings.Replacer
	ids      map[string]string // placeholder -> id
}

var (
	worldOnce sync.Once
	theWorld  *fuzzWorld
)

// worldPlaceholders name the world's objects in seeds and fuzz values
// ("$server" becomes the server's id), so seeds survive id changes.
var worldPlaceholders = []string{"$room", "$closedRoom", "$server", "$otherServer", "$channel",
	"$privChannel", "$otherChannel", "$role1", "$role2", "$otherRole", "$everyone", "$chanRole",
	"$everyoneChanRole"}

func getWorld(t testing.TB) *fuzzWorld {
	t.Helper()
	worldOnce.Do(func() { theWorld = buildFuzzWorld(t) })
	if theWorld == nil {
		t.Fatal("the fuzz world could not be built (see the first failure)")
	}
	return theWorld
}

func buildFuzzWorld(t testing.TB) *fuzzWorld {
	sim, err := New(fuzzConfig())
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	post := func(ep string, kv ...string) apiReply {
		f := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v := kv[i+1]
			for _, p := range worldPlaceholders {
				if id, ok := ids[p]; ok {
					v = strings.ReplaceAll(v, p, id)
				}
			}
			f.Set(kv[i], v)
		}
		r := serveWithin(t, sim, signedRequest(http.MethodPost, "/nimserver/"+ep+".action", formCT, []byte(f.Encode())))
		a := checkAPIReply(t, r)
		if a.code != 200 {
			t.Fatalf("world: %s %v: %s", ep, kv, r.body)
		}
		return a
	}
	num := func(a apiReply, path string) string {
		return id(answer(a.body).num(path))
	}
	ids["$room"] = num(post("chatroom/create", "creator", "owner", "name", "room", "bid", `{"k":"v"}`), "chatroom.roomid")
	post("chatroom/setMemberRole", "roomid", "$room", "operator", "owner", "target", "mgr", "opt", "1", "optvalue", "true")
	post("chatroom/setMemberRole", "roomid", "$room", "operator", "owner", "target", "mem", "opt", "2", "optvalue", "true")
	post("chatroom/setMemberRole", "roomid", "$room", "operator", "owner", "target", "blk", "opt", "-1", "optvalue", "true")
	post("chatroom/temporaryMute", "roomid", "$room", "operator", "owner", "target", "tmp", "muteDuration", "3600")
	ids["$closedRoom"] = num(post("chatroom/create", "creator", "owner", "name", "closed",
		"delayClosePolicy", "1", "delaySeconds", "7200"), "chatroom.roomid")
	post("chatroom/toggleCloseStat", "roomid", "$closedRoom", "operator", "owner", "valid", "false")

	ids["$server"] = num(post("qchat/createServer", "accid", "owner", "name", "srv"), "serverInfo.serverId")
	for _, a := range []string{"mgr", "mem", "u1", "u2"} {
		post("qchat/applyServer", "accid", a, "serverId", "$server")
	}
	post("qchat/inviteServerMember", "accid", "owner", "serverId", "$server", "invitedAccids", `["inv"]`, "msg", "come")
	post("qchat/updateServer", "accid", "owner", "serverId", "$server", "applyMode", "1")
	post("qchat/applyServer", "accid", "app", "serverId", "$server", "msg", "let me in")
	ids["$channel"] = num(post("qchat/createChannel", "accid", "owner", "serverId", "$server", "type", "0", "name", "ch"), "channelInfo.channelId")
	ids["$privChannel"] = num(post("qchat/createChannel", "accid", "owner", "serverId", "$server", "type", "100",
		"name", "priv", "viewMode", "1"), "channelInfo.channelId")
	ids["$role1"] = num(post("qchat/createServerIdentify", "accid", "owner", "serverId", "$server", "name", "r1", "priority", "1"), "identify.roleId")
	ids["$role2"] = num(post("qchat/createServerIdentify", "accid", "owner", "serverId", "$server", "name", "r2", "priority", "2"), "identify.roleId")
	ids["$everyone"] = num(post("qchat/getServerIdentifyPages", "accid", "owner", "serverId", "$server"), "identify.0.roleId")
	post("qchat/createServerIdentifyMember", "accid", "owner", "serverId", "$server", "roleId", "$role1", "faccids", `["mgr","u1"]`)
	ids["$chanRole"] = num(post("qchat/createChannelIdentify", "accid", "owner", "serverId", "$server", "channelId", "$channel",
		"serverRoleId", "$role1"), "identify.roleId")
	post("qchat/updateChannelIdentify", "accid", "owner", "serverId", "$server", "channelId", "$channel", "roleId", "$chanRole",
		"auths", `{"3":1,"13":1}`)
	ids["$everyoneChanRole"] = num(post("qchat/createChannelIdentify", "accid", "owner", "serverId", "$server",
		"channelId", "$channel", "serverRoleId", "$everyone"), "identify.roleId")
	post("qchat/createUserIdentify", "accid", "owner", "serverId", "$server", "channelId", "$channel", "faccid", "mem")
	post("qchat/updateUserIdentify", "accid", "owner", "serverId", "$server", "channelId", "$channel", "faccid", "mem", "auths", `{"4":-1}`)
	post("qchat/updateWhiteBlackIdentify", "accid", "owner", "serverId", "$server", "channelId", "$channel", "type", "1",
		"opeType", "1", "roleid", "$role1")
	post("qchat/updateWhiteBlackIdentifyUser", "accid", "owner", "serverId", "$server", "channelId", "$privChannel", "type", "1",
		"opeType", "1", "toAccids", `["u1"]`)
	post("qchat/updateWhiteBlackIdentifyUser", "accid", "owner", "serverId", "$server", "channelId", "$channel", "type", "2",
		"opeType", "1", "toAccids", `["u2"]`)

	ids["$otherServer"] = num(post("qchat/createServer", "accid", "other", "name", "other"), "serverInfo.serverId")
	post("qchat/applyServer", "accid", "mem", "serverId", "$otherServer")
	ids["$otherChannel"] = num(post("qchat/createChannel", "accid", "other", "serverId", "$otherServer", "type", "0"), "channelInfo.channelId")
	ids["$otherRole"] = num(post("qchat/createServerIdentify", "accid", "other", "serverId", "$otherServer", "name", "o1"), "identify.roleId")

	w := &fuzzWorld{ids: ids}
	// Longest placeholder first: "$everyoneChanRole" before "$everyone".
	ps := slices.Clone(worldPlaceholders)
	slices.SortFunc(ps, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	var pairs []string
	for _, p := range ps {
		if ids[p] == "" {
			t.Fatalf("world: placeholder %s has no id", p)
		}
		pairs = append(pairs, p, ids[p])
	}
	w.repl = strings.NewReplacer(pairs...)
	sim.mu.Lock()
	w.counters, w.objects = sim.st.counters, sim.st.snapshot()
	sim.mu.Unlock()
	if errs := invariantErrors(w.objects, defaultMaxRoles); len(errs) > 0 {
		t.Fatalf("world breaks invariants: %v", errs)
	}
	return w
}

// fresh returns a new Server holding a private copy of the world.
func (w *fuzzWorld) fresh(t testing.TB) *Server {
	t.Helper()
	sim, err := New(fuzzConfig())
	if err != nil {
		t.Fatal(err)
	}
	sim.st = restore(w.counters, w.objects)
	return sim
}

func (w *fuzzWorld) subst(s string) string { return w.repl.Replace(s) }

const formCT = "application/x-www-form-urlencoded;charset=utf-8"

// post sends a form to an endpoint of sim, signed, within the deadline.
func postForm(t testing.TB, sim *Server, ep string, f url.Values) reply {
	t.Helper()
	return serveWithin(t, sim, signedRequest(http.MethodPost, "/nimserver/"+ep+".action", formCT, []byte(f.Encode())))
}

// --- base requests: one valid request per registered endpoint

// baseRequest is a request that succeeds on the world. Its parameters, in
// order, are what FuzzHandlerValidation picks from.
type baseRequest struct {
	ep string
	kv []string
}

func (b baseRequest) params() []string {
	var ps []string
	for i := 0; i < len(b.kv); i += 2 {
		ps = append(ps, b.kv[i])
	}
	return ps
}

// form returns the request's form with the world's ids filled in.
func (b baseRequest) form(w *fuzzWorld) url.Values {
	f := url.Values{}
	for i := 0; i+1 < len(b.kv); i += 2 {
		f[b.kv[i]] = []string{w.subst(b.kv[i+1])}
	}
	return f
}

var baseRequests = []baseRequest{
	{"chatroom/create", []string{"creator", "owner", "name", "new room", "announcement", "", "broadcasturl", "http://b",
		"ext", "e", "queuelevel", "1", "bid", `{"a":1}`, "delayClosePolicy", "1", "delaySeconds", "60", "inOutNotification", "0"}},
	{"chatroom/get", []string{"roomid", "$room", "needOnlineUserCount", "true"}},
	{"chatroom/getBatch", []string{"roomids", `[$room,"$closedRoom",1]`, "needOnlineUserCount", "false"}},
	{"chatroom/update", []string{"roomid", "$room", "name", "renamed", "announcement", "hello", "broadcasturl", "http://c",
		"ext", "x", "needNotify", "true", "notifyExt", "n", "queuelevel", "1", "bid", `{"x":[1,2]}`}},
	{"chatroom/toggleCloseStat", []string{"roomid", "$closedRoom", "operator", "owner", "valid", "true",
		"delayClosePolicy", "1", "delaySeconds", "60"}},
	{"chatroom/updateDelayClosePolicy", []string{"roomid", "$room", "delayClosePolicy", "2", "delaySeconds", "7200"}},
	{"chatroom/muteRoom", []string{"roomid", "$room", "operator", "mgr", "mute", "true", "needNotify", "false", "notifyExt", "m"}},
	{"chatroom/updateInOutNotification", []string{"roomid", "$room", "close", "true"}},
	{"chatroom/queryUserRoomIds", []string{"creator", "owner"}},
	{"chatroom/sendMsg", []string{"roomid", "$room", "msgId", "m1", "fromAccid", "mem", "msgType", "0", "resendFlag", "0",
		"attach", `{"msg":"hi"}`, "ext", "", "highPriority", "true"}},
	{"chatroom/setMemberRole", []string{"roomid", "$room", "operator", "owner", "target", "u9", "opt", "1", "optvalue", "true",
		"notifyExt", ""}},
	{"chatroom/temporaryMute", []string{"roomid", "$room", "operator", "mgr", "target", "mem", "muteDuration", "60",
		"needNotify", "true", "notifyExt", ""}},
	{"chatroom/membersByPage", []string{"roomid", "$room", "type", "0", "endtime", "0", "limit", "10"}},
	{"chatroom/queryMembers", []string{"roomid", "$room", "accids", `["owner","mgr","mem","nobody"]`}},

	{"qchat/createServer", []string{"accid", "u1", "name", "s2", "icon", "i", "custom", "c", "inviteMode", "1", "applyMode", "0"}},
	{"qchat/removeServer", []string{"accid", "owner", "serverId", "$server"}},
	{"qchat/updateServer", []string{"accid", "owner", "serverId", "$server", "name", "n", "icon", "i", "custom", "c",
		"inviteMode", "1", "applyMode", "0"}},
	{"qchat/getServers", []string{"serverIds", `[$server,"$otherServer"]`}},
	{"qchat/getServerListPage", []string{"accid", "mem", "timetag", "0", "limit", "10"}},
	{"qchat/inviteServerMember", []string{"accid", "owner", "serverId", "$server", "invitedAccids", `["out","mem"]`, "msg", "hi"}},
	{"qchat/acceptServerInvite", []string{"accid", "inv", "serverId", "$server", "inviteAccid", "owner", "msg", "ok"}},
	{"qchat/rejectServerInvite", []string{"accid", "inv", "serverId", "$server", "inviteAccid", "owner", "msg", "no"}},
	{"qchat/applyServer", []string{"accid", "out", "serverId", "$server", "msg", "please"}},
	{"qchat/acceptServerApply", []string{"accid", "owner", "serverId", "$server", "applyAccid", "app", "msg", "ok"}},
	{"qchat/rejectServerApply", []string{"accid", "owner", "serverId", "$server", "applyAccid", "app", "msg", "no"}},
	{"qchat/kickServerMember", []string{"accid", "owner", "serverId", "$server", "kickedAccids", `["u2"]`}},
	{"qchat/leaveServer", []string{"accid", "u2", "serverId", "$server"}},
	{"qchat/updateServerMember", []string{"accid", "mem", "serverId", "$server", "nick", "n", "avatar", "a", "custom", "c"}},
	{"qchat/updateOtherServerMember", []string{"accid", "owner", "serverId", "$server", "otherAccid", "mem", "nick", "n", "avatar", "a"}},
	{"qchat/getServerMembers", []string{"serverIdAccids", `["$server|mem","$server|owner","$otherServer|mem"]`}},
	{"qchat/getServerMemberListPage", []string{"serverId", "$server", "timetag", "0", "limit", "10", "accid", "mem"}},

	{"qchat/createChannel", []string{"accid", "owner", "serverId", "$server", "type", "0", "name", "c", "topic", "t",
		"custom", "x", "viewMode", "0"}},
	{"qchat/removeChannel", []string{"accid", "owner", "channelId", "$channel"}},
	{"qchat/updateChannel", []string{"accid", "owner", "channelId", "$channel", "name", "c", "topic", "t", "custom", "x", "viewMode", "1"}},
	{"qchat/getChannels", []string{"channelIds", `[$channel,"$privChannel"]`}},
	{"qchat/getChannelListPage", []string{"serverId", "$server", "timetag", "0", "limit", "10", "accid", "mem"}},
	{"qchat/getChannelMemberListPage", []string{"serverId", "$server", "channelId", "$channel", "timetag", "0", "limit", "10", "accid", "mem"}},

	{"qchat/updateWhiteBlackIdentify", []string{"serverId", "$server", "channelId", "$channel", "type", "2", "accid", "owner",
		"opeType", "1", "roleid", "$role2"}},
	{"qchat/updateWhiteBlackIdentifyUser", []string{"serverId", "$server", "channelId", "$channel", "type", "2", "accid", "owner",
		"opeType", "1", "toAccids", `["mem"]`}},
	{"qchat/queryWhiteBlackIdentify", []string{"serverId", "$server", "channelId", "$channel", "type", "1", "accid", "owner",
		"timetag", "0", "limit", "10"}},
	{"qchat/queryWhiteBlackIdentifyUser", []string{"serverId", "$server", "channelId", "$privChannel", "type", "1", "accid", "owner",
		"timetag", "0", "limit", "10"}},
	{"qchat/batchGetWhiteBlackIdentify", []string{"serverId", "$server", "channelId", "$channel", "type", "1",
		"roleids", `[$role1,"$role2"]`, "accid", "owner"}},
	{"qchat/batchGetWhiteBlackIdentifyUser", []string{"serverId", "$server", "channelId", "$privChannel", "type", "1",
		"accids", `["u1","mem"]`, "accid", "owner"}},

	{"qchat/createServerIdentify", []string{"accid", "owner", "serverId", "$server", "type", "2", "name", "r3", "icon", "i",
		"ext", "e", "priority", "3"}},
	{"qchat/removeServerIdentify", []string{"accid", "owner", "serverId", "$server", "roleId", "$role2"}},
	{"qchat/updateServerIdentify", []string{"accid", "owner", "serverId", "$server", "roleId", "$role2", "name", "n", "icon", "i",
		"ext", "e", "auths", `{"1":1,"2":-1}`}},
	{"qchat/getServerIdentifyPages", []string{"accid", "mem", "serverId", "$server", "priority", "0", "limit", "10"}},
	{"qchat/createServerIdentifyMember", []string{"accid", "owner", "serverId", "$server", "roleId", "$role2", "faccids", `["mem","u1","out"]`}},
	{"qchat/deleteServerIdentifyMember", []string{"accid", "owner", "serverId", "$server", "roleId", "$role1", "faccids", `["u1","mem"]`}},
	{"qchat/getServerIdentifyMemberPages", []string{"accid", "owner", "serverId", "$server", "roleId", "$role1", "timetag", "0",
		"faccid", "", "limit", "10"}},
	{"qchat/getUserServerIdentify", []string{"accid", "owner", "serverId", "$server", "faccid", "mgr", "timetag", "0", "limit", "10"}},

	{"qchat/createChannelIdentify", []string{"accid", "owner", "serverId", "$server", "channelId", "$channel", "serverRoleId", "$role2"}},
	{"qchat/deleteChannelIdentify", []string{"accid", "owner", "serverId", "$server", "channelId", "$channel", "roleId", "$chanRole"}},
	{"qchat/updateChannelIdentify", []string{"accid", "owner", "serverId", "$server", "channelId", "$channel", "roleId", "$chanRole",
		"auths", `{"4":1,"13":-1,"15":0}`}},
	{"qchat/getChannelIdentifyPages", []string{"accid", "owner", "serverId", "$server", "channelId", "$channel", "timetag", "0", "limit", "10"}},
	{"qchat/createUserIdentify", []string{"accid", "owner", "serverId", "$server", "channelId", "$channel", "faccid", "u1"}},
	{"qchat/deleteUserIdentify", []string{"accid", "owner", "serverId", "$server", "channelId", "$channel", "faccid", "mem"}},
	{"qchat/updateUserIdentify", []string{"accid", "owner", "serverId", "$server", "channelId", "$channel", "faccid", "mem",
		"auths", `{"4":1,"2":0}`}},
	{"qchat/getUserIdentifyPages", []string{"accid", "owner", "serverId", "$server", "channelId", "$channel", "timetag", "0", "limit", "10"}},
}

func baseRequestFor(ep string) baseRequest {
	for _, b := range baseRequests {
		if b.ep == ep {
			return b
		}
	}
	panic("no base request for " + ep)
}

// baseAnswers caches each base request's answer on a fresh world.
var baseAnswers sync.Map // ep -> []byte

func baseAnswer(t testing.TB, w *fuzzWorld, b baseRequest) []byte {
	t.Helper()
	if v, ok := baseAnswers.Load(b.ep); ok {
		body, _ := v.([]byte) // only answers are stored
		return body
	}
	r := postForm(t, w.fresh(t), b.ep, b.form(w))
	baseAnswers.Store(b.ep, r.body)
	return r.body
}

// --- invariants

// invariantErrors checks the referential and structural invariants every
// state must keep whatever requests produced it.
func invariantErrors(o Objects, maxRoles int) []string {
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }

	// Objects serializes, and survives the state file's JSON round trip
	// unchanged (what is answered and stored is what a restart restores).
	b, err := json.Marshal(o)
	if err != nil {
		return []string{"Objects does not serialize: " + err.Error()}
	}
	var back Objects
	if err := json.Unmarshal(b, &back); err != nil {
		return []string{"Objects does not deserialize: " + err.Error()}
	}
	if !reflect.DeepEqual(o, back) {
		bad("Objects changes in a JSON round trip:\n%+v\n%+v", o, back)
	}

	rooms := map[int64]bool{}
	for _, r := range o.Chatrooms {
		if rooms[r.RoomID] {
			bad("duplicate room id %d", r.RoomID)
		}
		rooms[r.RoomID] = true
		if r.Creator == "" || r.Name == "" {
			bad("room %d without creator or name", r.RoomID)
		}
		if r.DelayStatus == delayDone && r.Valid {
			bad("room %d: delay close done but open", r.RoomID)
		}
		seen := map[string]bool{}
		for _, m := range r.Members {
			if seen[m.Accid] || m.Accid == r.Creator || m.Accid == "" {
				bad("room %d: bad or duplicate member %q", r.RoomID, m.Accid)
			}
			seen[m.Accid] = true
			if m.Role != "" && m.Role != roleManager && m.Role != roleCommon {
				bad("room %d: member %q role %q", r.RoomID, m.Accid, m.Role)
			}
		}
	}

	servers := map[int64]*QChatServer{}
	for i, s := range o.QChatServers {
		if servers[s.ServerID] != nil {
			bad("duplicate server id %d", s.ServerID)
		}
		servers[s.ServerID] = &o.QChatServers[i]
	}
	members := map[accKey]bool{}
	owners := map[int64]int{}
	for _, m := range o.QChatServerMembers {
		k := accKey{m.ServerID, m.Accid}
		if servers[m.ServerID] == nil || members[k] || m.Accid == "" {
			bad("server member %v: unknown server, duplicate or empty", k)
		}
		members[k] = true
		if m.Type == memberTypeOwner {
			owners[m.ServerID]++
			if s := servers[m.ServerID]; s != nil && s.Owner != m.Accid {
				bad("server %d: owner-type member %q is not the owner %q", m.ServerID, m.Accid, s.Owner)
			}
		}
	}
	for id, s := range servers {
		if owners[id] != 1 || !members[accKey{id, s.Owner}] {
			bad("server %d: %d owner members, owner %q member=%v", id, owners[id], s.Owner, members[accKey{id, s.Owner}])
		}
	}
	for _, p := range o.QChatInvites {
		if servers[p.ServerID] == nil || members[accKey{p.ServerID, p.Accid}] || p.By == "" {
			bad("invitation %+v: unknown server, already a member, or no inviter", p)
		}
	}
	for _, p := range o.QChatApplies {
		if servers[p.ServerID] == nil || members[accKey{p.ServerID, p.Accid}] {
			bad("application %+v: unknown server or already a member", p)
		}
	}

	channels := map[int64]*QChatChannel{}
	for i, ch := range o.QChatChannels {
		if channels[ch.ChannelID] != nil || servers[ch.ServerID] == nil {
			bad("channel %d: duplicate or unknown server %d", ch.ChannelID, ch.ServerID)
		}
		channels[ch.ChannelID] = &o.QChatChannels[i]
		if ch.ViewMode != 0 && ch.ViewMode != 1 || ch.Type != 0 && ch.Type != 100 {
			bad("channel %d: viewMode %d type %d", ch.ChannelID, ch.ViewMode, ch.Type)
		}
	}

	roles := map[int64]*QChatServerRole{}
	everyone := map[int64]int{}
	custom := map[int64]int{}
	prios := map[[2]int64]bool{}
	for i, r := range o.QChatServerRoles {
		if roles[r.RoleID] != nil || servers[r.ServerID] == nil {
			bad("role %d: duplicate or unknown server %d", r.RoleID, r.ServerID)
		}
		roles[r.RoleID] = &o.QChatServerRoles[i]
		switch r.Type {
		case roleTypeEveryone:
			everyone[r.ServerID]++
			if r.Priority != 0 {
				bad("@everyone %d has priority %d", r.RoleID, r.Priority)
			}
		case roleTypeCustom:
			custom[r.ServerID]++
			k := [2]int64{r.ServerID, r.Priority}
			if r.Priority < 1 || prios[k] {
				bad("role %d: priority %d not ≥1 or not unique", r.RoleID, r.Priority)
			}
			prios[k] = true
		default:
			bad("role %d: type %d", r.RoleID, r.Type)
		}
		for k, v := range r.Auths {
			if k < 1 || k > maxPermKey || (v != 1 && v != -1) {
				bad("role %d: auths %d=%d", r.RoleID, k, v)
			}
		}
	}
	for id := range servers {
		if everyone[id] != 1 {
			bad("server %d has %d @everyone roles", id, everyone[id])
		}
		if custom[id] > maxRoles {
			bad("server %d has %d custom roles, limit %d", id, custom[id], maxRoles)
		}
	}
	roleMembers := map[accKey]bool{}
	for _, m := range o.QChatRoleMembers {
		r := roles[m.RoleID]
		if r == nil || r.Type != roleTypeCustom || r.ServerID != m.ServerID || !members[accKey{m.ServerID, m.Accid}] ||
			roleMembers[accKey{m.RoleID, m.Accid}] {
			bad("role member %+v: unknown/@everyone role, other server, not a member, or duplicate", m)
		}
		roleMembers[accKey{m.RoleID, m.Accid}] = true
	}

	chanAuthsOK := func(a map[int]int) bool {
		for k, v := range a {
			if !slices.Contains(channelPermKeys, k) || v < -1 || v > 1 {
				return false
			}
		}
		return true
	}
	perChannelRole := map[[2]int64]bool{}
	for _, cr := range o.QChatChannelRoles {
		ch, r := channels[cr.ChannelID], roles[cr.ServerRoleID]
		if ch == nil || r == nil || ch.ServerID != cr.ServerID || r.ServerID != cr.ServerID {
			bad("channel role %d references a missing or foreign channel %d / role %d", cr.RoleID, cr.ChannelID, cr.ServerRoleID)
		}
		k := [2]int64{cr.ChannelID, cr.ServerRoleID}
		if perChannelRole[k] {
			bad("two channel roles for channel %d and role %d", cr.ChannelID, cr.ServerRoleID)
		}
		perChannelRole[k] = true
		if !chanAuthsOK(cr.Auths) {
			bad("channel role %d auths %v", cr.RoleID, cr.Auths)
		}
	}
	for _, ov := range o.QChatUserOverrides {
		ch := channels[ov.ChannelID]
		if ch == nil || ch.ServerID != ov.ServerID || !members[accKey{ov.ServerID, ov.Accid}] || !chanAuthsOK(ov.Auths) {
			bad("user override %+v: missing channel, foreign server, not a member, or bad auths", ov)
		}
	}
	listRoles := map[[2]int64]int{}
	for _, w := range o.QChatWhiteBlackRoles {
		ch, r := channels[w.ChannelID], roles[w.RoleID]
		if ch == nil || r == nil || ch.ServerID != w.ServerID || r.ServerID != w.ServerID || (w.Type != listWhite && w.Type != listBlack) {
			bad("list role %+v: missing channel/role, foreign, or bad type", w)
		}
		listRoles[[2]int64{w.ChannelID, int64(w.Type)}]++
	}
	listUsers := map[[2]int64]int{}
	for _, w := range o.QChatWhiteBlackUsers {
		ch := channels[w.ChannelID]
		if ch == nil || ch.ServerID != w.ServerID || !members[accKey{w.ServerID, w.Accid}] || (w.Type != listWhite && w.Type != listBlack) {
			bad("list user %+v: missing channel, foreign, not a member, or bad type", w)
		}
		listUsers[[2]int64{w.ChannelID, int64(w.Type)}]++
	}
	for k, n := range listRoles {
		if n > maxListRoles {
			bad("list %v holds %d roles", k, n)
		}
	}
	for k, n := range listUsers {
		if n > maxListUsers {
			bad("list %v holds %d accounts", k, n)
		}
	}
	return errs
}

func checkInvariants(t testing.TB, sim *Server) Objects {
	t.Helper()
	o := sim.Objects()
	if errs := invariantErrors(o, sim.cfg.MaxRoles); len(errs) > 0 {
		t.Fatalf("invariants broken:\n  %s", strings.Join(errs, "\n  "))
	}
	return o
}

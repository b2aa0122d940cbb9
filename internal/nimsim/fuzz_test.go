package nimsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets. Their seed corpora live in testdata/fuzz/<FuzzName>/ and are
// written by TestWriteFuzzSeeds (fuzz_seeds_test.go); plain `go test` runs
// every seed. To fuzz one target:
//
//	go test -run='^$' -fuzz='^FuzzFormParsing$' -fuzztime=60s ./internal/nimsim/
//
// World ids are written as placeholders ("$server", see worldPlaceholders) in
// seeds and fuzz values alike.

// formTargets are the request targets FuzzFormParsing posts to: a handful
// of endpoints with different parameter kinds, the same with a query string
// (which is not a parameter source and must be ignored, even malformed),
// and paths that are not endpoints.
var formTargets = []string{
	"/nimserver/chatroom/create.action",
	"/nimserver/chatroom/getBatch.action",
	"/nimserver/chatroom/update.action",
	"/nimserver/chatroom/setMemberRole.action",
	"/nimserver/qchat/createServer.action",
	"/nimserver/qchat/getServerMembers.action",
	"/nimserver/qchat/updateServerIdentify.action",
	"/nimserver/qchat/updateWhiteBlackIdentifyUser.action",
	"/nimserver/qchat/createChannel.action",
	"/nimserver/chatroom/create.action?%zz",
	"/nimserver/qchat/createServer.action?accid=q&name=q;x",
	"/nimserver/chatroom/nope.action",
	"/nimserver/chatroom/create",
	"/nimserver/.action",
	"/nimsrv/chatroom/create.action",
	"/nimserver/chatroom/create.action/x",
}

var formMethods = []string{http.MethodPost, http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPatch}

// isFormContentType is the documented rule, written independently of
// parseBody: the media type (before any ';') is
// application/x-www-form-urlencoded, case-insensitively; its parameters
// (charset) are not looked at.
func isFormContentType(ct string) bool {
	i := strings.IndexByte(ct, ';')
	if i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.Trim(ct, " \t")) == "application/x-www-form-urlencoded"
}

// FuzzFormParsing posts arbitrary bodies with arbitrary content types and
// methods, correctly signed, to a handful of targets. The answer must be the
// one the documented order of checks gives: 404 for an unknown path, 405 for
// another method, then 414 for a content type that is not a form (unless the
// body is empty: the empty form, answered by the handler), 414 "body
// too large" beyond 1 MiB, 414 "invalid body" when the body is not a form,
// and otherwise whatever the handler says — a documented code, never a parse
// error. A body that parses must be answered exactly like its canonical
// re-encoding sent with the canonical content type.
func FuzzFormParsing(f *testing.F) {
	w := getWorld(f)
	f.Fuzz(func(t *testing.T, target, method uint16, contentType string, body []byte) {
		tgt := formTargets[int(target)%len(formTargets)]
		m := formMethods[int(method)%len(formMethods)]
		body = []byte(w.subst(string(body)))
		sim := w.fresh(t)
		r := serveWithin(t, sim, signedRequest(m, tgt, contentType, body))
		path, _, _ := strings.Cut(tgt, "?")
		ep, _ := strings.CutSuffix(strings.TrimPrefix(path, "/nimserver/"), ".action")
		if routes[ep] == nil || !strings.HasPrefix(path, "/nimserver/") || !strings.HasSuffix(path, ".action") {
			a := decodeReply(t, r)
			if r.status != http.StatusNotFound || a.code != 404 {
				t.Fatalf("%s: want HTTP 404 code 404, got %d %s", tgt, r.status, r.body)
			}
			return
		}
		if m != http.MethodPost {
			a := decodeReply(t, r)
			if r.status != http.StatusMethodNotAllowed || a.code != 405 || r.header.Get("Allow") != http.MethodPost {
				t.Fatalf("%s %s: want HTTP 405 code 405 Allow POST, got %d %v %s", m, tgt, r.status, r.header, r.body)
			}
			return
		}
		a := checkAPIReply(t, r)
		form, perr := url.ParseQuery(string(body))
		switch {
		case !isFormContentType(contentType) && len(body) > 0:
			// An empty body is the empty form whatever the content type
			// (doc.go); it falls through to the handler case below.
			if a.code != 414 || !strings.Contains(a.desc, "content-type") {
				t.Fatalf("content type %q: want 414 content-type, got %s", contentType, r.body)
			}
		case len(body) > maxBody:
			if a.code != 414 || a.desc != "body too large" {
				t.Fatalf("%d-byte body: want 414 body too large, got %s", len(body), r.body)
			}
		case perr != nil:
			if a.code != 414 || a.desc != "invalid body" {
				t.Fatalf("body %q (%v): want 414 invalid body, got %s", body, perr, r.body)
			}
		default:
			if a.desc == "invalid body" || a.desc == "body too large" || strings.Contains(a.desc, "content-type") {
				t.Fatalf("content type %q, body %q parses, yet: %s", contentType, body, r.body)
			}
			if a.code == 414 && !namesAParam(a.desc) {
				t.Fatalf("414 that names no parameter of the request: %s (body %q)", r.body, body)
			}
			// The same form, canonically encoded, on an identical world.
			canon := postForm(t, w.fresh(t), ep, form)
			if !bytes.Equal(canon.body, r.body) {
				t.Fatalf("content type %q body %q:\n  answered %s\n  canonical form answered %s", contentType, body, r.body, canon.body)
			}
		}
		checkInvariants(t, sim)
	})
}

// namesAParam: a 414's desc names the parameter it is about, one of the
// names the handlers read (all of which appear in baseRequests; the desc may
// be about a required parameter that was not sent).
func namesAParam(desc string) bool {
	for _, b := range baseRequests {
		for _, p := range b.params() {
			if strings.Contains(desc, p) {
				return true
			}
		}
	}
	return false
}

// --- JSON parameters

type jsonParamKind int

const (
	kindIDs          jsonParamKind = iota // array of positive int64, as numbers or digit strings
	kindAccids                            // array of non-empty strings ≤ maxLen characters
	kindPairs                             // array of "serverId|accid"
	kindServerAuths                       // object: keys 1..26, values 1/-1
	kindChannelAuths                      // object: channel keys, values 1/-1/0
	kindObject                            // any JSON object
)

type jsonTarget struct {
	ep, param string
	kind      jsonParamKind
	max       int  // elements (arrays)
	required  bool // "" and absent are a 414
}

var jsonTargets = []jsonTarget{
	{"chatroom/getBatch", "roomids", kindIDs, 20, true},
	{"qchat/getServers", "serverIds", kindIDs, 200, true},
	{"qchat/getChannels", "channelIds", kindIDs, 200, true},
	{"qchat/batchGetWhiteBlackIdentify", "roleids", kindIDs, 100, true},
	{"qchat/inviteServerMember", "invitedAccids", kindAccids, 200, true},
	{"chatroom/queryMembers", "accids", kindAccids, 200, true},
	{"qchat/batchGetWhiteBlackIdentifyUser", "accids", kindAccids, 100, true},
	{"qchat/createServerIdentifyMember", "faccids", kindAccids, 100, true},
	{"qchat/deleteServerIdentifyMember", "faccids", kindAccids, 100, true},
	{"qchat/updateWhiteBlackIdentifyUser", "toAccids", kindAccids, 100, true},
	{"qchat/kickServerMember", "kickedAccids", kindAccids, 200, true},
	{"qchat/getServerMembers", "serverIdAccids", kindPairs, 200, true},
	{"qchat/updateServerIdentify", "auths", kindServerAuths, 0, false},
	{"qchat/updateChannelIdentify", "auths", kindChannelAuths, 0, true},
	{"qchat/updateUserIdentify", "auths", kindChannelAuths, 0, true},
	{"chatroom/create", "bid", kindObject, 0, false},
	{"chatroom/update", "bid", kindObject, 0, false},
}

// refJSON is the reference reading of a JSON parameter, written
// independently of params.go: the whole value is decoded at once.
type refJSON struct {
	valid  bool
	absent bool // "" for an optional parameter
	ids    []int64
	strs   []string
	auths  map[int]int
}

func refParse(tg jsonTarget, v string) refJSON {
	if v == "" {
		return refJSON{valid: !tg.required, absent: true}
	}
	if !utf8.ValidString(v) { // the body's charset is utf-8
		return refJSON{}
	}
	dec := json.NewDecoder(strings.NewReader(v))
	dec.UseNumber()
	var x any
	if dec.Decode(&x) != nil {
		return refJSON{}
	}
	if _, err := dec.Token(); err != io.EOF {
		return refJSON{} // trailing data
	}
	switch tg.kind {
	case kindIDs, kindAccids, kindPairs:
		arr, ok := x.([]any)
		if !ok || len(arr) == 0 || len(arr) > tg.max {
			return refJSON{}
		}
		out := refJSON{valid: true}
		for _, e := range arr {
			switch tg.kind {
			case kindIDs:
				var s string
				switch n := e.(type) {
				case json.Number:
					s = string(n)
				case string:
					s = n
				default:
					return refJSON{}
				}
				id, err := strconv.ParseInt(s, 10, 64)
				if err != nil || id < 1 {
					return refJSON{}
				}
				out.ids = append(out.ids, id)
			default:
				s, ok := e.(string)
				maxLen := 32
				if tg.kind == kindPairs {
					maxLen = 64
				}
				if !ok || s == "" || utf8.RuneCountInString(s) > maxLen {
					return refJSON{}
				}
				if tg.kind == kindPairs {
					sid, accid, ok := strings.Cut(s, "|")
					n, err := strconv.ParseInt(sid, 10, 64)
					if !ok || err != nil || n < 1 || accid == "" {
						return refJSON{}
					}
				}
				out.strs = append(out.strs, s)
			}
		}
		return out
	case kindServerAuths, kindChannelAuths:
		obj, ok := x.(map[string]any)
		if !ok {
			return refJSON{}
		}
		out := refJSON{valid: true, auths: map[int]int{}}
		for ks, vv := range obj {
			k, err := strconv.Atoi(ks)
			// Keys are written as in the documents: plain decimal numbers.
			if err != nil || strconv.Itoa(k) != ks {
				return refJSON{}
			}
			if tg.kind == kindServerAuths && (k < 1 || k > maxPermKey) ||
				tg.kind == kindChannelAuths && !slices.Contains(channelPermKeys, k) {
				return refJSON{}
			}
			n, ok := vv.(json.Number)
			val, err := strconv.Atoi(string(n))
			if !ok || err != nil || val != 1 && val != -1 && (tg.kind != kindChannelAuths || val != 0) {
				return refJSON{}
			}
			out.auths[k] = val
		}
		return out
	default:
		_, ok := x.(map[string]any)
		return refJSON{valid: ok}
	}
}

// FuzzJSONArrayParams gives a JSON-array or JSON-object parameter an
// arbitrary value in an otherwise valid request. A value the reference
// reading accepts must be accepted (200, or the endpoint's documented
// refusal of valid input) and acted on as read; any other value is a 414
// naming the parameter.
func FuzzJSONArrayParams(f *testing.F) {
	w := getWorld(f)
	f.Fuzz(func(t *testing.T, target uint16, value string) {
		tg := jsonTargets[int(target)%len(jsonTargets)]
		v := w.subst(value)
		form := baseRequestFor(tg.ep).form(w)
		form.Set(tg.param, v)
		sim := w.fresh(t)
		before := sim.Objects()
		r := postForm(t, sim, tg.ep, form)
		a := checkAPIReply(t, r)
		ref := refParse(tg, v)
		if !ref.valid {
			if a.code != 414 || !strings.Contains(a.desc, tg.param) {
				t.Fatalf("%s %s=%q is invalid: want 414 naming %s, got %s", tg.ep, tg.param, v, tg.param, r.body)
			}
			checkInvariants(t, sim)
			return
		}
		switch {
		case tg.param == "kickedAccids" && slices.Contains(ref.strs, "owner"):
			if a.code != 403 {
				t.Fatalf("kicking the owner: want 403, got %s", r.body)
			}
		case tg.param == "toAccids" && !allMembers(before, w, ref.strs):
			if a.code != 414 || !strings.Contains(a.desc, "toAccids") {
				t.Fatalf("listing a non-member: want 414 naming toAccids, got %s", r.body)
			}
		case a.code != 200:
			t.Fatalf("%s %s=%q is valid: want 200, got %s", tg.ep, tg.param, v, r.body)
		default:
			checkJSONEffect(t, tg, v, ref, before, answer(a.body), sim)
		}
		checkInvariants(t, sim)
	})
}

func allMembers(o Objects, w *fuzzWorld, accids []string) bool {
	sid, _ := strconv.ParseInt(w.ids["$server"], 10, 64)
	for _, a := range accids {
		if !slices.ContainsFunc(o.QChatServerMembers, func(m QChatServerMember) bool { return m.ServerID == sid && m.Accid == a }) {
			return false
		}
	}
	return true
}

// checkJSONEffect checks that an accepted value was read as the reference
// reads it.
func checkJSONEffect(t *testing.T, tg jsonTarget, v string, ref refJSON, before Objects, a answer, sim *Server) {
	t.Helper()
	idsOf := func(list []any, key string) []int64 {
		var out []int64
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				out = append(out, answer(m).num(key))
			}
		}
		return out
	}
	exists := map[int64]bool{} // servers or channels, whichever is asked for
	for _, s := range before.QChatServers {
		exists[s.ServerID] = tg.param == "serverIds"
	}
	for _, c := range before.QChatChannels {
		exists[c.ChannelID] = tg.param == "channelIds"
	}
	asked := map[int64]bool{}
	for _, id := range ref.ids {
		asked[id] = true
	}
	sameSet := func(got []int64, want map[int64]bool, what string) {
		g := map[int64]bool{}
		for _, id := range got {
			if g[id] {
				t.Fatalf("%s: id %d answered twice", what, id)
			}
			g[id] = true
		}
		if !reflect.DeepEqual(g, want) {
			t.Fatalf("%s=%q: answered ids %v, want %v", tg.param, v, got, want)
		}
	}
	switch tg.param {
	case "roomids":
		got := idsOf(a.list("succRooms"), "roomid")
		for _, e := range a.list("noExistRooms") {
			got = append(got, toInt(e))
		}
		sameSet(got, asked, "getBatch")
	case "serverIds", "channelIds":
		key, list := "serverId", "serverInfos"
		if tg.param == "channelIds" {
			key, list = "channelId", "channelInfos"
		}
		want := map[int64]bool{}
		for id := range asked {
			if exists[id] {
				want[id] = true
			}
		}
		sameSet(idsOf(a.list(list), key), want, tg.ep)
	case "roleids":
		for _, id := range idsOf(a.list("identifies"), "roleId") {
			if !asked[id] {
				t.Fatalf("roleids=%q: answered role %d that was not asked for", v, id)
			}
		}
	case "accids":
		list := a.list("desc.data")
		if tg.ep != "chatroom/queryMembers" {
			list = a.list("members")
		}
		for _, e := range list {
			m, _ := e.(map[string]any)
			if acc, _ := m["accid"].(string); !slices.Contains(ref.strs, acc) {
				t.Fatalf("accids=%q: answered %q that was not asked for", v, acc)
			}
		}
	case "serverIdAccids":
		for _, e := range a.list("serverMembers") {
			m := asAnswer(e)
			p := id(m.num("serverId")) + "|" + m.str("accid")
			if !slices.Contains(ref.strs, p) {
				t.Fatalf("serverIdAccids=%q: answered %q that was not asked for", v, p)
			}
		}
	case "auths":
		if ref.absent {
			return
		}
		var got map[string]int
		if err := json.Unmarshal([]byte(a.str("identify.auths")), &got); err != nil {
			t.Fatalf("answered auths %q: %v", a.str("identify.auths"), err)
		}
		for k, val := range ref.auths {
			if got[strconv.Itoa(k)] != val {
				t.Fatalf("auths=%q: key %d answered %d, want %d", v, k, got[strconv.Itoa(k)], val)
			}
		}
	case "bid":
		if ref.absent {
			return
		}
		rid := a.num("chatroom.roomid")
		for _, r := range sim.Objects().Chatrooms {
			if r.RoomID == rid && r.Bid != v {
				t.Fatalf("bid=%q stored as %q", v, r.Bid)
			}
		}
	}
}

// --- every endpoint, one parameter at a time

// FuzzHandlerValidation takes every registered endpoint's valid base
// request (baseRequests) and changes one of its parameters, both picked by
// index, in one of four ways (mode): 0 replace its value, 1 drop it,
// 2 append a second value (the first wins, so the answer must be the base
// request's), 3 prepend a value (must answer like mode 0). Each answer must
// be a documented code (a 414 naming a parameter), identical on an identical
// world (no dependence on map order), and leave a state that keeps every
// invariant.
func FuzzHandlerValidation(f *testing.F) {
	w := getWorld(f)
	f.Fuzz(func(t *testing.T, endpoint, param uint16, mode uint8, value string) {
		b := baseRequests[int(endpoint)%len(baseRequests)]
		ps := b.params()
		p := ps[int(param)%len(ps)]
		v := w.subst(value)
		form := b.form(w)
		replaced := b.form(w)
		replaced[p] = []string{v}
		switch mode % 4 {
		case 0:
			form = replaced
		case 1:
			delete(form, p)
		case 2:
			form[p] = append(form[p], v)
		case 3:
			form[p] = []string{v, form.Get(p)}
		}
		sim := w.fresh(t)
		r := postForm(t, sim, b.ep, form)
		a := checkAPIReply(t, r)
		if a.code == 414 && !namesAParam(a.desc) {
			t.Fatalf("%s %s: 414 names no parameter: %s", b.ep, p, r.body)
		}
		var want []byte
		switch mode % 4 {
		case 2:
			want = baseAnswer(t, w, b)
		case 3:
			want = postForm(t, w.fresh(t), b.ep, replaced).body
		default:
			sim2 := w.fresh(t)
			want = postForm(t, sim2, b.ep, form).body
			if o1, o2 := sim.Objects(), sim2.Objects(); !reflect.DeepEqual(o1, o2) {
				t.Fatalf("%s %s=%q: the same request left different states", b.ep, p, v)
			}
		}
		if !bytes.Equal(r.body, want) {
			t.Fatalf("%s %s=%q mode %d:\n  answered %s\n  want     %s", b.ep, p, v, mode%4, r.body, want)
		}
		checkInvariants(t, sim)
	})
}

// TestBaseRequestsSucceed: every registered endpoint has exactly one base
// request, and each succeeds on the world (so that fuzzing one parameter
// starts from a request that reaches the handler's deepest checks).
func TestBaseRequestsSucceed(t *testing.T) {
	w := getWorld(t)
	seen := map[string]bool{}
	for _, b := range baseRequests {
		if routes[b.ep] == nil || seen[b.ep] {
			t.Fatalf("base request for %q: unknown or repeated endpoint", b.ep)
		}
		seen[b.ep] = true
		sim := w.fresh(t)
		r := postForm(t, sim, b.ep, b.form(w))
		if a := checkAPIReply(t, r); a.code != 200 {
			t.Errorf("%s base request: %s", b.ep, r.body)
		}
		checkInvariants(t, sim)
	}
	for ep := range routes {
		if !seen[ep] {
			t.Errorf("no base request for %s", ep)
		}
	}
	for _, tg := range jsonTargets {
		if !slices.Contains(baseRequestFor(tg.ep).params(), tg.param) {
			t.Errorf("JSON target %s %s: not a parameter of its base request", tg.ep, tg.param)
		}
	}
}

// TestInvariantsDetect: the invariant checker is not vacuous.
func TestInvariantsDetect(t *testing.T) {
	w := getWorld(t)
	breakers := map[string]func(o *Objects){
		"second @everyone": func(o *Objects) {
			r := o.QChatServerRoles[0]
			r.RoleID = 1
			r.Type = roleTypeEveryone
			r.Priority = 0
			o.QChatServerRoles = append(o.QChatServerRoles, r)
		},
		"channel role of a missing channel": func(o *Objects) { o.QChatChannelRoles[0].ChannelID = 1 },
		"override of a non-member":          func(o *Objects) { o.QChatUserOverrides[0].Accid = "ghost" },
		"duplicate room id":                 func(o *Objects) { o.Chatrooms = append(o.Chatrooms, o.Chatrooms[0]) },
		"invalid UTF-8 stored":              func(o *Objects) { o.Chatrooms[0].Name = "\xff" },
		"list user of a non-member":         func(o *Objects) { o.QChatWhiteBlackUsers[0].Accid = "ghost" },
		"role member of @everyone": func(o *Objects) {
			m := o.QChatRoleMembers[0]
			for _, r := range o.QChatServerRoles {
				if r.Type == roleTypeEveryone && r.ServerID == m.ServerID {
					m.RoleID = r.RoleID
				}
			}
			o.QChatRoleMembers = append(o.QChatRoleMembers, m)
		},
	}
	for name, brk := range breakers {
		o := w.fresh(t).Objects()
		brk(&o)
		if errs := invariantErrors(o, defaultMaxRoles); len(errs) == 0 {
			t.Errorf("%s: not detected", name)
		}
	}
}

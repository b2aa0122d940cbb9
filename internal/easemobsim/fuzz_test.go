package easemobsim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequestParsing sends arbitrary bodies with arbitrary content types
// and methods, with a valid token, to a set of targets on a fresh world (a
// room owned by alice with members bob and carol). Its seed corpus is
// testdata/fuzz/FuzzRequestParsing; plain `go test` runs it. To fuzz:
//
//	go test -run='^$' -fuzz='^FuzzRequestParsing$' -fuzztime=60s ./internal/easemobsim/
//
// The answer must follow the documented order of checks: 500
// unsupported_service_operation for an unknown route, 405 for another
// method, then for routes with a body 415 for a content type that is not
// JSON, 413 beyond 5 KiB, 400 json_parse for a body that is not one JSON
// object; otherwise the handler's documented answer. Always: a JSON object,
// a documented status, the error body on failure, never a handler panic,
// and a request that fails leaves the stored objects unchanged.
func FuzzRequestParsing(f *testing.F) {
	f.Fuzz(func(t *testing.T, target, method uint8, contentType string, body []byte) {
		sim, room, token := fuzzWorld(t)
		tgt := strings.ReplaceAll(fuzzTargets[int(target)%len(fuzzTargets)], "{room}", room)
		m := fuzzMethods[int(method)%len(fuzzMethods)]
		before := sim.Objects()
		req := httptest.NewRequest(m, "/"+DefaultOrg+"/"+DefaultApp+"/"+tgt, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		w := httptest.NewRecorder()
		sim.ServeHTTP(w, req)
		var a map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
			t.Fatalf("%s %s: answer is not a JSON object: %s", m, tgt, w.Body.Bytes())
		}
		if !documentedStatus[w.Code] {
			t.Fatalf("%s %s: undocumented status %d: %s", m, tgt, w.Code, w.Body.Bytes())
		}
		if w.Code != 200 {
			for _, k := range []string{"error", "exception", "timestamp", "duration", "properties", "error_description"} {
				if _, ok := a[k]; !ok {
					t.Fatalf("error body lacks %q: %s", k, w.Body.Bytes())
				}
			}
			if a["error"] == "web_application" && w.Code == 500 {
				t.Fatalf("%s %s: a handler failed: %s", m, tgt, w.Body.Bytes())
			}
			if after := sim.Objects(); !jsonEqual(before, after) {
				t.Fatalf("%s %s failed (%d) but changed state", m, tgt, w.Code)
			}
		} else if _, ok := a["data"]; !ok && tgt != "token" {
			t.Fatalf("200 without data: %s", w.Body.Bytes())
		}
		segs, _ := splitPath(req.URL.EscapedPath())
		rt, _, allowed := match(m, segs[2:])
		switch {
		case rt == nil && len(allowed) == 0:
			must(t, w.Code == 500 && a["error"] == "unsupported_service_operation", "unknown route %s %s: %d %s", m, tgt, w.Code, w.Body.Bytes())
			return
		case rt == nil:
			must(t, w.Code == 405, "wrong method %s %s: %d %s", m, tgt, w.Code, w.Body.Bytes())
			return
		case !rt.body:
			return
		}
		mt, _, _ := strings.Cut(contentType, ";")
		_, perr := parseJSONObject(body)
		switch {
		case !strings.EqualFold(strings.Trim(mt, " \t"), "application/json"):
			must(t, w.Code == 415, "content type %q: %d %s", contentType, w.Code, w.Body.Bytes())
		case len(body) > maxBody:
			must(t, w.Code == 413, "%d-byte body: %d", len(body), w.Code)
		case perr != nil:
			must(t, w.Code == 400 && a["error"] == "json_parse", "body %q: %d %s", body, w.Code, w.Body.Bytes())
		default:
			must(t, a["error"] != "json_parse", "body %q parses, yet: %s", body, w.Body.Bytes())
		}
	})
}

var fuzzTargets = []string{
	"token",
	"chatrooms",
	"chatrooms/{room}",
	"chatrooms/{room}/announcement",
	"chatrooms/{room}/users",
	"chatrooms/{room}/users/bob%2Ccarol",
	"chatrooms/{room}/admin",
	"chatrooms/{room}/blocks/users",
	"chatrooms/{room}/white/users",
	"chatrooms/{room}/mute",
	"chatrooms/super_admin",
	"chatrooms/{room}/ban",
	"chatrooms/{room}/nothing",
	"chatrooms/{room}%2Cnope",
	"users/a%2Fb/joined_chatrooms",
}

var fuzzMethods = []string{http.MethodPost, http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPatch}

var documentedStatus = map[int]bool{200: true, 400: true, 401: true, 403: true, 404: true, 405: true, 413: true, 415: true, 429: true, 500: true}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// fuzzWorld builds a fresh simulator with one room and returns a token.
func fuzzWorld(t *testing.T) (*Server, string, string) {
	sim, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, token, body string) map[string]any {
		req := httptest.NewRequest(method, "/"+DefaultOrg+"/"+DefaultApp+"/"+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		sim.ServeHTTP(w, req)
		var a map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || w.Code != 200 {
			t.Fatalf("world %s %s: %d %s (%v)", method, path, w.Code, w.Body.Bytes(), err)
		}
		return a
	}
	tok, ok := call("POST", "token", "", `{"grant_type":"client_credentials","client_id":"`+DefaultClientID+`","client_secret":"`+DefaultClientSecret+`"}`)["access_token"].(string)
	if !ok {
		t.Fatal("world: no access_token string")
	}
	data, _ := call("POST", "chatrooms", tok, `{"name":"r","description":"d","owner":"alice","members":["bob","carol"]}`)["data"].(map[string]any)
	room, ok := data["id"].(string)
	if !ok {
		t.Fatal("world: no data.id string in the create answer")
	}
	sim.ResetStats()
	return sim, room, tok
}

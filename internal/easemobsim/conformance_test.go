package easemobsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestConformance replays every example request of 002 (all 33, in
// testdata/conformance: the curl line as printed, the request as replayed,
// the objects it needs created first, the documented answer, and the
// repairs) and compares the SHAPE of the answer with the documented one:
// the same keys at every level and the same JSON types. It runs twice: as
// the simulator answers by default, and with Docs002, where it must match
// 002's examples with no exception beyond the garbled ones.
//
// 002's garbled examples and how they are read (each file's "repairs" says
// the same):
//   - Add super admin: the URL has a doubled slash (XXXX//chatrooms).
//   - Super admin list: three ids and count 3 for pagesize=2 (shape only).
//   - Remove super admin: the user is the placeholder XXXX (user1 here).
//   - Get all chatrooms, joined chatrooms, chatroom details: data is shown
//     as one object; it is an array of rooms. By default the simulator
//     answers the array (compared element by element with the object);
//     with Docs002 a one-room answer is the object, as printed.
//   - Set announcement: the request has no body; {"announcement"} is sent.
//   - Members list: the table documents limit/cursor, the example uses
//     pagenum/pagesize; the example's form is replayed.
//   - Add admin and mute: curl -d without a Content-Type header (curl then
//     sends a form type); sent as application/json, the documented header.
//     The mute table calls usernames a String; it is an array.
//   - Batch block: the request JSON lacks the closing "]"; added.
//   - Allow list add/remove: URLs keep placeholder braces ({66XXXX33},
//     {username}, {chatroomid}); the batch add answers two users for a
//     request of one (shape only); the remove's users come from its uri.
//   - Remove mute-all: the answer is cut off by the end of the page; closed.
//
// Answers documented with only {"data": ...} (create, details, update, get
// all, joined) get the full envelope by default: its keys are the
// documented extras below. An array element conforms when it has the shape
// of any documented element (affiliations hold {"owner"} or {"member"};
// per-user results carry "reason" only on failure, as the examples show).
func TestConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/conformance/*.json")
	if err != nil || len(files) != 33 {
		t.Fatalf("want the 33 examples of 002, got %d files (%v)", len(files), err)
	}
	for _, docs := range []bool{false, true} {
		mode := "default"
		if docs {
			mode = "docs002"
		}
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".json")[3:]
			t.Run(mode+"/"+name, func(t *testing.T) {
				t.Parallel()
				replayCase(t, f, name, docs)
			})
		}
	}
}

type step struct {
	Method, Path string
	Body         json.RawMessage
}

type confCase struct {
	step
	Setup  []step
	Answer json.RawMessage
}

func replayCase(t *testing.T, file, name string, docs bool) {
	var cs confCase
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &cs); err != nil {
		t.Fatal(err)
	}
	_, cl := newTestServer(t, Config{Docs002: docs})
	room := ""
	send := func(s step) (int, answer) {
		var body any
		if len(s.Body) > 0 {
			body = []byte(s.Body)
		}
		return cl.do(s.Method, strings.ReplaceAll(s.Path, "{room}", room), body)
	}
	for _, s := range cs.Setup {
		st, a := send(s)
		if st != 200 {
			t.Fatalf("setup %s %s: %d %v", s.Method, s.Path, st, map[string]any(a))
		}
		if s.Method == "POST" && s.Path == "chatrooms" {
			room = a.str("data.id")
			if room == "" {
				room = a.str("data.0.id")
			}
		}
	}
	st, got := send(cs.step)
	if st != 200 {
		t.Fatalf("replay %s %s: %d %v", cs.Method, cs.Path, st, map[string]any(got))
	}
	var want map[string]any
	dec := json.NewDecoder(bytes.NewReader(cs.Answer))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	p := policy(name, docs)
	var diffs []string
	shapeDiff("", want, map[string]any(got), p, &diffs)
	if a, ok := want["action"]; ok && got["action"] != a {
		diffs = append(diffs, fmt.Sprintf("action: documented %v, answered %s", a, got.str("action")))
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		t.Errorf("answer shape differs from 002's example:\n  %s\nanswer: %v", strings.Join(diffs, "\n  "), map[string]any(got))
	}
}

// shapePolicy lists the documented differences of one case.
type shapePolicy struct {
	extra   map[string]bool // keys the simulator answers beyond the example
	arrayOf map[string]bool // paths the example shows as one object of an array
}

var envelopeKeys = []string{"action", "application", "applicationName", "organization", "uri", "entities", "timestamp", "duration"}

func policy(name string, docs bool) shapePolicy {
	p := shapePolicy{extra: map[string]bool{}, arrayOf: map[string]bool{}}
	bare := map[string]bool{"rooms_list": true, "rooms_joined": true, "room_details": true, "room_create": true, "room_update": true}
	if bare[name] && !docs {
		for _, k := range envelopeKeys {
			p.extra[k] = true
		}
		switch name {
		case "rooms_list", "rooms_joined":
			p.extra["count"] = true
			p.arrayOf["data"] = true
		case "room_details":
			p.arrayOf["data"] = true
			p.extra["data[].mute"] = true // the mute-all state, read by the vendor's SDK
		}
	}
	return p
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "bool"
	}
	return "?"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// shapeDiff compares want (documented) with got (answered).
func shapeDiff(path string, want, got any, p shapePolicy, diffs *[]string) {
	wk, gk := jsonKind(want), jsonKind(got)
	if wk == "object" && gk == "array" && p.arrayOf[path] {
		gs, _ := got.([]any) // jsonKind said array
		for _, g := range gs {
			shapeDiff(path+"[]", want, g, p, diffs)
		}
		if len(gs) == 0 {
			*diffs = append(*diffs, path+": empty, cannot check its elements")
		}
		return
	}
	if wk != gk {
		*diffs = append(*diffs, path+": documented "+wk+", answered "+gk)
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any) // same kind as want
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				*diffs = append(*diffs, join(path, k)+": missing")
				continue
			}
			shapeDiff(join(path, k), wv, gv, p, diffs)
		}
		for k := range g {
			if _, ok := w[k]; !ok && !p.extra[join(path, k)] {
				*diffs = append(*diffs, join(path, k)+": not in the documented example")
			}
		}
	case []any:
		g, _ := got.([]any) // same kind as want
		if len(w) == 0 {
			return
		}
		if len(g) == 0 {
			*diffs = append(*diffs, path+": empty, cannot check its elements")
			return
		}
		// Elements may differ in shape (affiliations: {"owner"} or
		// {"member"}; per-user results: "reason" only on failure): an
		// element conforms when it matches one of the documented ones.
	elements:
		for _, gv := range g {
			var first []string
			for i, wv := range w {
				var d []string
				shapeDiff(path+"[]", wv, gv, p, &d)
				if len(d) == 0 {
					continue elements
				}
				if i == 0 {
					first = d
				}
			}
			*diffs = append(*diffs, first...)
		}
	}
}

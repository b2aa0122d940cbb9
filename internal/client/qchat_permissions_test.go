package client

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestPermissionsMarshalIsJSONString(t *testing.T) {
	b, err := json.Marshal(Permissions{2: 1, 1: -1})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `"{\"1\":-1,\"2\":1}"`; got != want {
		t.Errorf("marshal = %s, want %s", got, want)
	}
	if got := (Permissions{10: 1, 2: -1, 1: 0}).String(); got != `{"1":0,"2":-1,"10":1}` {
		t.Errorf("String = %s (keys must be in numeric order)", got)
	}
	if got := (Permissions{}).String(); got != `{}` {
		t.Errorf("empty String = %s", got)
	}
	b, _ = json.Marshal(Permissions(nil))
	if string(b) != "null" {
		t.Errorf("nil marshal = %s", b)
	}
}

func TestPermissionsUnmarshal(t *testing.T) {
	cases := []struct {
		in   string
		want Permissions
	}{
		{`"{\"1\":-1, \"2\":1}"`, Permissions{1: -1, 2: 1}}, // as in the document
		{`"{ \"1\" : \"-1\" , \"13\":\"0\" }"`, Permissions{1: -1, 13: 0}},
		{`" {\" 4 \":1} "`, Permissions{4: 1}},
		{`{"1":1,"26":"-1"}`, Permissions{1: 1, 26: -1}}, // a bare object
		{`""`, Permissions{}},
		{`"{}"`, Permissions{}},
		{`null`, nil},
	}
	for _, tc := range cases {
		var p Permissions
		if err := json.Unmarshal([]byte(tc.in), &p); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(p, tc.want) {
			t.Errorf("%s → %v, want %v", tc.in, p, tc.want)
		}
	}
	for _, bad := range []string{`"{\"x\":1}"`, `"not json"`, `"{\"1\":\"allow\"}"`, `[1,2]`, `7`} {
		var p Permissions
		if err := json.Unmarshal([]byte(bad), &p); err == nil {
			t.Errorf("%s accepted as %v", bad, p)
		}
	}
}

func TestPermissionsRoundTrip(t *testing.T) {
	type role struct {
		Auths Permissions `json:"auths"`
	}
	in := role{Auths: Permissions{1: 1, 2: -1, 4: 0, 13: 1, 26: -1}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	// The wire form holds the object as a string.
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["auths"].(string); !ok {
		t.Fatalf("auths travels as %T, want a JSON string: %s", raw["auths"], b)
	}
	var out role
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip %v → %s → %v", in.Auths, b, out.Auths)
	}
	parsed, err := ParsePermissions(in.Auths.String())
	if err != nil || !reflect.DeepEqual(parsed, in.Auths) {
		t.Errorf("ParsePermissions(String()) = %v, %v", parsed, err)
	}
}

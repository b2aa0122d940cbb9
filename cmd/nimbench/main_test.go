package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteBetweenMarkersKeepsHandWrittenText(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")

	if err := writeBetweenMarkers(path, "first\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "# Benchmarks\n") || !strings.Contains(string(b), "first\n") {
		t.Fatalf("new file:\n%s", b)
	}

	// Text written by hand before and after the markers survives a rerun.
	edited := "intro\n" + string(b) + "analysis\n"
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeBetweenMarkers(path, "second\n"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	got := string(b)
	if strings.Contains(got, "first") || !strings.Contains(got, "second\n") ||
		!strings.HasPrefix(got, "intro\n# Benchmarks\n") || !strings.HasSuffix(got, endMarker+"\nanalysis\n") {
		t.Errorf("after rerun:\n%s", got)
	}
	if n := strings.Count(got, beginMarker); n != 1 {
		t.Errorf("%d begin markers", n)
	}
}

func TestCloneState(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "terraform.tfstate")
	seed := `{"version":4,"serial":3,"resources":[{"mode":"managed","type":"nim_chatroom","name":"r","instances":[
	  {"index_key":0,"schema_version":0,"attributes":{"id":"11","name":"room-0","creator":"c","tags":["room-0","room-01"]},
	  "identity_schema_version":0,"identity":{"room_id":"11","creator":"c"}}]}]}`
	if err := os.WriteFile(path, []byte(seed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := cloneState(path, 3, []string{"", "21", ""}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	var st struct {
		Serial    int `json:"serial"`
		Resources []struct {
			Instances []struct {
				IndexKey   int            `json:"index_key"`
				Attributes map[string]any `json:"attributes"`
				Identity   map[string]any `json:"identity"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	in := st.Resources[0].Instances
	if st.Serial != 4 || len(in) != 3 {
		t.Fatalf("serial %d, %d instances", st.Serial, len(in))
	}
	wantIDs := []string{"11", "21", "nimbench-00000002"}
	for i, inst := range in {
		a := inst.Attributes
		name := "room-" + string(rune('0'+i))
		tags, _ := a["tags"].([]any)
		if inst.IndexKey != i || a["id"] != wantIDs[i] || a["name"] != name || a["creator"] != "c" ||
			len(tags) != 2 || tags[0] != name || tags[1] != "room-01" {
			t.Errorf("instance %d: index %d, attributes %v", i, inst.IndexKey, a)
		}
		// Each clone names its own room, not room 0's; what is not the id stays.
		if id := inst.Identity; len(id) != 2 || id["room_id"] != wantIDs[i] || id["creator"] != "c" {
			t.Errorf("instance %d: identity %v, want room_id %s", i, id, wantIDs[i])
		}
	}
}

func TestMedian(t *testing.T) {
	t.Parallel()
	if got := median([]time.Duration{3, 1, 2}); got != 2 {
		t.Errorf("median of 3 = %d", got)
	}
	if got := median([]int64{4, 1, 3, 2}); got != 2 {
		t.Errorf("median of 4 = %d", got)
	}
}

func TestInclusivePartsKeepsEachProcessOwnLandmarks(t *testing.T) {
	t.Parallel()
	lines := []string{
		"40.00%  0.10%  [.] google.golang.org/grpc.(*Server).handleStream",
		"12.00%  0.20%  [.] github.com/hashicorp/go-hclog.(*intLogger).log",
		"30.00%  0.00%  [.] github.com/hashicorp/terraform/internal/terraform.(*ContextGraphWalker).Execute",
		" 9.00%  0.00%  [.] runtime.gcBgMarkWorker",
	}
	provider := strings.Join(inclusiveParts("terraform-provi", lines), "\n")
	tf := strings.Join(inclusiveParts("terraform", lines), "\n")
	for _, want := range []string{"serving Terraform's gRPC calls", "SDK log lines", "garbage collection"} {
		if !strings.Contains(provider, want) {
			t.Errorf("provider parts lack %q:\n%s", want, provider)
		}
	}
	if strings.Contains(provider, "walking the plan graph") || strings.Contains(tf, "provider:") {
		t.Errorf("a landmark counted in the wrong process:\nprovider:\n%s\nterraform:\n%s", provider, tf)
	}
	if !strings.Contains(tf, "walking the plan graph") || !strings.Contains(tf, "garbage collection") {
		t.Errorf("terraform parts:\n%s", tf)
	}
}

func TestCreateLookupsCountsTheLookupBeforeEachCreate(t *testing.T) {
	t.Parallel()
	r := &report{opts: options{estate: estate{channels: 2, roles: 1, rolesPerChannel: 2}}}
	var b strings.Builder
	r.createLookups(&b)
	if b.Len() != 0 {
		t.Fatalf("no seeding measured, yet:\n%s", b.String())
	}
	r.estateSeed = measurement{calls: 9, endpoints: map[string]int64{
		"qchat/createServer": 1, "qchat/createChannelIdentify": 4, "qchat/getChannelIdentifyPages": 2, "qchat/createChannel": 2,
	}}
	r.createLookups(&b)
	got := b.String()
	for _, want := range []string{
		"made 9 API calls", "| `qchat/createChannelIdentify` | 4 |", "| `qchat/getChannelIdentifyPages` | 2 |",
		"2 `getChannelIdentifyPages` listings for 4 `createChannelIdentify` (0.50 look-up calls per create",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}


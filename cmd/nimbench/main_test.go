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

// applyReport is a report of the apply group on two CLIs with made-up
// measurements: ours at the defaults 1018 calls in 13.3s, at 100/s 1020
// calls in 12.5s, the floor provider no call in 9.4s on Terraform and 3.1s
// on OpenTofu.
func applyReport(t *testing.T) *report {
	t.Helper()
	b := &bench{work: t.TempDir(), clis: []cli{
		{path: "/x/terraform", name: "Terraform v1.15.9"}, {path: "/x/tofu", name: "OpenTofu v1.12.6"},
	}}
	o := options{reps: 2, applyN: 1000, latency: 20 * time.Millisecond, parallelisms: []int{10}}
	g := b.applyGroup(o, nil)
	if len(g.variants) != 8 {
		t.Fatalf("%d apply variants, want 4 per CLI", len(g.variants))
	}
	walls := map[string]time.Duration{
		"Terraform v1.15.9 defaults": 13300 * time.Millisecond, "Terraform v1.15.9 requests_per_second = 100": 12500 * time.Millisecond,
		"Terraform v1.15.9 floor provider": 9400 * time.Millisecond, "Terraform v1.15.9 floor provider paced at 100/s": 11900 * time.Millisecond,
		"OpenTofu v1.12.6 defaults": 12100 * time.Millisecond, "OpenTofu v1.12.6 requests_per_second = 100": 11000 * time.Millisecond,
		"OpenTofu v1.12.6 floor provider": 3100 * time.Millisecond, "OpenTofu v1.12.6 floor provider paced at 100/s": 11000 * time.Millisecond,
	}
	res := groupResult{title: g.title, variants: g.variants, runs: map[string][]measurement{}}
	keys := map[string]bool{}
	for _, v := range g.variants {
		if v.cli == nil || !v.apply {
			t.Fatalf("variant %q has no CLI or is not an apply", v.label)
		}
		keys[v.key()] = true
		wall, ok := walls[v.cli.name+" "+v.label]
		if !ok {
			t.Fatalf("unexpected variant %s %q", v.cli.name, v.label)
		}
		var calls int64 = 1018
		if v.floorProv {
			calls = 0
		} else if v.rps == 100 {
			calls = 1020
		}
		m := measurement{wall: wall, calls: calls, endpoints: map[string]int64{"nimserver/chatroom/create.action": calls}}
		// A second, slower run: the medians lie between the two.
		m2 := m
		m2.wall += 200 * time.Millisecond
		res.runs[v.key()] = []measurement{m, m2}
	}
	if len(keys) != 8 {
		t.Fatalf("variant keys collide: %v", keys)
	}
	return &report{opts: o, machine: describeMachine(b.clis), groups: []groupResult{res}}
}

func TestApplyTableSetsEachCLIAgainstItsOwnFloor(t *testing.T) {
	t.Parallel()
	got := applyReport(t).markdown()
	for _, want := range []string{
		"- versions: ", ", Terraform v1.15.9, OpenTofu v1.12.6 — the refresh rows run on Terraform v1.15.9, the apply rows on each CLI\n",
		"| CLI | provider | API calls | calls per room | wall s (median) |",
		// Ours on each CLI against the API floor of its own calls.
		"| Terraform v1.15.9 | ours, defaults | 1018 | 1.02 | 13.40 | 13.30–13.50 | 10.18 | 1.32 |",
		"| Terraform v1.15.9 | ours, requests_per_second = 100 | 1020 | 1.02 | 12.60 | 12.50–12.70 | 10.20 | 1.24 |",
		"| OpenTofu v1.12.6 | ours, defaults | 1018 | 1.02 | 12.20 | 12.10–12.30 | 10.18 | 1.20 |",
		// The floor provider against the API floor of ours at the defaults.
		"| Terraform v1.15.9 | floor provider (same schemas, no I/O) | 0 | 0.00 | 9.50 | 9.40–9.60 | 10.18 | 0.93 |",
		"| OpenTofu v1.12.6 | floor provider (same schemas, no I/O) | 0 | 0.00 | 3.20 | 3.10–3.30 | 10.18 | 0.31 |",
		"On Terraform v1.15.9, the CLI's own floor: the floor provider applies the same 1000 resources without I/O in 9.50 s (0.93 × the API floor of 10.18 s).",
		"On OpenTofu v1.12.6, the CLI's own floor: the floor provider applies the same 1000 resources without I/O in 3.20 s (0.31 × the API floor of 10.18 s).",
		// Targets, per CLI, with honest verdicts.
		"| Terraform v1.15.9: apply of 1000 chatrooms at the defaults: wall ≤ 1.2 × API floor (calls ÷ 100/s) | 13.40s vs 10.18s = 1.32×; " +
			"the floor provider, no I/O, on the same CLI: 9.50s = 0.93×; paced at 100/s: 12.00s = 1.18× | **missed** by 0.12×",
		"| OpenTofu v1.12.6: apply of 1000 chatrooms at the defaults: wall ≤ 1.2 × API floor (calls ÷ 100/s) | 12.20s vs 10.18s = 1.20×; " +
			"the floor provider, no I/O, on the same CLI: 3.20s = 0.31×; paced at 100/s: 11.10s = 1.09× | met |",
		// The paced floor: the least any provider respecting the limit can take.
		"| Terraform v1.15.9 | floor provider, creates paced at 100/s | 0 | 0.00 | 12.00 | 11.90–12.10 | 10.18 | 1.18 |",
		"With its creates paced at exactly 100/s (never more in any second), it takes 11.10 s (1.09 ×): the least a provider that sends one request per room at the documented limit can take on OpenTofu v1.12.6.",
		"| (reference) Terraform v1.15.9: the floor provider applies the same 1000 chatrooms without I/O, its creates paced at exactly 100/s — the least a provider at the documented limit can take | 2/2 runs succeeded, 12.00s = 1.18× the API floor (10.18s), 0 API calls | — |",
		"| (reference) Terraform v1.15.9: the floor provider applies the same 1000 chatrooms without I/O — the CLI's own floor | 2/2 runs succeeded, 9.50s = 0.93× the API floor (10.18s), 0 API calls | — |",
		"| (reference) OpenTofu v1.12.6: the floor provider applies the same 1000 chatrooms without I/O",
		"| OpenTofu v1.12.6: apply of 1000 chatrooms at rate limit 100/s, requests_per_second = 100: no error, no 416 | 2/2 runs succeeded, 0 answers 416 | met |",
		"| Terraform v1.15.9: apply of 1000 chatrooms, defaults: one call per room created, not two (≤ 1.2) | 1.02 calls per room",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	// The apply rows are in the apply table only, not among the refreshes.
	if n := strings.Count(got, "| chatroom apply |"); n != 0 {
		t.Errorf("%d apply rows in the refresh table:\n%s", n, got)
	}
}

func TestApplyTableShowsAFailedFloorProvider(t *testing.T) {
	t.Parallel()
	r := applyReport(t)
	for _, v := range r.groups[0].variants {
		if v.floorProv && v.floorPace == 0 && v.cli.name == "OpenTofu v1.12.6" {
			delete(r.groups[0].runs, v.key())
		}
	}
	got := r.markdown()
	if !strings.Contains(got, "| OpenTofu v1.12.6 | floor provider (same schemas, no I/O) | failed |") {
		t.Errorf("no failed floor row:\n%s", got)
	}
	if strings.Contains(got, "On OpenTofu v1.12.6, the CLI's own floor") || !strings.Contains(got, "On Terraform v1.15.9, the CLI's own floor") {
		t.Errorf("floor paragraph for a failed floor, or none for the other:\n%s", got)
	}
	if !strings.Contains(got, "| (reference) OpenTofu v1.12.6: the floor provider applies the same 1000 chatrooms without I/O — the CLI's own floor | 0/2 runs succeeded | — |") {
		t.Errorf("reference row of the failed floor:\n%s", got)
	}
}

// TestRSSTargetIsOurs: the 3000-resource RSS target is judged on our runs,
// not on the floor provider's, whose peak is shown beside it.
func TestRSSTargetIsOurs(t *testing.T) {
	t.Parallel()
	mk := func(batching string, floorProv bool) *variant {
		return &variant{scenario: "chatroom refresh", n: 3000, parallelism: 10, batching: batching, floorProv: floorProv, label: batching}
	}
	vs := []*variant{mk("on", false), mk("off", false), mk(noRefreshBatching, false), mk(floorProviderBatching, true)}
	rss := map[string]int64{"on": 140 * 1024, "off": 130 * 1024, noRefreshBatching: 120 * 1024, floorProviderBatching: 400 * 1024}
	res := groupResult{title: "refresh", variants: vs, runs: map[string][]measurement{}}
	for _, v := range vs {
		res.runs[v.key()] = []measurement{{wall: time.Second, rssKiB: rss[v.batching]}}
	}
	got := (&report{opts: options{reps: 1}, groups: []groupResult{res}}).markdown()
	want := "| provider peak RSS at 3000 resources < 150 MiB | 140.0 MiB (largest of our 3000-resource runs); largest with batching on 140.0, off 130.0, `-refresh=false` 120.0; the floor provider's 400.0 | met |"
	if !strings.Contains(got, want) {
		t.Errorf("missing %q in:\n%s", want, got)
	}
}

func TestOverBy(t *testing.T) {
	t.Parallel()
	for d, want := range map[float64]string{0.0013: "0.001", 0.12: "0.12", 0.004: "0.004", 0.005: "0.01"} {
		if got := overBy(d); got != want {
			t.Errorf("overBy(%v) = %q, want %q", d, got, want)
		}
	}
}

package simkit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	var b Bucket
	now := time.Unix(1000, 0)
	for i := range 2 {
		if !b.Take(2, now) {
			t.Fatalf("take %d of a full bucket of 2 refused", i)
		}
	}
	if b.Take(2, now) {
		t.Fatal("a third take in the same instant allowed at 2/s")
	}
	if !b.Take(2, now.Add(500*time.Millisecond)) {
		t.Fatal("no token after half a second at 2/s")
	}
	b.Reset()
	later := now.Add(500 * time.Millisecond)
	for i := range 2 {
		if !b.Take(2, later) {
			t.Fatalf("take %d refused: the bucket is not full after Reset", i)
		}
	}
	if !b.Take(0, now) {
		t.Fatal("rate 0 limits")
	}
}

func TestFaultsRollIsSeeded(t *testing.T) {
	roll := func() string {
		f := NewFaults(7, 1, 2, 0.5, "a", "b")
		var out strings.Builder
		for range 64 {
			out.WriteString(f.Roll() + ",")
		}
		return out.String()
	}
	a, b := roll(), roll()
	if a != b {
		t.Fatalf("two runs of one seed differ:\n%s\n%s", a, b)
	}
	if !strings.Contains(a, "a,") || !strings.Contains(a, "b,") || !strings.Contains(a, ",,") {
		t.Fatalf("64 rolls at 0.5 without each outcome: %s", a)
	}
	f := NewFaults(7, 1, 2, 0.5, "a")
	f.SetRate(3)
	if f.Rate() != 1 {
		t.Fatalf("rate %v, want clamped to 1", f.Rate())
	}
	f.SetRate(-1)
	if got := f.Roll(); got != "" || f.Rate() != 0 {
		t.Fatalf("rate %v rolled %q, want 0 and no fault", f.Rate(), got)
	}
}

type testCounters struct{ Next int }
type testObjects struct{ Names []string }

func TestStateFile(t *testing.T) {
	dir := t.TempDir()
	f := StateFile[testCounters, testObjects]{Name: "testsim", Path: filepath.Join(dir, "state.json")}
	if _, _, found, err := f.Load(); found || err != nil {
		t.Fatalf("no file: found %v, %v", found, err)
	}
	called := false
	if err := (StateFile[testCounters, testObjects]{Name: "testsim"}).Save(func() (testCounters, testObjects) {
		called = true
		return testCounters{}, testObjects{}
	}); err != nil || called {
		t.Fatalf("without a path: %v, state read %v", err, called)
	}
	if err := f.Save(func() (testCounters, testObjects) { return testCounters{3}, testObjects{[]string{"x"}} }); err != nil {
		t.Fatal(err)
	}
	c, o, found, err := f.Load()
	if err != nil || !found || c.Next != 3 || len(o.Names) != 1 || o.Names[0] != "x" {
		t.Fatalf("round trip: %v %v %v %v", c, o, found, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d files in the directory, want the state file alone", len(entries))
	}
	if err := os.WriteFile(f.Path, []byte(`{"version":2}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := f.Load(); err == nil || !strings.Contains(err.Error(), "testsim: state file") || !strings.Contains(err.Error(), "unsupported version 2") {
		t.Fatalf("version 2: %v", err)
	}
	bad := StateFile[testCounters, testObjects]{Name: "testsim", Path: filepath.Join(dir, "missing", "state.json")}
	if err := bad.Save(func() (testCounters, testObjects) { return testCounters{}, testObjects{} }); err == nil || !strings.HasPrefix(err.Error(), "testsim: saving state file: ") {
		t.Fatalf("unwritable: %v", err)
	}
}

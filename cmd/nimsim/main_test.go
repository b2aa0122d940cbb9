package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

func TestRunServesAndStopsOnSignal(t *testing.T) {
	outR, outW := io.Pipe()
	var stderr strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"--listen", "127.0.0.1:0", "--app-key", "K", "--app-secret", "S3CRET",
			"--accounts", "a, b", "--latency", "1ms", "--max-roles", "2"}, outW, &stderr)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	ep, ok := strings.CutPrefix(strings.TrimSpace(line), "endpoint: ")
	if !ok || !strings.HasPrefix(ep, "http://127.0.0.1:") || !strings.HasSuffix(ep, "/nimserver") || strings.HasSuffix(ep, ":0/nimserver") {
		t.Fatalf("first stdout line %q", line)
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }() // keep the simulator's log from blocking it

	post := func(creator string) map[string]any {
		req, _ := http.NewRequest("POST", ep+"/chatroom/create.action",
			strings.NewReader(url.Values{"creator": {creator}, "name": {"r"}}.Encode()))
		cur := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
		req.Header.Set("AppKey", "K")
		req.Header.Set("Nonce", "n1")
		req.Header.Set("CurTime", cur)
		req.Header.Set("CheckSum", nimsim.Checksum("S3CRET", "n1", cur))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("answer of chatroom/create: %v", err)
		}
		return m
	}
	if m := post("a"); m["code"] != float64(200) {
		t.Fatalf("create: %v", m)
	}
	if m := post("ghost"); m["code"] != float64(414) || m["desc"] != "owner not register" {
		t.Fatalf("unregistered creator: %v", m)
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop on SIGINT")
	}
	if s := stderr.String(); !strings.Contains(s, "app key K") || strings.Contains(s, "S3CRET") {
		t.Fatalf("stderr %q", s)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	var out, errb strings.Builder
	if err := run([]string{"--fail-rate", "2"}, &out, &errb); err == nil || out.Len() != 0 {
		t.Fatalf("fail-rate 2: %v %q", err, out.String())
	}
	if err := run([]string{"--nope"}, &out, &errb); err == nil {
		t.Fatal("unknown flag accepted")
	}
}

func TestVersionFlag(t *testing.T) {
	for _, tc := range []struct{ set, want string }{
		{"1.2.3", "nimsim v1.2.3\n"},         // goreleaser's {{.Version}}
		{"v1.2.3", "nimsim v1.2.3\n"},        // a module version
		{"1.3.0-rc1", "nimsim v1.3.0-rc1\n"}, // a prerelease
	} {
		old := version
		version = tc.set
		var out, errb strings.Builder
		err := run([]string{"--version", "--listen", "256.0.0.1:1"}, &out, &errb)
		version = old
		if err != nil || out.String() != tc.want {
			t.Errorf("version %q: %v %q, want %q", tc.set, err, out.String(), tc.want)
		}
	}
	// Without ldflags, the build info names the version; a test binary has none.
	var out strings.Builder
	if err := run([]string{"--version"}, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "nimsim ") {
		t.Fatalf("%v %q", err, out.String())
	}
}

// TestBinary builds nimsim as a release does and checks, on the real
// process, what CI scripts rely on: --version, the health check, and a clean
// exit on SIGTERM that leaves the state file written.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "nimsim")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=9.8.7", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil || string(out) != "nimsim v9.8.7\n" {
		t.Fatalf("--version: %v %q", err, out)
	}

	state := filepath.Join(dir, "state.json")
	cmd := exec.Command(bin, "--listen", "127.0.0.1:0", "--state-file", state)
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }() // the process may have exited already; nothing to do then
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	ep := strings.TrimPrefix(strings.TrimSpace(line), "endpoint: ")
	base := strings.TrimSuffix(ep, "/nimserver")
	resp, err := http.Get(base + "/_sim/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health: %d", resp.StatusCode)
	}

	req, _ := http.NewRequest("POST", ep+"/chatroom/create.action",
		strings.NewReader(url.Values{"creator": {"a"}, "name": {"kept"}}.Encode()))
	cur := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
	req.Header.Set("AppKey", nimsim.DefaultAppKey)
	req.Header.Set("Nonce", "n1")
	req.Header.Set("CurTime", cur)
	req.Header.Set("CheckSum", nimsim.Checksum(nimsim.DefaultAppSecret, "n1", cur))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// The state file is written after each change; remove it to see that the
	// shutdown writes it again.
	if err := os.Remove(state); err != nil {
		t.Fatalf("state file after a change: %v", err)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop on SIGTERM")
	}
	if !strings.Contains(stderr.String(), "nimsim: stopped") {
		t.Fatalf("stderr %q", stderr.String())
	}
	b, err := os.ReadFile(state)
	if err != nil || !strings.Contains(string(b), `"name":"kept"`) {
		t.Fatalf("state file after SIGTERM: %v %s", err, b)
	}
	// The Easemob simulator's state file, beside it, is written on shutdown too.
	if b, err := os.ReadFile(easemobStateFile(state)); err != nil || !strings.Contains(string(b), `"version":1`) {
		t.Fatalf("Easemob state file after SIGTERM: %v %s", err, b)
	}
}

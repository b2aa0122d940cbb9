package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRunServesEasemobBesideNIM(t *testing.T) {
	dir := t.TempDir()
	outR, outW := io.Pipe()
	var stderr strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"--listen", "127.0.0.1:0", "--state-file", dir + "/state.json",
			"--easemob-org", "o1", "--easemob-app", "a1", "--easemob-client-id", "cid", "--easemob-client-secret", "S3CRET-EM",
			"--easemob-users", "alice, Bob", "--easemob-token-ttl", "1h"}, outW, &stderr)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	ep, _ := strings.CutPrefix(strings.TrimSpace(line), "endpoint: ")
	base := strings.TrimSuffix(ep, "/nimserver")
	go func() { _, _ = io.Copy(io.Discard, outR) }() // drains the log; its end is the pipe closing

	call := func(method, path, token, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("%s %s: HTTP %d, undecodable answer: %v", method, path, resp.StatusCode, err)
		}
		return resp.StatusCode, m
	}
	st, tok := call("POST", "/o1/a1/token", "", `{"grant_type":"client_credentials","client_id":"cid","client_secret":"S3CRET-EM"}`)
	if st != 200 || tok["expires_in"] != float64(3600) {
		t.Fatalf("token: HTTP %d, expires_in %v", st, tok["expires_in"]) // the token itself is never printed
	}
	token, ok := tok["access_token"].(string)
	if !ok || token == "" {
		t.Fatal("token: no access_token string in the answer")
	}
	if st, m := call("POST", "/o1/a1/chatrooms", token, `{"name":"n","description":"d","owner":"BOB"}`); st != 200 {
		t.Fatalf("create: %d %v", st, m)
	}
	if st, m := call("POST", "/o1/a1/chatrooms", token, `{"name":"n","description":"d","owner":"carol"}`); st != 404 {
		t.Fatalf("unregistered owner: %d %v", st, m)
	}
	if st, m := call("GET", "/o1/a1/chatrooms", "", ""); st != 401 || m["error"] != "unauthorized" {
		t.Fatalf("no token: %d %v", st, m)
	}
	if st, m := call("GET", "/_sim/easemob/stats", "", ""); st != 200 {
		t.Fatalf("easemob stats: %d %v", st, m)
	} else if reqs, _ := m["requests"].(map[string]any); reqs["POST chatrooms"] != float64(2) {
		t.Fatalf("easemob stats: %d %v", st, m)
	}
	if st, m := call("GET", "/_sim/stats", "", ""); st != 200 || m["total"] != float64(0) {
		t.Fatalf("NIM stats: %d %v", st, m)
	}
	if st, m := call("POST", "/nimserver/chatroom/create.action", "", ""); st != 200 || m["code"] != float64(414) {
		t.Fatalf("NIM still served: %d %v", st, m)
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
	b, err := os.ReadFile(dir + "/state.easemob.json")
	if err != nil || !strings.Contains(string(b), `"owner":"bob"`) || strings.Contains(string(b), token) {
		t.Fatalf("easemob state file: %v %s", err, b)
	}
	if s := stderr.String(); !strings.Contains(s, "/o1/a1/") || strings.Contains(s, "S3CRET-EM") {
		t.Fatalf("stderr %q", s)
	}
}

func TestHelpListsEasemobFlags(t *testing.T) {
	var out, errb strings.Builder
	if err := run([]string{"--help"}, &out, &errb); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v, want flag.ErrHelp", err)
	}
	for _, f := range []string{"-easemob-org", "-easemob-app", "-easemob-client-id", "-easemob-client-secret", "-easemob-users",
		"-easemob-token-ttl", "-easemob-member-idle-leave", "-easemob-docs-002", "/_sim/easemob/clock", "nimsim-client-secret"} {
		if !strings.Contains(errb.String(), f) {
			t.Errorf("--help lacks %s", f)
		}
	}
	if err := run([]string{"--easemob-users", "bad user"}, &out, &errb); err == nil {
		t.Error("a malformed user id accepted")
	}
}

package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
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

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

// TestAnswerShapeSwitches: the answer-shape and feature flags reach Config.
func TestAnswerShapeSwitches(t *testing.T) {
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"--listen", "127.0.0.1:0", "--json-string-answers", "--getbatch-example-fields",
			"--delay-close-disabled"}, outW, io.Discard)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	ep := strings.TrimPrefix(strings.TrimSpace(line), "endpoint: ")
	go func() { _, _ = io.Copy(io.Discard, outR) }() // drains the log; its end is the pipe closing
	post := func(path string, f url.Values) map[string]any {
		req, _ := http.NewRequest("POST", ep+"/"+path+".action", strings.NewReader(f.Encode()))
		cur := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
		req.Header.Set("AppKey", nimsim.DefaultAppKey)
		req.Header.Set("Nonce", "n1")
		req.Header.Set("CurTime", cur)
		req.Header.Set("CheckSum", nimsim.Checksum(nimsim.DefaultAppSecret, "n1", cur))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("%s: HTTP %d, undecodable answer: %v", path, resp.StatusCode, err)
		}
		return m
	}
	// --delay-close-disabled
	if m := post("chatroom/create", url.Values{"creator": {"a"}, "name": {"r"}, "delayClosePolicy": {"1"}, "delaySeconds": {"9"}}); m["code"] != float64(13009) {
		t.Fatalf("timed create: %v", m)
	}
	m := post("chatroom/create", url.Values{"creator": {"a"}, "name": {"r"}})
	created, _ := m["chatroom"].(map[string]any)
	roomID, ok := created["roomid"].(float64)
	if !ok {
		t.Fatalf("create: no numeric chatroom.roomid in %v", m)
	}
	room := strconv.FormatFloat(roomID, 'f', 0, 64)
	// --json-string-answers and --getbatch-example-fields
	m = post("chatroom/getBatch", url.Values{"roomids": {"[" + room + "]"}})
	s, ok := m["succRooms"].(string)
	var rooms []map[string]any
	if !ok || json.Unmarshal([]byte(s), &rooms) != nil || len(rooms) != 1 {
		t.Fatalf("getBatch: %v", m)
	}
	for _, k := range []string{"valid", "creator", "ionotify"} {
		if _, has := rooms[0][k]; has {
			t.Fatalf("getBatch entry has %s: %v", k, rooms[0])
		}
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
}

package easemob

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestRetryTable(t *testing.T) {
	status := func(code int, body string) func(*testing.T, http.ResponseWriter) {
		return func(_ *testing.T, w http.ResponseWriter) { writeJSON(w, code, body) }
	}
	outcomes := map[string]func(*testing.T, http.ResponseWriter){
		"429 reach_limit":       func(t *testing.T, w http.ResponseWriter) { replayStatus(t, w, 429, "error_reach_limit.json") },
		"429 resource_limited":  status(429, `{"error":"resource_limited","error_description":"free edition limit"}`),
		"500 internal":          status(500, `{"error":"web_application","error_description":"boom"}`),
		"500 unsupported route": status(500, `{"error":"unsupported_service_operation","error_description":"no such route"}`),
		"502 no body":           status(502, `<html>bad gateway</html>`),
		"503":                   status(503, `{"error":"service_unavailable"}`),
		"504":                   status(504, ``),
		"lost answer":           dropConnection,
		"400":                   status(400, `{"error":"invalid_parameter","error_description":"name must be provided"}`),
		"403":                   status(403, `{"error":"forbidden_op","error_description":"forbidden operation on group owner!"}`),
		"404":                   func(t *testing.T, w http.ResponseWriter) { replayStatus(t, w, 404, "error_room_not_found.json") },
	}
	const retried, returned, unknown = "retry", "return", "unknown"
	table := []struct {
		outcome string
		want    [3]string // Read, Idempotent, Write
	}{
		{"429 reach_limit", [3]string{retried, retried, retried}},
		{"429 resource_limited", [3]string{returned, returned, returned}},
		{"500 internal", [3]string{retried, retried, unknown}},
		{"500 unsupported route", [3]string{returned, returned, returned}},
		{"502 no body", [3]string{retried, retried, unknown}},
		{"503", [3]string{retried, retried, unknown}},
		{"504", [3]string{retried, retried, unknown}},
		{"lost answer", [3]string{retried, retried, unknown}},
		{"400", [3]string{returned, returned, returned}},
		{"403", [3]string{returned, returned, returned}},
		{"404", [3]string{returned, returned, returned}},
	}
	modes := []CallMode{Read, Idempotent, Write}
	for _, row := range table {
		for i, mode := range modes {
			t.Run(row.outcome+"/"+mode.String(), func(t *testing.T) {
				t.Parallel()
				var n atomic.Int32
				f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
					if n.Add(1) == 1 {
						outcomes[row.outcome](t, w)
						return
					}
					replay(t, w, "announcement_get.json")
				})
				method := map[CallMode]string{Read: http.MethodGet, Idempotent: http.MethodPut, Write: http.MethodPost}[mode]
				_, err := f.c.Call(context.Background(), method, "/chatrooms/1/announcement", nil, map[string]string{"a": "b"}, mode)
				f.assertErrNoLeak(err)
				switch row.want[i] {
				case retried:
					if err != nil || n.Load() != 2 {
						t.Fatalf("err = %v after %d requests, want success on the retry", err, n.Load())
					}
				case returned:
					if err == nil || IsOutcomeUnknown(err) || n.Load() != 1 {
						t.Fatalf("err = %v after %d requests, want the error at once", err, n.Load())
					}
					if !strings.Contains(row.outcome, "lost") && StatusCode(err) == 0 {
						t.Fatalf("err = %v has no HTTP status", err)
					}
				case unknown:
					if !IsOutcomeUnknown(err) || n.Load() != 1 {
						t.Fatalf("err = %v after %d requests, want ErrOutcomeUnknown without a resend", err, n.Load())
					}
				}
			})
		}
	}
}

func TestRetriesExhausted(t *testing.T) {
	var n atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeJSON(w, 503, `{"error":"service_unavailable"}`)
	})
	_, err := f.c.Chatrooms.GetAnnouncement(context.Background(), "1")
	if StatusCode(err) != 503 || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Fatalf("err = %v", err)
	}
	if n.Load() != 4 {
		t.Fatalf("%d requests, want 1 + 3 retries", n.Load())
	}
}

func TestAPIErrorMatchesStatusSentinels(t *testing.T) {
	cases := []struct {
		status int
		is     error
		helper func(error) bool
	}{
		{404, ErrNotFound, IsNotFound},
		{401, ErrUnauthorized, IsUnauthorized},
		{403, ErrForbidden, IsForbidden},
		{400, ErrBadRequest, IsBadRequest},
		{429, ErrRateLimited, IsRateLimited},
	}
	for _, tc := range cases {
		var err error = &APIError{StatusCode: tc.status, Type: "x", Method: "GET", Path: "/chatrooms/1"}
		wrapped := errors.Join(errors.New("context"), err)
		if !errors.Is(wrapped, tc.is) || !tc.helper(wrapped) {
			t.Errorf("HTTP %d does not match %v", tc.status, tc.is)
		}
		for _, other := range cases {
			if other.status != tc.status && errors.Is(err, other.is) {
				t.Errorf("HTTP %d matches %v", tc.status, other.is)
			}
		}
	}
	// Not found is keyed on the status, whatever the error string says.
	if !IsNotFound(&APIError{StatusCode: 404, Type: "service_resource_not_found"}) || IsNotFound(&APIError{StatusCode: 400, Type: "resource_not_found"}) {
		t.Fatal("IsNotFound must follow the HTTP status")
	}
	e := &APIError{StatusCode: 404, Type: "resource_not_found", Description: "grpID 1 does not exist!", Method: "DELETE", Path: "/chatrooms/1"}
	if got, want := e.Error(), "easemob DELETE /chatrooms/1: HTTP 404 resource_not_found: grpID 1 does not exist!"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	good := Config{Host: "https://a1.easemob.com", OrgName: "o", AppName: "a", ClientID: "i", ClientSecret: testSecret}
	bad := map[string]func(*Config){
		"empty host":      func(c *Config) { c.Host = "" },
		"host with path":  func(c *Config) { c.Host = "https://a1.easemob.com/o/a" },
		"ftp host":        func(c *Config) { c.Host = "ftp://a1.easemob.com" },
		"empty secret":    func(c *Config) { c.ClientSecret = " " },
		"org with slash":  func(c *Config) { c.OrgName = "o/x" },
		"empty client id": func(c *Config) { c.ClientID = "" },
	}
	for name, mut := range bad {
		cfg := good
		mut(&cfg)
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		} else if strings.Contains(err.Error(), testSecret) {
			t.Errorf("%s: error shows the secret: %v", name, err)
		}
	}
	c, err := New(good)
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "https://a1.easemob.com/o/a" {
		t.Fatalf("BaseURL = %q", c.BaseURL())
	}
	if _, err := New(good, WithRequestsPerSecond(-1)); err == nil {
		t.Fatal("negative rate accepted")
	}
}

func TestLogLinesPerAttempt(t *testing.T) {
	var n atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, 503, `{"error":"busy"}`)
			return
		}
		replay(t, w, "announcement_get.json")
	})
	if _, err := f.c.Chatrooms.GetAnnouncement(context.Background(), "12XXXX11"); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var attempts []map[string]any
	for i, l := range f.logs {
		if strings.HasPrefix(l, "easemob api attempt") {
			attempts = append(attempts, f.fields[i])
		}
	}
	if len(attempts) != 2 {
		t.Fatalf("logged %d attempts, want 2: %q", len(attempts), f.logs)
	}
	if attempts[0]["http_status"] != 503 || attempts[0]["retry"] != true || attempts[1]["http_status"] != 200 || attempts[1]["path"] != "/chatrooms/12XXXX11/announcement" {
		t.Fatalf("fields = %v", attempts)
	}
	for _, a := range attempts {
		for k := range a {
			if strings.Contains(strings.ToLower(k), "auth") || strings.Contains(strings.ToLower(k), "header") {
				t.Errorf("log field %q", k)
			}
		}
	}
}

package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// TestAPIErrorDetail: each kind of failure says what to do about it.
func TestAPIErrorDetail(t *testing.T) {
	t.Parallel()
	apiErr := func(desc string) error {
		return fmt.Errorf("creating: %w", &client.APIError{Code: 414, Desc: desc, Endpoint: "chatroom/create"})
	}
	for _, tc := range []struct {
		name    string
		err     error
		want    []string
		notWant string
	}{
		{"bad signature", apiErr("checksum"), []string{"signature", "app_secret", "NIM_APP_SECRET", "clock", "API desc: checksum"}, "app_key"},
		{"expired CurTime", apiErr("CurTime is expired"), []string{"signature", "app_secret", "clock"}, ""},
		{"unknown app key", apiErr("appkey"), []string{"no application with this key", "app_key", "NIM_APP_KEY"}, "app_secret"},
		{"other parameter error", apiErr("owner not register"), []string{"documented limits"}, "app_secret"},
		{"interrupted", fmt.Errorf("nim chatroom/create: %w", context.Canceled), []string{"interrupted (Ctrl-C, or the run was cancelled) while it waited on NIM", "context canceled"}, "could not be reached"},
		{"deadline", fmt.Errorf("nim chatroom/create: %w", context.DeadlineExceeded), []string{"did not answer in the time allowed", "request_timeout"}, "could not be reached"},
		{"network", errors.New("dial tcp: connection refused"), []string{"could not be reached", "connection refused"}, ""},
		{"not the API", fmt.Errorf("nim chatroom/get: %w: %w", client.ErrUnexpectedAnswer, errors.New(`HTTP 404 without a JSON code: "404 page not found"`)),
			[]string{"answered, but not as the NIM API does", "endpoint (or NIM_ENDPOINT)", "/nimserver", "HTTP 404"}, "could not be reached"},
		{"rate limit", &client.APIError{Code: 416, Endpoint: "chatroom/create"}, []string{"about 2 minutes", "other clients of the application"}, "lower requests_per_second"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := apiErrorDetail(tc.err)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("the detail has no %q:\n%s", w, got)
				}
			}
			if tc.notWant != "" && strings.Contains(got, tc.notWant) {
				t.Errorf("the detail mentions %q:\n%s", tc.notWant, got)
			}
		})
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("easemob POST /chatrooms: %w", context.Canceled), "interrupted (Ctrl-C, or the run was cancelled) while it waited on Easemob"},
		{fmt.Errorf("easemob POST /chatrooms: %w", context.DeadlineExceeded), "Easemob did not answer in the time allowed"},
		{&easemob.APIError{StatusCode: 400, Method: "POST", Path: "/chatrooms", Type: "illegal_argument"}, "refused the request"},
		{&easemob.APIError{StatusCode: 429, Method: "POST", Path: "/chatrooms", Type: "reach_limit"}, "other clients of the app"},
		{&easemob.APIError{StatusCode: 429, Method: "POST", Path: "/chatrooms", Type: "resource_limited"}, "plan quota was reached"},
	} {
		if got := easemobErrorDetail(tc.err); !strings.Contains(got, tc.want) {
			t.Errorf("easemobErrorDetail(%v) has no %q:\n%s", tc.err, tc.want, got)
		}
	}
}

// TestWrongCredentialsSayWhichOne: the simulator checks the signature as NIM
// does; a wrong secret and a wrong key each get an error naming the
// attribute to fix.
func TestWrongCredentialsSayWhichOne(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	room := `
resource "nim_chatroom" "r" {
  creator = "host"
  name    = "Lobby"
}
`
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"wrong app_secret", fmt.Sprintf("app_secret      = %q", testAppSecret), `app_secret      = "not-the-secret"`, "signature: check app_secret"},
		{"wrong app_key", fmt.Sprintf("app_key         = %q", testAppKey), `app_key         = "not-the-key"`, "no application with this key: check app_key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := env.config(room)
			if !strings.Contains(config, tc.from) {
				t.Fatalf("the test's provider block has no %q:\n%s", tc.from, config)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config: strings.Replace(config, tc.from, tc.to, 1),
					// Terraform wraps the detail at any space.
					ExpectError: regexp.MustCompile(strings.Join(strings.Fields(regexp.QuoteMeta(tc.want)), `\s+`)),
				}},
			})
		})
	}
	if n := len(env.sim.Objects().Chatrooms); n != 0 {
		t.Errorf("%d rooms were created with wrong credentials", n)
	}
}

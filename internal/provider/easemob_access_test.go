package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// accessEnv is one Easemob simulator, private to one test, with every
// request the provider sent recorded, and the provider configuration that
// points at it. Rooms are made out of band: these tests are about what
// lives in a room.
type accessEnv struct {
	sim    *easemobsim.Server
	host   string
	client *easemob.Client // for changes behind Terraform's back

	mu     sync.Mutex
	sent   []accessRequest
	before map[string]func() // "POST chatrooms/{id}/white/users" -> run once before it is served
}

// accessRequest is one API request as the simulator received it.
type accessRequest struct {
	method, path string // path below /{org}/{app}/, unescaped: "chatrooms/1/blocks/users/a,b"
	body         map[string]json.RawMessage
}

func newAccessEnv(t *testing.T, cfg easemobsim.Config) *accessEnv {
	t.Helper()
	sim, err := easemobsim.New(cfg)
	if err != nil {
		t.Fatalf("starting the Easemob simulator: %v", err)
	}
	env := &accessEnv{sim: sim, before: map[string]func(){}}
	prefix := "/" + easemobsim.DefaultOrg + "/" + easemobsim.DefaultApp + "/"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := strings.CutPrefix(r.URL.Path, prefix); ok && p != "token" {
			raw, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(raw))
			req := accessRequest{method: r.Method, path: p}
			_ = json.Unmarshal(raw, &req.body)
			env.mu.Lock()
			env.sent = append(env.sent, req)
			var hook func()
			for k, f := range env.before {
				if routeMatches(k, r.Method, p) {
					hook = f
					delete(env.before, k)
				}
			}
			env.mu.Unlock()
			if hook != nil {
				hook()
			}
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	env.host = srv.URL
	c, err := easemob.New(easemob.Config{
		Host: env.host, OrgName: easemobsim.DefaultOrg, AppName: easemobsim.DefaultApp,
		ClientID: easemobsim.DefaultClientID, ClientSecret: easemobsim.DefaultClientSecret,
	}, easemob.WithRequestsPerSecond(0))
	if err != nil {
		t.Fatalf("client for out-of-band changes: %v", err)
	}
	env.client = c
	return env
}

// routeMatches tells whether a request matches "METHOD pattern", where a
// {name} segment matches any one segment.
func routeMatches(route, method, path string) bool {
	m, pattern, _ := strings.Cut(route, " ")
	ps, segs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if m != method || len(ps) != len(segs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], "{") && ps[i] != segs[i] {
			return false
		}
	}
	return true
}

// beforeRequest runs f once, just before the next request on route is
// served: a change that happens while the provider is applying.
func (e *accessEnv) beforeRequest(route string, f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.before[route] = f
}

// requests returns the requests sent on a route ("POST chatrooms/{id}/admin")
// since the mark.
func (e *accessEnv) requests(since int, route string) []accessRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []accessRequest
	for _, r := range e.sent[since:] {
		if routeMatches(route, r.method, r.path) {
			out = append(out, r)
		}
	}
	return out
}

// mark is the position in the request log that later checks start from.
func (e *accessEnv) mark() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.sent)
}

// writesSince lists the writes (anything but GET) sent since the mark.
func (e *accessEnv) writesSince(since int) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, r := range e.sent[since:] {
		if r.method != http.MethodGet {
			out = append(out, r.method+" "+r.path)
		}
	}
	return out
}

// config prefixes a configuration with a provider that knows only Easemob.
func (e *accessEnv) config(body string) string {
	return fmt.Sprintf(`
provider "nim" {
  max_retries     = 2
  request_timeout = "10s"
  easemob {
    host          = %q
    org_name      = %q
    app_name      = %q
    client_id     = %q
    client_secret = %q
  }
}
%s`, e.host, easemobsim.DefaultOrg, easemobsim.DefaultApp, easemobsim.DefaultClientID, easemobsim.DefaultClientSecret, body)
}

// newRoom creates a room out of band, owned by "owner", with members who
// never leave (given at creation).
func (e *accessEnv) newRoom(t *testing.T, members ...string) string {
	t.Helper()
	res, err := e.client.Chatrooms.Create(context.Background(), &easemob.CreateRequest{
		Name: "lobby", Description: "the lobby", Owner: "owner", Members: members,
	})
	if err != nil {
		t.Fatalf("creating a room: %v", err)
	}
	return res.ID
}

func (e *accessEnv) room(t *testing.T, id string) easemobsim.Room {
	t.Helper()
	for _, r := range e.sim.Objects().Rooms {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("room %s is not in the simulator", id)
	return easemobsim.Room{}
}

// outOfBand runs a change behind Terraform's back, failing the test on error.
func (e *accessEnv) outOfBand(t *testing.T, what string, f func(ctx context.Context, c *easemob.Client) error) {
	t.Helper()
	if err := f(context.Background(), e.client); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// expectUsers checks a list of the simulator's room against want.
func expectUsers(what string, got []string, want ...string) error {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("%s: got %v, want %v", what, got, want)
	}
	return nil
}

func memberNames(r easemobsim.Room) []string {
	var out []string
	for _, m := range r.Members {
		out = append(out, m.User)
	}
	return out
}

// checkRoom asserts on the simulator's copy of a room during a step.
func (e *accessEnv) checkRoom(t *testing.T, id string, check func(easemobsim.Room) error) resource.TestCheckFunc {
	return func(*terraform.State) error { return check(e.room(t, id)) }
}

// expectWrites checks the writes sent since the mark, in any order.
func (e *accessEnv) expectWrites(since *int, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		return expectUsers("writes sent", e.writesSince(*since), want...)
	}
}

// users renders u1..un with a prefix, for sets in configurations and in
// the simulator's registry.
func users(prefix string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("%s%02d", prefix, i))
	}
	return out
}

func hclList(us []string) string {
	q := make([]string, len(us))
	for i, u := range us {
		q[i] = fmt.Sprintf("%q", u)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// unescapedUsers are the users of a comma path segment as sent.
func unescapedUsers(path string) []string {
	last := path[strings.LastIndex(path, "/")+1:]
	if s, err := url.PathUnescape(last); err == nil {
		last = s
	}
	return strings.Split(last, ",")
}

// batchUsers are the users of a request's "usernames" body.
func batchUsers(r accessRequest) []string {
	var us []string
	_ = json.Unmarshal(r.body["usernames"], &us)
	return us
}

// existsError is the refusal of a create that would take over an object.
func existsError(id string) *regexp.Regexp {
	return errorText("already exists", "terraform import ADDRESS "+id, "moved block")
}

// useSimClock makes the provider compare mute expiry with the simulator's
// clock, which the test moves forward with advance. Tests that call it are
// not parallel.
func (e *accessEnv) useSimClock(t *testing.T) {
	e.advance(0)
	t.Cleanup(func() { easemobClockOffset.Store(0) })
}

// advance moves the simulator's clock, and the provider's with it.
func (e *accessEnv) advance(d time.Duration) {
	easemobClockOffset.Store(int64(e.sim.Advance(d).Sub(time.Now())))
}

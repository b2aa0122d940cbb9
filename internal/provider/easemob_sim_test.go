package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// Credentials of the Easemob app the tests' simulators serve.
const (
	testEasemobOrg          = "acc-org"
	testEasemobApp          = "acc-app"
	testEasemobClientID     = "acc-client-id"
	testEasemobClientSecret = "acc-easemob-secret-7a8b9c"
)

// emEnv is one Easemob simulator, private to one test, behind a recording
// and fault-injecting front, and the provider configuration that points at
// it.
type emEnv struct {
	sim    *easemobsim.Server
	host   string
	secret string          // the client secret the simulator accepts
	client *easemob.Client // for changes behind Terraform's back

	mu      sync.Mutex
	sent    []emRequest
	tokens  []string // every token the simulator issued through the front
	faults  []*emFault
	onServe func(method, path string) // called before each API request is served
}

// emRequest is one request the front saw: method and path below /{org}/{app}.
type emRequest struct {
	method, path string
	auth         string // the Authorization header, to look for tokens in logs
	body         []byte // the JSON body, to check what a batch carried
}

// emFault answers the next request matching method and path (a regexp on
// the path below /{org}/{app}) with an HTTP status and error body, or a drop
// before or after the simulator applied it.
type emFault struct {
	method string
	path   *regexp.Regexp
	code   int // an HTTP status, dropBefore or dropAfter
	errTyp string
}

func newEmEnv(t *testing.T, cfg easemobsim.Config) *emEnv {
	t.Helper()
	return newEmEnvWith(t, cfg, testEasemobClientSecret)
}

// newEmEnvWith is newEmEnv with the client secret chosen by the test.
func newEmEnvWith(t *testing.T, cfg easemobsim.Config, secret string) *emEnv {
	t.Helper()
	cfg.Org, cfg.App = testEasemobOrg, testEasemobApp
	cfg.ClientID, cfg.ClientSecret = testEasemobClientID, secret
	sim, err := easemobsim.New(cfg)
	if err != nil {
		t.Fatalf("starting the Easemob simulator: %v", err)
	}
	env := &emEnv{sim: sim, secret: secret}
	prefix := "/" + testEasemobOrg + "/" + testEasemobApp
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, prefix)
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		env.mu.Lock()
		env.sent = append(env.sent, emRequest{method: r.Method, path: p, auth: r.Header.Get("Authorization"), body: body})
		var fault *emFault
		for i, f := range env.faults {
			if f.method == r.Method && f.path.MatchString(p) {
				fault = f
				env.faults = append(env.faults[:i:i], env.faults[i+1:]...)
				break
			}
		}
		hook := env.onServe
		env.mu.Unlock()
		if hook != nil {
			hook(r.Method, p)
		}
		switch {
		case fault != nil && fault.code == dropBefore:
			hangUp(w)
		case fault != nil && fault.code == dropAfter:
			sim.ServeHTTP(httptest.NewRecorder(), r)
			hangUp(w)
		case fault != nil:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(fault.code)
			fmt.Fprintf(w, `{"error":%q,"error_description":"injected by the test"}`, fault.errTyp)
		case p == "/token":
			rec := httptest.NewRecorder()
			sim.ServeHTTP(rec, r)
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			if json.Unmarshal(rec.Body.Bytes(), &tok) == nil && tok.AccessToken != "" {
				env.mu.Lock()
				env.tokens = append(env.tokens, tok.AccessToken)
				env.mu.Unlock()
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = io.Copy(w, bytes.NewReader(rec.Body.Bytes())) // a client that went away gets nothing
		default:
			sim.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	env.host = srv.URL
	c, err := easemob.New(easemob.Config{Host: srv.URL, OrgName: testEasemobOrg, AppName: testEasemobApp,
		ClientID: testEasemobClientID, ClientSecret: secret},
		easemob.WithRequestsPerSecond(0), easemob.WithBatchReads(false))
	if err != nil {
		t.Fatalf("client for out-of-band changes: %v", err)
	}
	env.client = c
	return env
}

// failOnce makes the next request of method to a path matching pattern fail.
func (e *emEnv) failOnce(method, pattern string, code int, errType string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = append(e.faults, &emFault{method: method, path: regexp.MustCompile(pattern), code: code, errTyp: errType})
}

// count returns how many requests of method to a path matching pattern the
// front saw.
func (e *emEnv) count(method, pattern string) int {
	re := regexp.MustCompile(pattern)
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, r := range e.sent {
		if r.method == method && re.MatchString(r.path) {
			n++
		}
	}
	return n
}

// sequence returns every request the front saw, as "METHOD path".
func (e *emEnv) sequence() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, r := range e.sent {
		out = append(out, r.method+" "+r.path)
	}
	return out
}

// issuedTokens returns every token the simulator issued.
func (e *emEnv) issuedTokens() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.tokens...)
}

// block is the provider's easemob block pointing at the simulator.
func (e *emEnv) block() string {
	return fmt.Sprintf(`
  easemob {
    host          = %q
    org_name      = %q
    app_name      = %q
    client_id     = %q
    client_secret = %q
  }`, e.host, testEasemobOrg, testEasemobApp, testEasemobClientID, e.secret)
}

// config prefixes a test configuration with a provider block that
// configures Easemob only.
func (e *emEnv) config(body string) string {
	return fmt.Sprintf(`
provider "nim" {
  max_retries     = 3
  request_timeout = "10s"
%s
}
%s`, e.block(), body)
}

// rooms returns the simulator's rooms.
func (e *emEnv) rooms() []easemobsim.Room { return e.sim.Objects().Rooms }

func (e *emEnv) room(id string) (easemobsim.Room, bool) {
	for _, r := range e.rooms() {
		if r.ID == id {
			return r, true
		}
	}
	return easemobsim.Room{}, false
}

// checkRoom asserts on the simulator's copy of the room whose id addr holds.
func (e *emEnv) checkRoom(addr string, check func(r easemobsim.Room) error) resource.TestCheckFunc {
	return checkSimObject(addr, "id", "Easemob room", e.room, check)
}

// checkNoRooms is a CheckDestroy: destroy deleted every room.
func (e *emEnv) checkNoRooms(*terraform.State) error {
	if rooms := e.rooms(); len(rooms) != 0 {
		return fmt.Errorf("%d Easemob rooms left after destroy: %+v", len(rooms), rooms)
	}
	return nil
}

// outOfBand runs a change behind Terraform's back, failing the test on error.
func (e *emEnv) outOfBand(t *testing.T, what string, f func(ctx context.Context, c *easemob.Client) error) func() {
	return func() {
		t.Helper()
		if err := f(context.Background(), e.client); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

// expectNoAPICalls checks that bad input failed before reaching the API:
// not even a token was requested.
func (e *emEnv) expectNoAPICalls(t *testing.T) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.sent) != 0 {
		t.Errorf("expected no Easemob request, the front saw %d: %+v", len(e.sent), e.sent)
	}
}

package provider

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// TestMain makes sure terraform-plugin-testing uses the cached Terraform CLI
// and never downloads one: tests must run offline.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if p := cachedTerraform(); p != "" {
			os.Setenv("TF_ACC_TERRAFORM_PATH", p)
		} else {
			fmt.Fprintln(os.Stderr, "No Terraform CLI found: set TF_ACC_TERRAFORM_PATH, or run `make test`, "+
				"which builds Terraform once into ~/.cache/nimtf-tools.")
			os.Exit(1)
		}
	}
	os.Setenv("CHECKPOINT_DISABLE", "1")
	code := m.Run()
	cleanupProviderBinary()
	os.Exit(code)
}

// cachedTerraform is the newest Terraform that `make test` builds (its
// TERRAFORM_LATEST), else the one on PATH.
func cachedTerraform() string {
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, ".cache", "nimtf-tools", "terraform-1.15.9", "terraform")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("terraform"); err == nil {
		return p
	}
	return ""
}

// testProviders serves the provider in-process: no provider is downloaded.
var testProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"nim": providerserver.NewProtocol6WithError(New("test")()),
}

// simEnv is one simulator, private to one test, and the provider
// configuration that points at it.
type simEnv struct {
	sim      *nimsim.Server
	endpoint string
	client   *client.Client

	mu       sync.Mutex
	sent     []sentRequest  // every API request the simulator received
	failNext map[string]int // endpoint -> what its next request gets (an API code, or a drop)
	failFrom map[string]failRule
}

// failRule answers every request to an endpoint after the first pass ones
// with an API code.
type failRule struct{ pass, code int }

// failAfter lets the first pass requests to endpoint through and answers
// all later ones with code.
func (e *simEnv) failAfter(endpoint string, pass, code int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failFrom == nil {
		e.failFrom = map[string]failRule{}
	}
	e.failFrom[endpoint] = failRule{pass: pass, code: code}
}

// Drops that failOnce can inject instead of an API code: the connection is
// closed without an answer, before or after the simulator applied the request.
const (
	dropBefore = -1
	dropAfter  = -2
)

// failOnce makes the next request to endpoint fail: with an API error code
// (answered before the request reaches the simulator), or with dropBefore or
// dropAfter.
func (e *simEnv) failOnce(endpoint string, code int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failNext == nil {
		e.failNext = map[string]int{}
	}
	e.failNext[endpoint] = code
}

// hangUp closes the client's connection without an answer.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// Aborting the handler loses the answer as well (net/http closes
		// the connection, or resets an HTTP/2 stream).
		panic(http.ErrAbortHandler)
	}
	if conn, _, err := hj.Hijack(); err == nil {
		conn.Close()
	}
}

// sentRequest is one request as the simulator received it, so tests can
// assert what the provider sent, not only what it stored.
type sentRequest struct {
	endpoint string // e.g. "qchat/updateServerIdentify"
	form     url.Values
	checksum string // the CheckSum header, so tests can look for it in logs
}

const (
	testAppKey    = "acc-test-key"
	testAppSecret = "acc-test-secret-0d1e2f"
)

func newSimEnv(t *testing.T, cfg nimsim.Config) *simEnv {
	t.Helper()
	return newSimEnvWith(t, cfg, testAppKey, testAppSecret)
}

// newSimEnvWith is newSimEnv with the app's credentials chosen by the test.
func newSimEnvWith(t *testing.T, cfg nimsim.Config, appKey, appSecret string) *simEnv {
	t.Helper()
	cfg.AppKey, cfg.AppSecret = appKey, appSecret
	sim, err := nimsim.New(cfg)
	if err != nil {
		t.Fatalf("starting simulator: %v", err)
	}
	env := &simEnv{sim: sim}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		endpoint := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/nimserver/"), ".action")
		env.mu.Lock()
		code, fail := env.failNext[endpoint]
		delete(env.failNext, endpoint)
		if rule, ok := env.failFrom[endpoint]; ok && !fail {
			seen := 0
			for _, r := range env.sent {
				if r.endpoint == endpoint {
					seen++
				}
			}
			code, fail = rule.code, seen >= rule.pass
		}
		if form, err := url.ParseQuery(string(body)); err == nil && strings.HasPrefix(r.URL.Path, "/nimserver/") {
			env.sent = append(env.sent, sentRequest{endpoint: endpoint, form: form, checksum: r.Header.Get("CheckSum")})
		}
		env.mu.Unlock()
		switch {
		case fail && code == dropBefore:
			hangUp(w)
		case fail && code == dropAfter:
			sim.ServeHTTP(httptest.NewRecorder(), r)
			hangUp(w)
		case fail:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			fmt.Fprintf(w, `{"code":%d,"desc":"injected by the test"}`, code)
		default:
			sim.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	env.endpoint = srv.URL + "/nimserver"
	c, err := client.New(appKey, appSecret, client.WithEndpoint(env.endpoint), client.WithRequestsPerSecond(0))
	if err != nil {
		t.Fatalf("client for out-of-band changes: %v", err)
	}
	env.client = c
	return env
}

// requests returns the forms of every request sent to one endpoint.
func (e *simEnv) requests(endpoint string) []url.Values {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []url.Values
	for _, r := range e.sent {
		if r.endpoint == endpoint {
			out = append(out, r.form)
		}
	}
	return out
}

// config prefixes a test configuration with the provider block.
func (e *simEnv) config(body string) string {
	return fmt.Sprintf(`
provider "nim" {
  endpoint        = %q
  app_key         = %q
  app_secret      = %q
  max_retries     = 3
  request_timeout = "10s"
}
%s`, e.endpoint, testAppKey, testAppSecret, body)
}

// outOfBand runs a change behind Terraform's back, failing the test on error.
func (e *simEnv) outOfBand(t *testing.T, what string, f func(ctx context.Context, c *client.Client) error) func() {
	return func() {
		t.Helper()
		if err := f(context.Background(), e.client); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

// expectNoAPICalls checks that bad input failed before reaching the API.
func (e *simEnv) expectNoAPICalls(t *testing.T) {
	t.Helper()
	if st := e.sim.Stats(); st.Total != 0 {
		t.Errorf("expected no API request, the simulator counted %d: %v", st.Total, st.Requests)
	}
}

// Not parallel: the subtests clear the credential environment variables.
func TestProviderConfigErrors(t *testing.T) {
	env := newSimEnv(t, nimsim.Config{})
	cases := []struct {
		name   string
		config string
		err    string
	}{
		{"missing credentials", `provider "nim" {
  endpoint = "` + env.endpoint + `"
}
resource "nim_chatroom" "x" {
  creator = "a"
  name    = "b"
}`, `(?s)NIM is not configured.*app_key and app_secret.*NIM_APP_KEY\s+and\s+NIM_APP_SECRET`},
		{"incomplete credentials", `provider "nim" {
  endpoint = "` + env.endpoint + `"
  app_key  = "k"
}
resource "nim_chatroom" "x" {
  creator = "a"
  name    = "b"
}`, `(?s)Incomplete NIM credentials.*NIM_APP_SECRET`},
		{"plain http to a remote host", `provider "nim" {
  endpoint   = "http://api.example.com/nimserver"
  app_key    = "k"
  app_secret = "s"
}
resource "nim_chatroom" "x" {
  creator = "a"
  name    = "b"
}`, `(?s)endpoint.*plain http to a non-loopback\s+host`},
		{"bad duration", `provider "nim" {
  endpoint        = "` + env.endpoint + `"
  app_key         = "k"
  app_secret      = "s"
  request_timeout = "soon"
}
resource "nim_chatroom" "x" {
  creator = "a"
  name    = "b"
}`, `(?s)request_timeout.*positive Go duration`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvAppKey, "")
			t.Setenv(EnvAppSecret, "")
			for _, s := range easemobSettings {
				t.Setenv(s.env, "")
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      tc.config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.err),
				}},
			})
		})
	}
	env.expectNoAPICalls(t)
}

func TestCheckEndpoint(t *testing.T) {
	t.Parallel()
	for raw, ok := range map[string]bool{
		"https://api.netease.im/nimserver": true,
		"http://127.0.0.1:9300/nimserver":  true,
		"http://localhost:9300/nimserver":  true,
		"http://[::1]:9300/nimserver":      true,
		"http://10.0.0.5/nimserver":        false,
		"http://api.netease.im/nimserver":  false,
		"ftp://127.0.0.1/nimserver":        false,
		"api.netease.im/nimserver":         false,
		"https:///nimserver":               false,
	} {
		if err := checkEndpoint(raw); (err == nil) != ok {
			t.Errorf("checkEndpoint(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}

func TestCheckEasemobHost(t *testing.T) {
	t.Parallel()
	for raw, ok := range map[string]bool{
		"https://a1.easemob.com":         true,
		"https://a1-sgp.easemob.com/":    true,
		"http://127.0.0.1:9300":          true,
		"http://localhost:9300":          true,
		"http://[::1]:9300":              true,
		"http://a1.easemob.com":          false,
		"https://a1.easemob.com/org/app": false,
		"https://a1.easemob.com?x=1":     false,
		"https://u:p@a1.easemob.com":     false,
		"ftp://127.0.0.1":                false,
		"a1.easemob.com":                 false,
	} {
		if err := checkEasemobHost(raw); (err == nil) != ok {
			t.Errorf("checkEasemobHost(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}

// Every resource and data source of a vendor that is not configured fails
// with exactly one diagnostic, which names the block attributes and the
// environment variables; with both vendors configured none fails.
func TestVendorNotConfiguredIsOneDiagnostic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nim, err := client.New("k", "s")
	if err != nil {
		t.Fatal(err)
	}
	em, err := easemob.New(easemob.Config{Host: "https://a1.easemob.com", OrgName: "o", AppName: "a", ClientID: "i", ClientSecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	want := func(typeName string) (summary string, mentions []string) {
		if strings.Contains(typeName, "nim_easemob_") {
			return "Easemob is not configured", []string{"easemob block", "host", "client_secret", EnvEasemobHost, EnvEasemobClientSecret}
		}
		return "NIM is not configured", []string{"app_key", "app_secret", EnvAppKey, EnvAppSecret}
	}
	check := func(typeName string, diags diag.Diagnostics, configured bool) {
		t.Helper()
		if configured {
			if diags.HasError() {
				t.Errorf("%s with both vendors configured: %v", typeName, diags)
			}
			return
		}
		summary, mentions := want(typeName)
		if len(diags) != 1 || diags[0].Summary() != summary {
			t.Errorf("%s: want one diagnostic %q, got %d: %v", typeName, summary, len(diags), diags)
			return
		}
		for _, m := range mentions {
			if !strings.Contains(diags[0].Detail(), m) {
				t.Errorf("%s: the diagnostic does not name %s: %s", typeName, m, diags[0].Detail())
			}
		}
	}
	p := New("test")()
	for _, newResource := range p.Resources(ctx) {
		for _, data := range []*providerData{{}, {nim: nim, easemob: em}} {
			r := newResource()
			var md fwresource.MetadataResponse
			r.Metadata(ctx, fwresource.MetadataRequest{ProviderTypeName: "nim"}, &md)
			var resp fwresource.ConfigureResponse
			rc, ok := r.(fwresource.ResourceWithConfigure)
			if !ok {
				t.Errorf("%s has no Configure", md.TypeName)
				continue
			}
			rc.Configure(ctx, fwresource.ConfigureRequest{ProviderData: data}, &resp)
			check(md.TypeName, resp.Diagnostics, data.nim != nil)
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		for _, data := range []*providerData{{}, {nim: nim, easemob: em}} {
			d := newDataSource()
			var md datasource.MetadataResponse
			d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "nim"}, &md)
			var resp datasource.ConfigureResponse
			dc, ok := d.(datasource.DataSourceWithConfigure)
			if !ok {
				t.Errorf("data %s has no Configure", md.TypeName)
				continue
			}
			dc.Configure(ctx, datasource.ConfigureRequest{ProviderData: data}, &resp)
			check("data "+md.TypeName, resp.Diagnostics, data.nim != nil)
		}
	}
}

// clearCredentialEnv unsets every credential variable for the test.
func clearCredentialEnv(t *testing.T) {
	t.Setenv(EnvAppKey, "")
	t.Setenv(EnvAppSecret, "")
	t.Setenv(EnvEndpoint, "")
	for _, s := range easemobSettings {
		t.Setenv(s.env, "")
	}
}

// Not parallel: the subtests set the credential environment variables.
func TestProviderVendorConfiguration(t *testing.T) {
	nimEnv := newSimEnv(t, nimsim.Config{})
	em := newEmEnv(t, easemobsim.Config{})
	emRoom := emRoomConfig("  name = \"n\"\n  description = \"d\"\n  owner = \"alice\"\n")
	nimRoom := roomConfig("  creator = \"a\"\n  name = \"b\"\n")
	notConfigured := `(?s)Easemob is not configured.*easemob\s+block.*EASEMOB_HOST.*EASEMOB_CLIENT_SECRET`
	cases := []struct{ name, config, err string }{
		{"Easemob resource with only NIM configured", nimEnv.config(emRoom), notConfigured},
		{"Easemob data source with only NIM configured", nimEnv.config(`data "nim_easemob_chatrooms" "x" {}`), notConfigured},
		{"NIM resource with only Easemob configured", em.config(nimRoom), `(?s)NIM is not configured.*NIM_APP_KEY`},
		{"incomplete easemob block", `provider "nim" {
  easemob {
    host     = "` + em.host + `"
    org_name = "o"
  }
}
` + emRoom, `(?s)Incomplete Easemob configuration.*Missing: app_name \(EASEMOB_APP_NAME\), client_id\s+\(EASEMOB_CLIENT_ID\), client_secret \(EASEMOB_CLIENT_SECRET\)`},
		{"plain http to a remote Easemob host", strings.Replace(em.config(emRoom), em.host, "http://a1.easemob.com", 1),
			`(?s)Invalid Easemob host.*plain http to a non-loopback\s+host`},
		{"Easemob host with a path", strings.Replace(em.config(emRoom), em.host, "https://a1.easemob.com/org/app", 1),
			`(?s)Invalid Easemob host.*scheme and host only`},
		{"org name with a slash", strings.Replace(em.config(emRoom), testEasemobOrg, "a/b", 1),
			`(?s)org_name.*without '/'`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearCredentialEnv(t)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      tc.config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.err),
				}},
			})
		})
	}
	nimEnv.expectNoAPICalls(t)
	em.expectNoAPICalls(t)

	t.Run("Easemob alone from the environment, without NIM credentials", func(t *testing.T) {
		clearCredentialEnv(t)
		t.Setenv(EnvEasemobHost, em.host)
		t.Setenv(EnvEasemobOrgName, testEasemobOrg)
		t.Setenv(EnvEasemobAppName, testEasemobApp)
		t.Setenv(EnvEasemobClientID, testEasemobClientID)
		t.Setenv(EnvEasemobClientSecret, testEasemobClientSecret)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviders,
			CheckDestroy:             em.checkNoRooms,
			Steps: []resource.TestStep{{
				Config: `provider "nim" {}` + "\n" + emRoom,
				Check: em.checkRoom(emRoomAddr, func(r easemobsim.Room) error {
					return expectEmRoom(r, easemobsim.Room{Name: "n", Description: "d", Owner: "alice", MaxUsers: 1000})
				}),
			}},
		})
	})
	t.Run("NIM alone, without Easemob settings", func(t *testing.T) {
		clearCredentialEnv(t)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviders,
			Steps: []resource.TestStep{{
				Config: nimEnv.config(`data "nim_chatroom" "x" { id = "1" }`),
				// The NIM client is configured and asks the API: the room does not exist.
				ExpectError: regexp.MustCompile(`Chatroom not found`),
			}},
		})
	})
}

package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// Several pipelines applying at the same time share one application's rate
// limit. These tests run real terraform applies side by side against one
// simulator that enforces NIM's documented limit: 100 requests per second
// per app, a 416 above it, and the refused endpoint blocked for 10 s. Every
// apply must succeed, exactly the rooms asked for must exist, and the next
// plan of every workspace must be empty.
//
// Room counts: two workspaces of 300 rooms at requests_per_second = 100 (the
// case that failed when a 416 was retried a few times within 3 s), three of
// 150 at the default ceiling; each runs in well under two minutes. All the
// workspaces use one creator, so that their snapshot listings and lost-answer
// lookups see each other's rooms. Beside them the application's own servers
// send a spike once the applies create, then 80 requests/s, so that the
// applies meet refusals even where Terraform itself is slow: each test
// asserts, from the provider's debug log, that they did.

func TestConcurrentAppliesAtTheDocumentedLimit(t *testing.T) {
	t.Parallel()
	runConcurrentApplies(t, 2, 300, "requests_per_second = 100")
}

func TestConcurrentAppliesAtTheDefaults(t *testing.T) {
	t.Parallel()
	runConcurrentApplies(t, 3, 150, "")
}

// appTraffic plays the application's own servers: once the applies have
// started creating, a spike of 150 listings at once (which empties the app's
// bucket and blocks chatroom/queryUserRoomIds, the endpoint of the applies'
// snapshots, for 10 s; the refused ones are not sent again), then about
// perSecond through a client with the provider's rate control, at most 20
// at a time, until ctx ends. It returns how many were answered.
func appTraffic(ctx context.Context, sim *simEnv, perSecond int) int {
	spiky, err := client.New(testAppKey, testAppSecret, client.WithEndpoint(sim.endpoint),
		client.WithRequestsPerSecond(0), client.WithRefusalBudget(0))
	if err != nil {
		panic(err)
	}
	steady, err := client.New(testAppKey, testAppSecret, client.WithEndpoint(sim.endpoint),
		client.WithRequestsPerSecond(float64(perSecond)))
	if err != nil {
		panic(err)
	}
	for len(sim.requests("chatroom/create")) == 0 {
		select {
		case <-ctx.Done():
			return 0
		case <-time.After(50 * time.Millisecond):
		}
	}
	var answered atomic.Int64
	var wg sync.WaitGroup
	// Call, not ListIDsByCreator, which would share listings.
	list := func(c *client.Client) {
		form := url.Values{"creator": {"app-servers"}}
		if err := c.Call(ctx, "chatroom/queryUserRoomIds", form, client.Read, nil); err == nil {
			answered.Add(1)
		}
	}
	for i := 0; i < 150; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			list(spiky)
		}()
	}
	slots := make(chan struct{}, 20)
	// A tenth of a second's worth at a time: timers are late on a busy
	// machine, and the traffic must not fall short of what is asked.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for ctx.Err() == nil {
		for i := 0; i < perSecond/10; i++ {
			select {
			case slots <- struct{}{}:
			default:
				continue // the app's servers wait too
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-slots }()
				list(steady)
			}()
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	wg.Wait()
	return int(answered.Load())
}

// workspace is one terraform working directory aimed at a shared simulator.
type workspace struct {
	dir    string
	env    []string
	output bytes.Buffer
}

func newWorkspace(t *testing.T, sim *simEnv, config string) *workspace {
	t.Helper()
	bin := providerBinary(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/nimtf/nim" = %q
  }
  direct {}
}
`, bin)), 0o600); err != nil {
		t.Fatal(err)
	}
	main := "terraform {\n  required_providers {\n    nim = { source = \"nimtf/nim\" }\n  }\n}\n" + config
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	return &workspace{dir: dir, env: append(os.Environ(),
		// The provider's debug log holds one line per API attempt, with
		// its code: the test counts the refusals each apply met.
		"TF_LOG_PROVIDER=DEBUG",
		"TF_LOG_PATH="+filepath.Join(dir, "provider.log"),
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"NIM_ENDPOINT="+sim.endpoint,
		"NIM_APP_KEY="+testAppKey,
		"NIM_APP_SECRET="+testAppSecret,
	)}
}

// refusals counts the rate-limit refusals in the provider's log.
func (w *workspace) refusals(t *testing.T) int {
	b, err := os.ReadFile(filepath.Join(w.dir, "provider.log"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "nim api attempt") && strings.Contains(line, "code=416") {
			n++
		}
	}
	return n
}

func (w *workspace) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	cmd.Stdout = &w.output
	cmd.Stderr = &w.output
	return cmd
}

func runConcurrentApplies(t *testing.T, workspaces, rooms int, providerSettings string) {
	sim := newSimEnv(t, nimsim.Config{RateLimit: 100, Block: 10 * time.Second})
	want := map[string]bool{}
	ws := make([]*workspace, workspaces)
	for k := range ws {
		ws[k] = newWorkspace(t, sim, fmt.Sprintf(`
provider "nim" {
  %s
}

resource "nim_chatroom" "r" {
  count   = %d
  creator = "pipeline"
  name    = "w%d-${count.index}"
}
`, providerSettings, rooms, k))
		for i := 0; i < rooms; i++ {
			want[fmt.Sprintf("w%d-%d", k, i)] = true
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	trafficCtx, stopTraffic := context.WithCancel(ctx)
	traffic := make(chan int, 1)
	go func() { traffic <- appTraffic(trafficCtx, sim, 80) }()

	start := time.Now()
	errs := make([]error, len(ws))
	took := make([]time.Duration, len(ws))
	var wg sync.WaitGroup
	for k, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[k] = w.command(ctx, "apply", "-input=false", "-auto-approve", "-no-color").Run()
			took[k] = time.Since(start)
		}()
	}
	wg.Wait()
	stopTraffic()
	appAnswered := <-traffic
	stats := sim.sim.Stats()
	t.Logf("%d applies of %d rooms: done after %v; %d API requests (queryUserRoomIds %d incl. the app's own, create %d), %d answered 416; the app's own requests answered: %d",
		workspaces, rooms, took, stats.Total, stats.Requests["chatroom/queryUserRoomIds"], stats.Requests["chatroom/create"], stats.RateLimited, appAnswered)
	refused := make([]int, len(ws))
	total := 0
	for k, w := range ws {
		refused[k] = w.refusals(t)
		total += refused[k]
	}
	t.Logf("refusals met by each apply: %v", refused)
	if total == 0 {
		t.Errorf("no apply met a refusal: they did not reach the shared limit, so the test proves nothing")
	}
	for k, err := range errs {
		if err != nil {
			t.Errorf("apply of workspace %d failed: %v\n%s", k, err, tail(ws[k].output.String()))
		}
	}

	// Exactly the rooms asked for: none missing, none twice.
	names := map[string]int{}
	for _, r := range sim.rooms() {
		names[r.Name]++
	}
	var missing, twice, extra []string
	for name := range want {
		switch names[name] {
		case 0:
			missing = append(missing, name)
		case 1:
		default:
			twice = append(twice, name)
		}
	}
	for name := range names {
		if !want[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(missing)
	sort.Strings(twice)
	if len(missing)+len(twice)+len(extra) > 0 || len(sim.rooms()) != len(want) {
		t.Errorf("%d rooms for %d asked: missing %v, more than once %v, not asked %v", len(sim.rooms()), len(want), missing, twice, extra)
	}

	// The next plans find nothing to do.
	for k, w := range ws {
		err := w.command(ctx, "plan", "-input=false", "-no-color", "-detailed-exitcode").Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &exit) && exit.ExitCode() == 2:
			t.Errorf("workspace %d: the plan after the apply has changes:\n%s", k, tail(w.output.String()))
		default:
			t.Errorf("workspace %d: plan failed: %v\n%s", k, err, tail(w.output.String()))
		}
	}
	if t.Failed() {
		return
	}
}

// TestInterruptDuringRateLimitBlock interrupts an apply while the provider
// waits out the 10 s block that follows a 416: terraform must stop at once,
// and the state must hold the room already created.
func TestInterruptDuringRateLimitBlock(t *testing.T) {
	t.Parallel()
	c := newCLIEnv(t, testAppSecret, `
resource "nim_chatroom" "first" {
  creator = "host"
  name    = "First"
}

resource "nim_chatroom" "second" {
  creator    = "host"
  name       = "Second"
  depends_on = [nim_chatroom.first]
}
`)
	// The first create goes through; every later one is refused for the
	// rate limit, which the provider waits out for 10 s each time.
	c.failAfter("chatroom/create", 1, 416)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := c.command(ctx, "apply", "-input=false", "-auto-approve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for len(c.requests("chatroom/create")) < 2 { // the second room's create, refused
		if ctx.Err() != nil {
			t.Fatalf("the second create was not sent:\n%s", c.output.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // well inside the 10 s pause
	if n := len(c.requests("chatroom/create")); n != 2 {
		t.Errorf("%d creates sent, want 2: the refused one must wait out the block", n)
	}
	interrupted := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	took := time.Since(interrupted)
	t.Logf("terraform exited %v after the interrupt (%v)", took.Round(time.Millisecond), err)
	if took > 2*time.Second {
		t.Errorf("terraform took %v to stop after the interrupt, want at most 2s", took)
	}
	if err == nil {
		t.Errorf("the interrupted apply reported success")
	}
	rooms := c.rooms()
	state, _ := os.ReadFile(filepath.Join(c.dir, "terraform.tfstate"))
	if len(rooms) != 1 || !strings.Contains(string(state), fmt.Sprintf(`"id": "%d"`, rooms[0].ID)) {
		t.Errorf("the state does not hold the created room %+v:\n%s", rooms, state)
	}
}

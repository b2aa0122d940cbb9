package provider

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// Some promises can only be checked with the real provider binary under the
// real Terraform CLI, as a user runs them: what ends up in logs and state,
// and how an interrupt is handled. These tests build the provider once and
// run terraform with a dev_overrides CLI configuration.

var (
	providerBinOnce sync.Once
	providerBinDir  string
	providerBinErr  error
)

func providerBinary(t *testing.T) string {
	t.Helper()
	providerBinOnce.Do(func() {
		// One binary serves every test of the run, so its directory
		// outlives the test that builds it: TestMain removes it.
		providerBinDir, providerBinErr = os.MkdirTemp("", "nim-provider-bin-") //nolint:usetesting // shared by all tests, see above
		if providerBinErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(providerBinDir, "terraform-provider-nim"), "../..").CombinedOutput()
		if err != nil {
			providerBinErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if providerBinErr != nil {
		t.Fatal(providerBinErr)
	}
	return providerBinDir
}

func cleanupProviderBinary() {
	if providerBinDir != "" {
		os.RemoveAll(providerBinDir)
	}
}

// cliEnv is a working directory in which the terraform CLI runs against a
// private simulator with the given app secret.
type cliEnv struct {
	*simEnv
	dir    string
	env    []string
	output bytes.Buffer // everything terraform printed, across commands
}

func newCLIEnv(t *testing.T, secret, config string) *cliEnv {
	t.Helper()
	return newCLIEnvWith(t, secret, config, nimsim.Config{})
}

// newCLIEnvWith is newCLIEnv with a simulator configured by the test.
func newCLIEnvWith(t *testing.T, secret, config string, cfg nimsim.Config) *cliEnv {
	t.Helper()
	bin := providerBinary(t)
	sim := newSimEnvWith(t, cfg, testAppKey, secret)
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraformrc")
	// The address without a host is the CLI's own default registry's:
	// Terraform's or OpenTofu's, whichever runs the test.
	if err := os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "nimtf/nim" = %q
  }
  direct {}
}
`, bin)), 0o600); err != nil {
		t.Fatal(err)
	}
	main := `terraform {
  required_providers {
    nim = { source = "nimtf/nim" }
  }
}
` + config
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	return &cliEnv{simEnv: sim, dir: dir, env: append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"NIM_ENDPOINT="+sim.endpoint,
		"NIM_APP_KEY="+testAppKey,
		"NIM_APP_SECRET="+secret,
	)}
}

// command prepares a terraform command in the working directory.
func (c *cliEnv) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir = c.dir
	cmd.Env = c.env
	cmd.Stdout = &c.output
	cmd.Stderr = &c.output
	return cmd
}

func (c *cliEnv) run(t *testing.T, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := c.command(ctx, args...).Run(); err != nil {
		t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, c.output.String())
	}
}

func randomHex(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// TestSecretsNeverLeak runs plan, apply and import with TF_LOG=TRACE and
// distinctive secrets of both vendors, then looks for the NIM app secret,
// every CheckSum the simulator received, the Easemob client secret and every
// Easemob token issued in everything Terraform and the provider wrote. The
// secrets come from the environment, or from the provider block.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	for _, fromConfig := range []bool{false, true} {
		t.Run(fmt.Sprintf("in configuration %v", fromConfig), func(t *testing.T) {
			t.Parallel()
			testSecretsNeverLeak(t, fromConfig)
		})
	}
}

func testSecretsNeverLeak(t *testing.T, fromConfig bool) {
	secret := "nim-secret-" + randomHex(t, 12)
	emSecret := "easemob-secret-" + randomHex(t, 12)
	em := newEmEnvWith(t, easemobsim.Config{}, emSecret)
	setting := ""
	if fromConfig {
		setting = fmt.Sprintf("app_secret = %q\n", secret) + em.block()
	}
	c := newCLIEnv(t, secret, `
provider "nim" {
  max_retries = 2
  `+setting+`
}

resource "nim_easemob_chatroom" "hall" {
  name         = "Hall"
  description  = "Main hall"
  owner        = "host"
  announcement = "Welcome"
  mute_all     = true
}

resource "nim_easemob_chatroom" "imported" {
  name        = "Made elsewhere"
  description = "d"
  owner       = "other"
}

data "nim_easemob_chatrooms" "all" {
  depends_on = [nim_easemob_chatroom.hall]
}

resource "nim_easemob_chatroom_member" "ann" {
  room_id  = nim_easemob_chatroom.hall.id
  username = "ann"
}

resource "nim_easemob_chatroom_admins" "hall" {
  room_id    = nim_easemob_chatroom.hall.id
  usernames  = ["ann"]
  depends_on = [nim_easemob_chatroom_member.ann]
}

resource "nim_easemob_chatroom_mute" "ann" {
  room_id    = nim_easemob_chatroom.hall.id
  username   = "ann"
  depends_on = [nim_easemob_chatroom_member.ann]
}

resource "nim_easemob_super_admin" "ops" {
  username = "ops01"
}

resource "nim_chatroom" "lobby" {
  creator = "host"
  name    = "Lobby"
}

resource "nim_qchat_server" "guild" {
  owner = "boss"
  name  = "Guild"
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
  permissions {
    kick_member = "allow"
  }
}

resource "nim_chatroom" "imported" {
  creator = "other"
  name    = "Made elsewhere"
}
`)
	logPath := filepath.Join(c.dir, "terraform-trace.log")
	c.env = append(c.env, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	if fromConfig {
		c.env = append(c.env, "NIM_APP_SECRET=", EnvEasemobClientSecret+"=") // only the provider block knows them
	} else {
		c.env = append(c.env, EnvEasemobHost+"="+em.host, EnvEasemobOrgName+"="+testEasemobOrg,
			EnvEasemobAppName+"="+testEasemobApp, EnvEasemobClientID+"="+testEasemobClientID,
			EnvEasemobClientSecret+"="+emSecret)
	}

	// A room made outside Terraform, to import.
	room, err := c.client.Chatrooms.Create(context.Background(), createRoomRequest("other", "Made elsewhere"))
	if err != nil {
		t.Fatal(err)
	}
	emRoom, err := em.client.Chatrooms.Create(context.Background(),
		&easemob.CreateRequest{Name: "Made elsewhere", Description: "d", Owner: "other"})
	if err != nil {
		t.Fatal(err)
	}
	c.run(t, "plan", "-input=false")
	c.run(t, "import", "-input=false", "nim_chatroom.imported", itoa(room.ID))
	c.run(t, "import", "-input=false", "nim_easemob_chatroom.imported", emRoom.ID)
	c.run(t, "apply", "-input=false", "-auto-approve")
	c.run(t, "plan", "-input=false", "-detailed-exitcode")

	// Where a leak could be: everything printed, the trace log, the state
	// and its backup, and any crash log.
	places := map[string]string{"terraform output": c.output.String()}
	for _, name := range []string{"terraform-trace.log", "terraform.tfstate", "terraform.tfstate.backup", "crash.log"} {
		if b, err := os.ReadFile(filepath.Join(c.dir, name)); err == nil {
			places[name] = string(b)
		}
	}
	if len(places["terraform-trace.log"]) < 10000 || !strings.Contains(places["terraform-trace.log"], "chatroom/create") {
		t.Fatalf("the trace log is missing or does not show the provider's API calls (%d bytes): the test would prove nothing",
			len(places["terraform-trace.log"]))
	}
	if !strings.Contains(places["terraform.tfstate"], "nim_chatroom") || !strings.Contains(places["terraform.tfstate"], "nim_easemob_chatroom") {
		t.Fatal("no state of both vendors was written")
	}
	if !strings.Contains(places["terraform-trace.log"], "/chatrooms") {
		t.Fatal("the trace log does not show the provider's Easemob calls: the test would prove nothing")
	}
	tokens := em.issuedTokens()
	if len(tokens) < 4 { // one per terraform command that used Easemob, and the test's own
		t.Fatalf("only %d Easemob tokens were issued", len(tokens))
	}
	c.mu.Lock()
	var checksums []string
	for _, r := range c.sent {
		if r.checksum != "" {
			checksums = append(checksums, r.checksum)
		}
	}
	c.mu.Unlock()
	if len(checksums) < 10 {
		t.Fatalf("only %d signed requests were seen", len(checksums))
	}
	for place, text := range places {
		if strings.Contains(text, secret) {
			t.Errorf("the app secret appears in %s", place)
		}
		if strings.Contains(text, emSecret) {
			t.Errorf("the Easemob client secret appears in %s", place)
		}
		for _, tok := range tokens {
			if strings.Contains(text, tok) {
				t.Errorf("an Easemob token (%s...) appears in %s", tok[:6], place)
				break
			}
		}
		for _, sum := range checksums {
			if strings.Contains(text, sum) {
				t.Errorf("a CheckSum (%s...) appears in %s", sum[:8], place)
				break
			}
		}
	}
}

// TestInterruptDuringRetries interrupts an apply while the provider is
// backing off from a busy API: the provider must stop at once, and the state
// must hold the room that was already created.
func TestInterruptDuringRetries(t *testing.T) {
	t.Parallel()
	c := newCLIEnv(t, testAppSecret, `
provider "nim" {
  max_retries = 20
}

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
	// The first create goes through; every later one is refused as busy
	// (503), which the client retries with growing backoff.
	c.failAfter("chatroom/create", 1, 503)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := c.command(ctx, "apply", "-input=false", "-auto-approve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for len(c.requests("chatroom/create")) < 4 { // the second room's create, retried twice
		if ctx.Err() != nil {
			t.Fatalf("the second create was not retried:\n%s", c.output.String())
		}
		time.Sleep(20 * time.Millisecond)
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
	state, err := os.ReadFile(filepath.Join(c.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatalf("no state after the interrupt: %v", err)
	}
	rooms := c.rooms()
	if len(rooms) != 1 || !strings.Contains(string(state), fmt.Sprintf(`"id": "%d"`, rooms[0].ID)) {
		t.Errorf("the state does not hold the created room %+v:\n%s", rooms, state)
	}
}

func createRoomRequest(creator, name string) *client.CreateChatroomRequest {
	return &client.CreateChatroomRequest{Creator: creator, Name: name}
}

// TestProviderLogsWhenAsked runs the provider binary, which quiets its
// loggers when nothing asks for logs (internal/pluginserve), under TF_LOG=TRACE
// and TF_LOG_PROVIDER=DEBUG: the SDK's, the framework's and the provider's
// own lines must still reach Terraform's log.
func TestProviderLogsWhenAsked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  string
		want []string
	}{
		{"TF_LOG=TRACE", []string{"@module=sdk.proto", "@module=sdk.framework", "@module=nim", "chatroom/queryUserRoomIds"}},
		{"TF_LOG_PROVIDER=DEBUG", []string{"@module=nim", "chatroom/queryUserRoomIds"}},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Parallel()
			c := newCLIEnv(t, testAppSecret, `
resource "nim_chatroom" "r" {
  creator = "host"
  name    = "Logged"
}
`)
			logPath := filepath.Join(c.dir, "terraform.log")
			c.env = append(c.env, tc.env, "TF_LOG_PATH="+logPath)
			c.run(t, "apply", "-input=false", "-auto-approve")
			b, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("%s: the log (%d bytes) has no %q", tc.env, len(b), w)
				}
			}
			// An attempt's duration reads as a duration, not as nanoseconds.
			if !regexp.MustCompile(`nim api attempt: .*duration="?[0-9.]+(ns|µs|ms|s)\b`).Match(b) {
				t.Errorf("%s: no API attempt line with a readable duration in the log", tc.env)
			}
		})
	}
}

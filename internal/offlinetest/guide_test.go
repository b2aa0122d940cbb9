package offlinetest

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
	"gopkg.in/yaml.v3"
)

const (
	modulePath = "github.com/nimtf/terraform-provider-nim"
	// The address the guide and the workflow use; the test swaps in a free
	// port so that it can run beside other work on the same machine.
	guideAddr = "127.0.0.1:9300"
	// The provider version the local provider mirror offers.
	mirrorVersion = "0.0.1"
)

// easemobRoomsCreated matches nimsim's Easemob stats (GET
// /_sim/easemob/stats) once a room was created.
var easemobRoomsCreated = regexp.MustCompile(`"POST chatrooms":[1-9]`)

// guideSnippets are the guide's shell blocks in the order a reader runs
// them; they share one shell, as in a terminal.
var guideSnippets = []string{"install.sh", "start.sh", "env.sh", "test.sh", "faults.sh", "stop.sh"}

// TestGuideCommands runs every shell block of the guide in a copy of the
// example module, the way a reader would: install nimsim with go install,
// start it, export the environment, run terraform test (plainly and with
// faults), and stop it.
func TestGuideCommands(t *testing.T) {
	e := newEnv(t)
	var script strings.Builder
	// Not part of the guide: stop a nimsim left running by a failed step.
	script.WriteString("set -euo pipefail\ntrap 'kill \"${nimsim_pid:-}\" 2>/dev/null || true' EXIT\n")
	for _, name := range guideSnippets {
		b, err := os.ReadFile(filepath.Join(e.root, "examples/guides/offline-testing", name))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&script, "echo '==> %s'\n%s\n", name, e.localize(string(b)))
	}
	out := e.bash(t, script.String(), e.environ(nil))
	if !strings.Contains(out, "nimsim "+e.version+"\n") {
		t.Errorf("nimsim --version did not report %s", e.version)
	}
	if n := strings.Count(out, "Success!"); n != 2 {
		t.Errorf("expected two successful terraform test runs, saw %d", n)
	}
	if !strings.Contains(out, `"faults":{"`) {
		t.Errorf("the stats after the faulty run show no injected fault")
	}
	// Both suites created the module's Easemob room through nimsim.
	if !easemobRoomsCreated.MatchString(out) {
		t.Errorf("the Easemob stats show no room created")
	}
	b, err := os.ReadFile(filepath.Join(e.work, "nimsim-state.json"))
	if err != nil || !strings.Contains(string(b), `"version":1`) {
		t.Errorf("state file after stop: %v %.200s", err, b)
	}
	if _, err := os.Stat(filepath.Join(e.work, "nimsim-state.easemob.json")); err != nil {
		t.Errorf("Easemob state file after stop: %v", err)
	}
}

// workflow is the part of a GitHub Actions workflow the test runs.
type workflow struct {
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		Env   map[string]string `yaml:"env"`
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			If   string            `yaml:"if"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestGitHubActionsWorkflow runs the example workflow's steps as the runner
// would: each `run` step in its own bash -eo pipefail, with the workflow's
// env, $GITHUB_ENV and $RUNNER_TEMP, later steps skipped after a failure
// unless they say `if: always()`. The `uses` steps are provided by the test
// itself (the checkout is a copy of the module; Go and Terraform are on
// PATH).
func TestGitHubActionsWorkflow(t *testing.T) {
	e := newEnv(t)
	b, err := os.ReadFile(filepath.Join(e.root, "examples/ci/github-actions.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatal(err)
	}
	if len(wf.Jobs) != 1 {
		t.Fatalf("expected one job, got %d", len(wf.Jobs))
	}
	ghEnv := filepath.Join(t.TempDir(), "github_env")
	runnerTemp := t.TempDir()
	provided := map[string]bool{}
	var all strings.Builder
	for _, job := range wf.Jobs {
		failed := false
		ran := 0
		for i, st := range job.Steps {
			if st.Uses != "" {
				action, _, _ := strings.Cut(st.Uses, "@")
				switch action {
				case "actions/checkout", "actions/setup-go", "hashicorp/setup-terraform":
					provided[action] = true
				default:
					t.Fatalf("step %d uses %s, which the test cannot provide", i, st.Uses)
				}
				continue
			}
			if failed && st.If != "always()" {
				continue
			}
			if st.If != "" && st.If != "always()" {
				t.Fatalf("step %q: condition %q not understood by the test", st.Name, st.If)
			}
			vars := map[string]string{"GITHUB_ENV": ghEnv, "RUNNER_TEMP": runnerTemp, "CI": "true", "GITHUB_ACTIONS": "true"}
			for _, m := range []map[string]string{wf.Env, job.Env, st.Env} {
				for k, v := range m {
					vars[k] = e.localize(v)
				}
			}
			for k, v := range readGitHubEnv(t, ghEnv) {
				vars[k] = v
			}
			t.Logf("step %q", st.Name)
			out, err := e.tryBash("set -eo pipefail\n"+e.localize(st.Run), e.environ(vars))
			t.Logf("%s", out)
			all.WriteString(out)
			ran++
			if err != nil {
				t.Errorf("step %q: %v", st.Name, err)
				failed = true
			}
		}
		if ran < 5 {
			t.Errorf("only %d run steps ran", ran)
		}
	}
	// Not part of the workflow (a runner is thrown away): stop a nimsim left
	// running by a failed step.
	if pid := readGitHubEnv(t, ghEnv)["NIMSIM_PID"]; pid != "" {
		_ = exec.Command("kill", pid).Run() // best effort: it may have stopped already
	}
	if !strings.Contains(all.String(), "Success!") {
		t.Error("no terraform test run reported success")
	}
	if !easemobRoomsCreated.MatchString(all.String()) {
		t.Error("the Easemob stats printed at the end show no room created")
	}
	if len(provided) != 3 {
		t.Errorf("the workflow no longer checks out, sets up Go and Terraform: %v", provided)
	}
	b, err = os.ReadFile(filepath.Join(runnerTemp, "nimsim.log"))
	if err != nil || !strings.Contains(string(b), "nimsim: stopped") {
		t.Errorf("nimsim did not stop cleanly: %v %s", err, b)
	}
	if _, err := os.Stat(filepath.Join(runnerTemp, "nimsim-state.json")); err != nil {
		t.Errorf("no state file: %v", err)
	}
}

func readGitHubEnv(t *testing.T, path string) map[string]string {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

// env is what both tests share: a copy of the example module to work in, a
// module proxy serving this checkout as nimsim's latest release, a
// provider mirror holding the provider built from it, and a free address.
type env struct {
	root, work, gobin, proxy, cliConfig, addr, terraform string
	// version is what the local module proxy serves as the latest
	// version; `nimsim --version` must report it. It is unique to the run:
	// the module cache never changes a version once downloaded.
	version string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	tf := os.Getenv("NIM_GUIDE_TERRAFORM")
	if tf == "" {
		t.Skip("NIM_GUIDE_TERRAFORM (a Terraform CLI) is not set; make module-test sets it")
	}
	for _, tool := range []string{"go", "curl", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed: %v", tool, err)
		}
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{root: root, work: t.TempDir(), gobin: t.TempDir(), proxy: t.TempDir(), terraform: tf,
		version: fmt.Sprintf("v0.0.0-offlinetest.%d", time.Now().UnixNano())}
	if err := os.CopyFS(e.work, os.DirFS(filepath.Join(root, "examples/modules/community"))); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(e.work, ".terraform"))
	os.Remove(filepath.Join(e.work, ".terraform.lock.hcl"))
	e.writeProxy(t)

	// The provider as `terraform init` would download it, from a local
	// mirror: the guide and the workflow run init as users do.
	mirror := t.TempDir()
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(mirror, host, "nimtf/nim", mirrorVersion, runtime.GOOS+"_"+runtime.GOARCH)
		build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-nim_v"+mirrorVersion), ".")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building the provider: %v\n%s", err, out)
		}
	}
	e.cliConfig = filepath.Join(t.TempDir(), "cli.tfrc")
	rc := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)
	if err := os.WriteFile(e.cliConfig, []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr = ln.Addr().String()
	ln.Close()
	return e
}

// writeProxy lays out a file-based module proxy (GOPROXY=file://...) whose
// only version of this module is e.version, zipped from the files of this
// checkout that git tracks or would track, so that `go install
// .../cmd/nimsim@latest` in the guide builds the code under test.
func (e *env) writeProxy(t *testing.T) {
	t.Helper()
	ls := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = e.root
	out, err := ls.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	var files []modzip.File
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		info, err := os.Lstat(filepath.Join(e.root, name))
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the work tree, or not a plain file
		}
		files = append(files, zipFile{root: e.root, name: filepath.ToSlash(name), info: info})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path() < files[j].Path() })
	// Leave nothing of this made-up version in the module cache.
	if cache := goEnv("GOMODCACHE"); cache != "" {
		t.Cleanup(func() {
			for _, p := range []string{
				filepath.Join(cache, modulePath+"@"+e.version),
				filepath.Join(cache, "cache/download", modulePath, "@v", e.version+".info"),
				filepath.Join(cache, "cache/download", modulePath, "@v", e.version+".mod"),
				filepath.Join(cache, "cache/download", modulePath, "@v", e.version+".zip"),
				filepath.Join(cache, "cache/download", modulePath, "@v", e.version+".ziphash"),
				filepath.Join(cache, "cache/download", modulePath, "@v", e.version+".lock"),
			} {
				// Best effort, like the RemoveAll it prepares: the walk
				// function never fails, and a directory left read-only
				// only makes RemoveAll leave it.
				_ = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
					if err == nil && d.IsDir() {
						_ = os.Chmod(q, 0o755) // the module cache is read-only
					}
					return nil
				})
				os.RemoveAll(p)
			}
			list := filepath.Join(cache, "cache/download", modulePath, "@v", "list")
			if b, err := os.ReadFile(list); err == nil {
				if rest := strings.ReplaceAll(string(b), e.version+"\n", ""); rest != "" {
					if err := os.WriteFile(list, []byte(rest), 0o644); err != nil {
						t.Logf("module cache list %s still names %s: %v", list, e.version, err)
					}
				} else {
					os.Remove(list)
				}
			}
			// Directories this run created, if nothing else is in them
			// (os.Remove leaves a directory that is not empty).
			for _, d := range []string{
				filepath.Join(cache, "cache/download", modulePath, "@v"),
				filepath.Join(cache, "cache/download", modulePath),
				filepath.Join(cache, "cache/download", filepath.Dir(modulePath)),
				filepath.Join(cache, filepath.Dir(modulePath)),
			} {
				os.Remove(d)
			}
		})
	}
	dir := filepath.Join(e.proxy, modulePath, "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var zb bytes.Buffer
	if err := modzip.Create(&zb, module.Version{Path: modulePath, Version: e.version}, files); err != nil {
		t.Fatalf("module zip: %v", err)
	}
	gomod, err := os.ReadFile(filepath.Join(e.root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"list":              []byte(e.version + "\n"),
		e.version + ".info": fmt.Appendf(nil, `{"Version":%q,"Time":%q}`, e.version, time.Now().UTC().Format(time.RFC3339)),
		e.version + ".mod":  gomod,
		e.version + ".zip":  zb.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type zipFile struct {
	root, name string
	info       fs.FileInfo
}

func (f zipFile) Path() string                 { return f.name }
func (f zipFile) Lstat() (fs.FileInfo, error)  { return f.info, nil }
func (f zipFile) Open() (io.ReadCloser, error) { return os.Open(filepath.Join(f.root, f.name)) }

// localize moves the guide's fixed address to the test's free one.
func (e *env) localize(s string) string { return strings.ReplaceAll(s, guideAddr, e.addr) }

// environ is the process environment of a step: the test's own, with the
// installed nimsim and Terraform first on PATH, Go's module fetches served
// by the local proxy first, providers installed from the local mirror, and
// vars.
func (e *env) environ(vars map[string]string) []string {
	goproxy := "file://" + filepath.ToSlash(e.proxy)
	if p := goEnv("GOPROXY"); p != "" && p != "off" {
		goproxy += "," + p
	}
	base := map[string]string{
		"PATH":               e.gobin + string(os.PathListSeparator) + filepath.Dir(e.terraform) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"GOBIN":              e.gobin,
		"GOPROXY":            goproxy,
		"GONOSUMDB":          modulePath, // the local version has no checksum database entry
		"GOFLAGS":            "",
		"TF_CLI_CONFIG_FILE": e.cliConfig,
		"CHECKPOINT_DISABLE": "1",
		"HOME":               os.Getenv("HOME"),
	}
	for k, v := range vars {
		base[k] = v
	}
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		// The vendors' settings come from the guide or the workflow only.
		if _, ok := base[k]; !ok && !strings.HasPrefix(k, "NIM_") && !strings.HasPrefix(k, "EASEMOB_") && !strings.HasPrefix(k, "TF_") {
			out = append(out, kv)
		}
	}
	for k, v := range base {
		out = append(out, k+"="+v)
	}
	return out
}

func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func (e *env) tryBash(script string, environ []string) (string, error) {
	cmd := exec.Command("bash", "--noprofile", "--norc", "-c", script)
	cmd.Dir = e.work
	cmd.Env = environ
	// A background process still holding the output must not hang the test.
	cmd.WaitDelay = 30 * time.Second
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (e *env) bash(t *testing.T, script string, environ []string) string {
	t.Helper()
	out, err := e.tryBash(script, environ)
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the guide's commands failed: %v", err)
	}
	return out
}

// TestGuideShowsOnlyTestedCommands checks that the guide's commands are
// the files the other tests run: every shell block is one of them,
// included in the order they run, and the workflow is the tested file.
func TestGuideShowsOnlyTestedCommands(t *testing.T) {
	b, err := os.ReadFile("../../templates/guides/offline-testing.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(b)
	for _, fence := range []string{"```shell", "```sh\n", "```bash", "```console", "```yaml"} {
		if strings.Contains(guide, fence) {
			t.Errorf("the guide has an inline %s block: put its commands in a file the tests run", fence)
		}
	}
	var included []string
	for _, line := range strings.Split(guide, "\n") {
		if rest, ok := strings.CutPrefix(line, `{{ codefile "shell" "examples/guides/offline-testing/`); ok {
			name, _, _ := strings.Cut(rest, `"`)
			included = append(included, name)
		}
	}
	if strings.Join(included, " ") != strings.Join(guideSnippets, " ") {
		t.Errorf("the guide shows %v; the test runs %v", included, guideSnippets)
	}
	if !strings.Contains(guide, `{{ codefile "yaml" "examples/ci/github-actions.yml" }}`) {
		t.Error("the guide no longer shows the tested workflow file")
	}
}

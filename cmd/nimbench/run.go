package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// sim is a running nimsim process.
type sim struct {
	cmd      *exec.Cmd
	endpoint string // http://127.0.0.1:PORT/nimserver
	done     chan struct{}
}

// startSim starts nimsim on a free loopback port and waits for the
// "endpoint: ..." line it prints.
func startSim(bin, logPath string, args ...string) (*sim, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"--listen", "127.0.0.1:0"}, args...)...)
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &sim{cmd: cmd, done: make(chan struct{})}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if ep, ok := strings.CutPrefix(sc.Text(), "endpoint: "); ok {
				lines <- ep
			}
		}
	}()
	go func() { _ = cmd.Wait(); logf.Close(); close(s.done) }()
	select {
	case s.endpoint = <-lines:
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("nimsim exited before reporting its endpoint (see %s)", logPath)
	case <-time.After(30 * time.Second):
		s.stop()
		return nil, errors.New("nimsim did not report its endpoint within 30s")
	}
}

func (s *sim) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// simStats is the part of GET /_sim/stats the bench uses.
type simStats struct {
	Total       int64            `json:"total"`
	Requests    map[string]int64 `json:"requests"`
	RateLimited int64            `json:"rateLimited"`
}

func (s *sim) stats() (simStats, error) {
	var st simStats
	resp, err := http.Get(strings.TrimSuffix(s.endpoint, "/nimserver") + "/_sim/stats")
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("GET /_sim/stats: HTTP %d", resp.StatusCode)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// measurement is what one terraform command cost.
type measurement struct {
	wall        time.Duration
	calls       int64            // API requests the simulator counted
	endpoints   map[string]int64 // the same, by endpoint
	rateLimited int64            // requests the simulator refused with 416
	rssKiB      int64            // peak RSS (VmHWM) of the largest provider process, 0 if none ran
	tfCPU       time.Duration    // CPU of terraform itself
	provCPU     time.Duration    // CPU of the provider processes
	exitCode    int
}

// runTerraform runs terraform in dir against s, samples the provider
// processes it starts, and returns the cost. logName receives its output.
func (b *bench) runTerraform(s *sim, dir, logName string, args ...string) (measurement, error) {
	return b.runTerraformWith(b.terraform, b.cliConfig, nil, s, dir, logName, args...)
}

// runTerraformWith is runTerraform with the CLI bin (Terraform or OpenTofu),
// the CLI configuration cliConfig and the variables env added to the
// environment.
func (b *bench) runTerraformWith(bin, cliConfig string, env []string, s *sim, dir, logName string, args ...string) (measurement, error) {
	var m measurement
	before, err := s.stats()
	if err != nil {
		return m, err
	}
	logf, err := os.Create(filepath.Join(dir, logName))
	if err != nil {
		return m, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, append([]string{"-chdir=" + dir}, args...)...)
	cmd.Env = append(os.Environ(), b.tfEnv(s)...)
	cmd.Env = append(cmd.Env, "TF_CLI_CONFIG_FILE="+cliConfig)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = logf, logf

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return m, err
	}
	ctx, stopSampling := context.WithCancel(context.Background())
	sampled := make(chan map[int]procSample, 1)
	go func() { sampled <- sampleChildren(ctx, cmd.Process.Pid, "terraform-provider-nim") }()
	err = cmd.Wait()
	m.wall = time.Since(start)
	stopSampling()
	procs := <-sampled

	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return m, err
	}
	m.exitCode = cmd.ProcessState.ExitCode()
	for _, p := range procs {
		m.rssKiB = max(m.rssKiB, p.hwmKiB)
		m.provCPU += p.cpu
	}
	// wait4 counts the reaped provider into terraform's own usage.
	m.tfCPU = max(0, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime()-m.provCPU)

	after, err := s.stats()
	if err != nil {
		return m, err
	}
	m.calls = after.Total - before.Total
	m.rateLimited = after.RateLimited - before.RateLimited
	m.endpoints = map[string]int64{}
	for ep, n := range after.Requests {
		if d := n - before.Requests[ep]; d > 0 {
			m.endpoints[ep] = d
		}
	}
	return m, nil
}

// tfEnv is the environment of every terraform command: dev_overrides, no
// network, the simulator's endpoint and its documented default credentials.
func (b *bench) tfEnv(s *sim) []string {
	return []string{
		"TF_CLI_CONFIG_FILE=" + b.cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_LOG=",
		"NIM_ENDPOINT=" + s.endpoint,
		"NIM_APP_KEY=" + nimsim.DefaultAppKey,
		"NIM_APP_SECRET=" + nimsim.DefaultAppSecret,
	}
}

// procSample is the last reading of one provider process.
type procSample struct {
	hwmKiB int64
	cpu    time.Duration
}

const clockTicks = 100 // USER_HZ on Linux

// sampleChildren polls the children of pid whose command line contains
// name, every 20ms until ctx ends, and returns the last reading of each:
// VmHWM is the peak RSS so far, so a late reading loses nothing but CPU of
// the last few milliseconds.
func sampleChildren(ctx context.Context, pid int, name string) map[int]procSample {
	out := map[int]procSample{}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, child := range children(pid) {
			cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", child))
			if err != nil || !bytes.Contains(cmdline, []byte(name)) {
				continue
			}
			s, ok := readProc(child)
			if ok {
				out[child] = s
			}
		}
		select {
		case <-ctx.Done():
			return out
		case <-tick.C:
		}
	}
}

// children lists the children of pid, from every thread's children file.
func children(pid int) []int {
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	var out []int
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", pid, t.Name()))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func readProc(pid int) (procSample, bool) {
	var s procSample
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, false
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			s.hwmKiB, _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, false
	}
	// Fields after the ")" that ends the command name: state is field 3,
	// utime and stime are fields 14 and 15.
	rest := string(stat)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	f := strings.Fields(rest)
	if len(f) > 12 {
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		s.cpu = time.Duration(ut+st) * time.Second / clockTicks
	}
	return s, true
}

// run runs a command that is not measured (go build, go version, ...).
func run(stdout io.Writer, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return nil
}

// output runs a command and returns its trimmed standard output.
func output(name string, args ...string) string {
	var b bytes.Buffer
	if err := run(&b, name, args...); err != nil {
		return "unknown"
	}
	return strings.TrimSpace(b.String())
}

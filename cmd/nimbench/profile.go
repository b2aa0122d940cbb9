package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

const perfFreq = 499 // samples per second per CPU

// profile is one extra run under `perf record`: where its CPU time went, by
// process and by function.
type profile struct {
	title   string
	wall    time.Duration
	procs   []procShare
	top     map[string][]string // comm -> "share function" lines
	parts   map[string][]string // comm -> "share what" lines, inclusive
	comms   []string
	err     string
	samples int64
}

type procShare struct {
	comm    string
	samples int64
	percent float64
}

// profiles records the batching-on refresh of 1000 chatrooms (or the
// largest size measured) and its terraform_data floor under perf. It needs
// perf and permission to use it; without them it says so and goes on.
func (b *bench) profiles(o options, s *sim) []profile {
	if _, err := exec.LookPath("perf"); err != nil {
		return []profile{{title: "profiles", err: "perf is not installed: no profiles recorded"}}
	}
	n := o.sizes[len(o.sizes)-1]
	if slices.Contains(o.sizes, 1000) {
		n = 1000
	}
	chat := filepath.Join(b.work, fmt.Sprintf("chatrooms-%d", n))
	floor := filepath.Join(b.work, fmt.Sprintf("floor-%d", n))
	p0 := strconv.Itoa(o.parallelisms[0])
	pMax := strconv.Itoa(slices.Max(o.parallelisms))
	runs := []struct {
		title, dir string
		args       []string
	}{
		{fmt.Sprintf("refresh of %d nim_chatroom, batching on, -parallelism=%s", n, p0), chat, []string{"plan", "-input=false", "-parallelism=" + p0, "-var", "batch_reads=true"}},
		{fmt.Sprintf("refresh of %d nim_chatroom, batching on, -parallelism=%s", n, pMax), chat, []string{"plan", "-input=false", "-parallelism=" + pMax, "-var", "batch_reads=true"}},
		{fmt.Sprintf("refresh of %d terraform_data (the floor), -parallelism=%s", n, p0), floor, []string{"plan", "-input=false", "-parallelism=" + p0}},
	}
	if p0 == pMax {
		runs = slices.Delete(runs, 1, 2)
	}
	var out []profile
	for i, r := range runs {
		b.log.Printf("== profile: %s", r.title)
		out = append(out, b.perfRun(r.title, r.dir, filepath.Join(b.work, fmt.Sprintf("perf-%d.data", i)), s, r.args))
	}
	return out
}

func (b *bench) perfRun(title, dir, data string, s *sim, args []string) profile {
	p := profile{title: title, top: map[string][]string{}, parts: map[string][]string{}}
	logf, err := os.Create(filepath.Join(dir, "perf-run.log"))
	if err != nil {
		p.err = err.Error()
		return p
	}
	defer logf.Close()
	cmd := exec.Command("perf", append([]string{"record", "-F", strconv.Itoa(perfFreq), "-g", "-o", data, "--",
		b.terraform, "-chdir=" + dir}, args...)...)
	cmd.Env = append(os.Environ(), b.tfEnv(s)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	start := time.Now()
	err = cmd.Run()
	p.wall = time.Since(start)
	if err != nil {
		p.err = fmt.Sprintf("perf record: %v (see %s)", err, filepath.Join(dir, "perf-run.log"))
		return p
	}
	lines, err := perfReport(data, "--sort", "comm", "-F", "overhead,sample,comm")
	if err != nil {
		p.err = err.Error()
		return p
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		pct, err1 := strconv.ParseFloat(strings.TrimSuffix(f[0], "%"), 64)
		n, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		p.procs = append(p.procs, procShare{comm: strings.Join(f[2:], " "), samples: n, percent: pct})
		p.samples += n
	}
	for _, ps := range p.procs {
		if ps.percent < 5 {
			continue
		}
		top, err := perfReport(data, "--comms", ps.comm, "--sort", "sym")
		if err != nil {
			continue
		}
		p.comms = append(p.comms, ps.comm)
		p.top[ps.comm] = top[:min(len(top), 10)]
		if incl, err := perfReport(data, "--children", "--comms", ps.comm, "--sort", "sym"); err == nil {
			p.parts[ps.comm] = inclusiveParts(ps.comm, incl)
		}
	}
	return p
}

// landmarks are functions whose inclusive share says what a process spends
// its CPU on. The first match of each (perf lists the largest first) counts.
var landmarks = []struct{ what, symbol string }{
	{"provider: serving Terraform's gRPC calls", "google.golang.org/grpc.(*Server).handleStream"},
	{"provider: ValidateResourceConfig", "tf6server.(*server).ValidateResourceConfig"},
	{"provider: UpgradeResourceState", "tf6server.(*server).UpgradeResourceState"},
	{"provider: ReadResource (framework and resource)", "tf6server.(*server).ReadResource"},
	{"provider: the resources' Read methods", "internal/provider.(*chatroomResource).Read"},
	{"provider: PlanResourceChange", "tf6server.(*server).PlanResourceChange"},
	{"provider: SDK log lines written for Terraform", "go-hclog.(*intLogger).log"},
	{"provider: NIM API calls (client.Call)", "internal/client.(*Client).Call"},
	{"terraform: walking the plan graph", "terraform.(*ContextGraphWalker).Execute"},
	{"terraform: building graphs", "terraform.(*BasicGraphBuilder).Build"},
	{"terraform: copying state (states.(*Resource).DeepCopy)", "states.(*Resource).DeepCopy"},
	{"terraform: reading the provider's log lines", "go-plugin.(*Client).logStderr"},
	{"terraform: gRPC calls to the provider", "google.golang.org/grpc.(*ClientConn).Invoke"},
	{"terraform: printing the plan", "views.(*OperationHuman).Plan"},
	{"garbage collection", "runtime.gcBgMarkWorker"},
}

// inclusiveParts picks the landmarks of process comm out of a `perf report
// --children` listing ("children% self% [.] symbol"). Both processes link
// the same libraries, so a landmark counts only in the process it names.
func inclusiveParts(comm string, lines []string) []string {
	var out []string
	for _, lm := range landmarks {
		who, _, named := strings.Cut(lm.what, ": ")
		if named && (who == "provider") != strings.HasPrefix(comm, "terraform-provi") {
			continue
		}
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) < 4 || !strings.HasSuffix(f[len(f)-1], lm.symbol) {
				continue
			}
			out = append(out, fmt.Sprintf("%7s  %s", f[0], lm.what))
			break
		}
	}
	return out
}

// perfReport returns the non-empty, non-comment lines of a perf report.
func perfReport(data string, args ...string) ([]string, error) {
	var out bytes.Buffer
	if err := run(&out, "perf", append([]string{"report", "-i", data, "--stdio", "--no-children", "-g", "none", "-q"}, args...)...); err != nil {
		return nil, err
	}
	var lines []string
	for _, l := range strings.Split(out.String(), "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			lines = append(lines, t)
		}
	}
	return lines, nil
}

func (r *report) profileSection(b *strings.Builder) {
	if len(r.profiles) == 0 {
		return
	}
	b.WriteString("### Where the time goes (perf)\n\n")
	fmt.Fprintf(b, "One extra run of each, under `perf record -F %d -g` (not part of the medians; perf adds some overhead). "+
		"CPU seconds are samples ÷ %d/s; the wall time is that run's.\n\n", perfFreq, perfFreq)
	for _, p := range r.profiles {
		fmt.Fprintf(b, "#### %s\n\n", p.title)
		if p.err != "" {
			fmt.Fprintf(b, "%s\n\n", p.err)
			continue
		}
		fmt.Fprintf(b, "Wall %.2fs; CPU %.2fs in all:", p.wall.Seconds(), float64(p.samples)/perfFreq)
		for _, ps := range p.procs {
			if ps.percent >= 1 {
				fmt.Fprintf(b, " %s %.2fs (%.0f%%);", ps.comm, float64(ps.samples)/perfFreq, ps.percent)
			}
		}
		b.WriteString("\n\n")
		for _, comm := range p.comms {
			fmt.Fprintf(b, "`%s`, inclusive shares of all samples:\n\n```\n%s\n```\n\n", comm, strings.Join(p.parts[comm], "\n"))
			fmt.Fprintf(b, "`%s`, top functions by self time:\n\n```\n%s\n```\n\n", comm, strings.Join(p.top[comm], "\n"))
		}
	}
}

// Command nimbench measures what a terraform plan or apply of many NIM
// resources costs, against the simulator (cmd/nimsim) with added latency:
// API calls (from the simulator's /_sim/stats), wall time, CPU and the
// provider's peak RSS. `make bench` runs it and writes BENCHMARKS.md.
//
//	go run ./cmd/nimbench -terraform path/to/terraform -tofu path/to/tofu -out BENCHMARKS.md
//	NIMBENCH_QUICK=1 go run ./cmd/nimbench ...   # small sizes, a minute or two
//
// It builds the provider and nimsim into a temporary directory, points
// Terraform at the provider with dev_overrides (nothing is downloaded), seeds
// every workspace once (see seed.go), then runs the variants of each scenario
// in turn (on, off, -refresh=false, floor, on, ...) and reports medians,
// because the machines it runs on are shared and noisy. The refresh rows run
// on the -terraform CLI; the apply rows on it and on the -tofu CLI, each
// beside the floor provider's apply of the same configuration on the same
// CLI, because how fast a CLI applies many resources differs a lot between
// CLIs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type bench struct {
	terraform string // the CLI of the refresh rows
	clis      []cli  // the CLIs of the apply rows, terraform first
	cliConfig string
	// floorConfig points Terraform at the floor provider
	// (cmd/nimbench/floorprovider) instead of the real one.
	floorConfig string
	work        string
	log         *log.Logger
	failures    []string
	// estateSeed is the apply that seeded the QChat estate: its calls by
	// endpoint show the lookup each create makes first.
	estateSeed measurement
}

// cli is a Terraform or OpenTofu command.
type cli struct {
	path string
	name string // the first line of `version`, e.g. "Terraform v1.15.9"
}

// tag is name made fit for a directory name: "terraform-v1.15.9".
func (c cli) tag() string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.':
			return r
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return '-'
	}, c.name)
}

// newCLI names the CLI at path by its version line; OpenTofu may print
// warnings about the CLI configuration before it.
func newCLI(path string) cli {
	name := filepath.Base(path)
	for _, line := range strings.Split(output(path, "version"), "\n") {
		if strings.HasPrefix(line, "Terraform v") || strings.HasPrefix(line, "OpenTofu v") {
			name = strings.TrimSpace(line)
			break
		}
	}
	return cli{path: path, name: name}
}

type options struct {
	quick        bool
	reps         int
	sizes        []int
	parallelisms []int
	estate       estate
	applyN       int
	latency      time.Duration
	out          string
	profile      bool
	keep         bool
}

func main() {
	if err := mainErr(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "nimbench:", err)
		os.Exit(1)
	}
}

func mainErr(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("nimbench", flag.ContinueOnError)
	tf := fs.String("terraform", envOr("TERRAFORM", "terraform"), "the Terraform CLI of every row")
	tofu := fs.String("tofu", "", "the OpenTofu CLI the apply rows also run on (empty: they run on -terraform only)")
	quick := fs.Bool("quick", os.Getenv("NIMBENCH_QUICK") != "", "small sizes for a quick check (also NIMBENCH_QUICK=1); BENCHMARKS.md is not written")
	reps := fs.Int("reps", 3, "runs of each variant; medians are reported")
	sizes := fs.String("sizes", "100,1000,3000", "numbers of nim_chatroom resources to refresh")
	pars := fs.String("parallelism", "10,20,50", "terraform -parallelism values for the batching-on runs (the first is used for batching off)")
	latency := fs.Duration("latency", 20*time.Millisecond, "latency the simulator adds to every request")
	out := fs.String("out", "", "Markdown file to write the report into (between nimbench markers)")
	profile := fs.Bool("profile", true, "record one extra run of each kind with perf, when perf is available")
	keep := fs.Bool("keep", false, "keep the work directory (workspaces, logs, profiles)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o := options{
		quick: *quick, reps: *reps, latency: *latency, out: *out, profile: *profile, keep: *keep,
		estate: estate{channels: 100, roles: 20, rolesPerChannel: 2},
		applyN: 1000,
	}
	var err error
	if o.sizes, err = intList(*sizes); err != nil {
		return fmt.Errorf("-sizes: %w", err)
	}
	if o.parallelisms, err = intList(*pars); err != nil {
		return fmt.Errorf("-parallelism: %w", err)
	}
	if o.quick {
		o.sizes = []int{50, 200}
		o.estate = estate{channels: 10, roles: 5, rolesPerChannel: 2}
		o.applyN = 200
		if o.out != "" {
			fmt.Fprintf(stdout, "quick run: %s is not written\n", o.out)
			o.out = ""
		}
	}
	if o.reps < 1 {
		return errors.New("-reps must be at least 1")
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run nimbench from the repository root (where go.mod is)")
	}
	tfPath, err := exec.LookPath(*tf)
	if err != nil {
		return fmt.Errorf("terraform CLI %q not found (make bench installs it): %w", *tf, err)
	}
	clis := []cli{newCLI(tfPath)}
	if *tofu != "" {
		tofuPath, err := exec.LookPath(*tofu)
		if err != nil {
			return fmt.Errorf("-tofu: OpenTofu CLI %q not found (make bench installs it): %w", *tofu, err)
		}
		clis = append(clis, newCLI(tofuPath))
	}

	work, err := os.MkdirTemp("", "nimbench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(stdout, "work directory:", work)
	} else {
		defer os.RemoveAll(work)
	}
	b := &bench{terraform: tfPath, clis: clis, work: work, log: log.New(stdout, "", log.Ltime)}
	started := time.Now()
	rep, err := b.runAll(o)
	if err != nil {
		return err
	}
	rep.duration = time.Since(started)
	text := rep.markdown()
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, text)
	if o.out != "" {
		if err := writeBetweenMarkers(o.out, text); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nwrote %s\n", o.out)
	}
	if len(b.failures) > 0 {
		return fmt.Errorf("%d run(s) failed:\n  %s", len(b.failures), strings.Join(b.failures, "\n  "))
	}
	return nil
}

func (b *bench) runAll(o options) (*report, error) {
	rep := &report{opts: o, machine: describeMachine(b.clis)}
	bin := filepath.Join(b.work, "bin")
	b.log.Printf("building the provider and nimsim into %s", bin)
	if err := run(io.Discard, "go", "build", "-o", filepath.Join(bin, "terraform-provider-nim"), "."); err != nil {
		return nil, err
	}
	if err := run(io.Discard, "go", "build", "-o", filepath.Join(bin, "nimsim"), "./cmd/nimsim"); err != nil {
		return nil, err
	}
	floorBin := filepath.Join(b.work, "bin-floor")
	if err := run(io.Discard, "go", "build", "-o", filepath.Join(floorBin, "terraform-provider-nim"), "./cmd/nimbench/floorprovider"); err != nil {
		return nil, err
	}
	b.cliConfig = filepath.Join(b.work, "terraformrc")
	b.floorConfig = filepath.Join(b.work, "terraformrc-floor")
	// The short address "nimtf/nim" is read by each CLI as its own default
	// registry's: Terraform's and OpenTofu's differ.
	for cfg, dir := range map[string]string{b.cliConfig: bin, b.floorConfig: floorBin} {
		rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"nimtf/nim\" = %q\n  }\n  direct {}\n}\n", dir)
		if err := os.WriteFile(cfg, []byte(rc), 0o644); err != nil {
			return nil, err
		}
	}

	lat := o.latency.String()
	refreshSim, err := startSim(filepath.Join(bin, "nimsim"), filepath.Join(b.work, "nimsim-refresh.log"), "--latency", lat)
	if err != nil {
		return nil, err
	}
	defer refreshSim.stop()
	applySim, err := startSim(filepath.Join(bin, "nimsim"), filepath.Join(b.work, "nimsim-apply.log"), "--latency", lat, "--rate-limit", strconv.Itoa(simRateLimit), "--block", "10s")
	if err != nil {
		return nil, err
	}
	defer applySim.stop()
	b.log.Printf("simulators at %s (latency %s) and %s (latency %s, rate limit 100/s)", refreshSim.endpoint, lat, applySim.endpoint, lat)

	groups, err := b.seed(o, refreshSim)
	if err != nil {
		return nil, err
	}
	groups = append(groups, b.applyGroup(o, applySim))
	rep.estateSeed = b.estateSeed
	rep.loadBefore = loadAverage()
	for _, g := range groups {
		rep.groups = append(rep.groups, b.measure(g, o.reps))
	}
	rep.loadAfter = loadAverage()
	if o.profile {
		rep.profiles = b.profiles(o, refreshSim)
	}
	return rep, nil
}

// variant is one way of running one workspace.
type variant struct {
	label       string // e.g. "batching on"
	scenario    string
	n           int
	parallelism int
	batching    string // "on", "off", "" (no NIM provider)
	sim         *sim
	dir         string                        // workspace of plan variants
	prepare     func(rep int) (string, error) // fresh workspace of apply variants
	args        []string
	apply       bool
	rps         int      // requests_per_second of apply variants; 0: the default
	cli         *cli     // the CLI of apply variants; nil: b.terraform
	floorProv   bool     // planned or applied with the floor provider instead of the real one
	floorPace   int      // requests per second the floor provider's creates are paced at (0: not paced)
	env         []string // added to the CLI's environment
	callsOf     string   // key of the variant whose API calls make the API floor of a floor-provider apply
	peerOf      string   // key of the floor-provider variant it is compared with
	floorOf     string   // key of the floor variant it is compared with
	offOf       string   // key of the batching-off variant it is compared with
}

// simRateLimit is the --rate-limit of the apply simulator, in requests per
// second; floorPaceEnv tells the floor provider to pace its creates
// (cmd/nimbench/floorprovider reads it).
const (
	simRateLimit = 100
	floorPaceEnv = "NIMBENCH_FLOOR_RPS"
)

// noRefreshBatching marks the -refresh=false variants, and
// floorProviderBatching those planned with the floor provider.
const (
	noRefreshBatching     = "no refresh"
	floorProviderBatching = "floor provider"
)

type group struct {
	title    string
	variants []*variant
}

func (v *variant) key() string {
	k := fmt.Sprintf("%s/%d/%d/%s/%d", v.scenario, v.n, v.parallelism, v.batching, v.rps)
	if v.floorPace > 0 {
		k += fmt.Sprintf("/paced%d", v.floorPace)
	}
	if v.cli != nil {
		k += "/" + v.cli.name
	}
	return k
}

// cliName is the name of the CLI that runs v.
func (b *bench) cliName(v *variant) string {
	if v.cli != nil {
		return v.cli.name
	}
	return b.clis[0].name
}

// seed creates and applies every refresh workspace once, then returns the
// groups of plan variants over them.
func (b *bench) seed(o options, s *sim) ([]group, error) {
	var groups []group
	for _, n := range o.sizes {
		chat := filepath.Join(b.work, fmt.Sprintf("chatrooms-%d", n))
		floor := filepath.Join(b.work, fmt.Sprintf("floor-%d", n))
		start := time.Now()
		owner := fmt.Sprintf("bench-%d", n)
		err := b.seedByCloning(s, chat, n, func(n int) string { return chatroomConfig(n, owner) },
			func() (creator, error) { return chatroomCreator(s, chat) })
		if err != nil {
			return nil, err
		}
		if err := b.seedByCloning(s, floor, n, floorConfig, nil); err != nil {
			return nil, err
		}
		b.log.Printf("seeded %s and %s: %d resources each in %.1fs", filepath.Base(chat), filepath.Base(floor), n, time.Since(start).Seconds())
		groups = append(groups, group{
			title:    fmt.Sprintf("refresh of %d nim_chatroom", n),
			variants: b.planVariants(o, s, "chatroom refresh", n, chat, floor),
		})
	}
	es := filepath.Join(b.work, "estate")
	esFloor := filepath.Join(b.work, "estate-floor")
	n := o.estate.resources()
	m, err := b.seedDir(s, es, o.estate.config(), n)
	if err != nil {
		return nil, err
	}
	b.estateSeed = m
	if err := b.seedByCloning(s, esFloor, n, floorConfig, nil); err != nil {
		return nil, err
	}
	groups = append(groups, group{
		title:    "refresh of the QChat estate (" + o.estate.String() + ")",
		variants: b.planVariants(o, s, "QChat estate refresh", n, es, esFloor),
	})
	return groups, nil
}

// seedDir writes a workspace and applies it with a generous throttle and
// parallelism: seeding is not what is measured.
func (b *bench) seedDir(s *sim, dir, config string, n int) (measurement, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return measurement{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		return measurement{}, err
	}
	args := []string{"apply", "-auto-approve", "-input=false", "-parallelism=50"}
	if strings.Contains(config, "nimtf/nim") {
		args = append(args, "-var", "rps=1000")
	}
	m, err := b.runTerraform(s, dir, "seed.log", args...)
	if err != nil {
		return m, err
	}
	if m.exitCode != 0 {
		return m, fmt.Errorf("seeding %s failed (exit %d); see %s", filepath.Base(dir), m.exitCode, filepath.Join(dir, "seed.log"))
	}
	b.log.Printf("seeded %s: %d resources in %.1fs, %d API calls", filepath.Base(dir), n, m.wall.Seconds(), m.calls)
	return m, nil
}

func (b *bench) planVariants(o options, s *sim, scenario string, n int, dir, floorDir string) []*variant {
	plan := func(p int, batch string) []string {
		args := []string{"plan", "-input=false", "-detailed-exitcode", "-parallelism=" + strconv.Itoa(p)}
		if batch != "" {
			args = append(args, "-var", "batch_reads="+strconv.FormatBool(batch == "on"))
		}
		return args
	}
	// With batching off every read is its own call and the provider's
	// rate ceiling sets the pace at any parallelism: it runs at the first
	// parallelism only.
	p0 := o.parallelisms[0]
	off := &variant{label: "batching off", scenario: scenario, n: n, parallelism: p0, batching: "off", sim: s, dir: dir, args: plan(p0, "off")}
	var vs []*variant
	for i, p := range o.parallelisms {
		floor := &variant{label: "terraform_data floor", scenario: scenario, n: n, parallelism: p, sim: s, dir: floorDir, args: plan(p, "")}
		on := &variant{label: "batching on", scenario: scenario, n: n, parallelism: p, batching: "on", sim: s, dir: dir, args: plan(p, "on"),
			floorOf: floor.key(), offOf: off.key()}
		// The same plan without the refresh: every RPC but ReadResource and
		// no API call. What is left is the cost of a plugin provider.
		noRefresh := &variant{label: "-refresh=false", scenario: scenario, n: n, parallelism: p, batching: noRefreshBatching, sim: s, dir: dir,
			args: append(plan(p, "on"), "-refresh=false"), floorOf: floor.key()}
		vs = append(vs, on)
		if i == 0 {
			off.floorOf = floor.key()
			vs = append(vs, off)
		}
		vs = append(vs, noRefresh, floor)
		if i == 0 && scenario == "chatroom refresh" {
			// The same workspace and state planned with the framework's
			// floor: the same schema, a Read without I/O.
			peer := &variant{label: "floor provider", scenario: scenario, n: n, parallelism: p, batching: floorProviderBatching, sim: s, dir: dir,
				args: plan(p, "on"), floorProv: true, floorOf: floor.key()}
			on.peerOf = peer.key()
			vs = append(vs, peer)
		}
	}
	return vs
}

// applyGroup applies applyN new chatrooms per run against the rate-limited
// simulator on each CLI: with our provider at its defaults and at
// requests_per_second = 100 (the application's limit), and with the floor
// provider, which makes no API call: what the CLI itself takes to apply
// that many resources. Every run gets a fresh workspace.
func (b *bench) applyGroup(o options, s *sim) group {
	var vs []*variant
	for i := range b.clis {
		c := &b.clis[i]
		var defaults *variant
		for _, rps := range []int{0, 100, -1, -2} {
			label := fmt.Sprintf("requests_per_second = %d", rps)
			args := []string{"apply", "-auto-approve", "-input=false"}
			v := &variant{scenario: "chatroom apply", n: o.applyN, parallelism: 10, batching: "on", sim: s, apply: true, cli: c}
			kind := fmt.Sprintf("rps%d", rps)
			switch rps {
			case 0:
				label = "defaults"
			case -1:
				label = "floor provider"
				v.batching, v.floorProv, v.callsOf = floorProviderBatching, true, defaults.key()
				kind = "floor"
			case -2:
				// The best a provider can do at the documented limit: one
				// call per room, sent at exactly 100/s and never faster,
				// with no other cost.
				label = fmt.Sprintf("floor provider paced at %d/s", simRateLimit)
				v.batching, v.floorProv, v.callsOf = floorProviderBatching, true, defaults.key()
				v.floorPace, v.env = simRateLimit, []string{fmt.Sprintf("%s=%d", floorPaceEnv, simRateLimit)}
				kind = "floorpaced"
			default:
				v.rps = rps
				args = append(args, "-var", "rps="+strconv.Itoa(rps))
			}
			v.label, v.args = label, args
			v.prepare = func(rep int) (string, error) {
				dir := filepath.Join(b.work, fmt.Sprintf("apply-%s-%d-%s-%d", c.tag(), o.applyN, kind, rep))
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return "", err
				}
				// An accid, so at most 32 characters: CLI i, not its name.
				config := chatroomConfig(o.applyN, fmt.Sprintf("apply%d-%s-%d", i, kind, rep))
				return dir, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644)
			}
			if rps == 0 {
				defaults = v
			}
			vs = append(vs, v)
		}
	}
	return group{title: fmt.Sprintf("apply of %d nim_chatroom, simulator rate limit 100/s", o.applyN), variants: vs}
}

// measure runs every variant of g reps times, alternating, after one
// unmeasured warm-up run of the first plan variant.
func (b *bench) measure(g group, reps int) groupResult {
	res := groupResult{title: g.title, runs: map[string][]measurement{}}
	b.log.Printf("== %s", g.title)
	if v := g.variants[0]; !v.apply {
		if _, err := b.runVariant(v, -1); err != nil {
			b.fail(fmt.Sprintf("%s, %s, warm-up: %v", g.title, v.label, err))
		}
	}
	for rep := 0; rep < reps; rep++ {
		for _, v := range g.variants {
			m, err := b.runVariant(v, rep)
			if err != nil {
				b.fail(fmt.Sprintf("%s, %s, %s -parallelism=%d, run %d: %v", g.title, b.cliName(v), v.label, v.parallelism, rep+1, err))
				continue
			}
			res.runs[v.key()] = append(res.runs[v.key()], m)
			label := v.label
			if v.cli != nil {
				label = v.cli.name + ", " + label
			}
			b.log.Printf("   run %d/%d  %-42s p=%-3d %7.2fs %6d calls  rss %5.1f MiB  cpu tf %.2fs provider %.2fs",
				rep+1, reps, label, v.parallelism, m.wall.Seconds(), m.calls, mib(m.rssKiB), m.tfCPU.Seconds(), m.provCPU.Seconds())
		}
	}
	res.variants = g.variants
	return res
}

func (b *bench) runVariant(v *variant, rep int) (measurement, error) {
	dir := v.dir
	if v.prepare != nil {
		var err error
		if dir, err = v.prepare(rep); err != nil {
			return measurement{}, err
		}
	}
	logName := fmt.Sprintf("run-%s-p%d-%d.log", strings.NewReplacer(" ", "_", "/", "_").Replace(v.batching+v.label), v.parallelism, rep+1)
	cfg, bin := b.cliConfig, b.terraform
	if v.floorProv {
		cfg = b.floorConfig
	}
	if v.cli != nil {
		bin = v.cli.path
	}
	m, err := b.runTerraformWith(bin, cfg, v.env, v.sim, dir, logName, v.args...)
	if err != nil {
		return m, err
	}
	if m.exitCode != 0 {
		what := "failed"
		if !v.apply && m.exitCode == 2 {
			what = "planned changes (the refresh must find none)"
		}
		return m, fmt.Errorf("terraform %s %s (exit %d); see %s", v.args[0], what, m.exitCode, filepath.Join(dir, logName))
	}
	return m, nil
}

func (b *bench) fail(msg string) {
	b.log.Printf("FAILED: %s", msg)
	b.failures = append(b.failures, msg)
}

func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a list of positive numbers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func mib(kib int64) float64 { return float64(kib) / 1024 }

// Command nimsim runs the NIM API simulator (internal/nimsim) and the
// Easemob chatroom simulator (internal/easemobsim) over HTTP, on one address.
//
//	go run ./cmd/nimsim --listen 127.0.0.1:0 --fail-rate 0.2 --seed 1
//
// It prints exactly one line to stdout, "endpoint: http://HOST:PORT/nimserver",
// which scripts parse, and its settings to stderr. The app secret is printed
// only when it is the documented default. GET /_sim/health answers 200 once
// it serves. SIGINT or SIGTERM stop it cleanly: requests in flight finish
// (up to 5 s), the state file is written a last time, and it exits 0.
//
//	nimsim --version   # "nimsim v1.2.3": the release it was built from
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// version is set by release builds (-ldflags "-X main.version=1.2.3").
// Otherwise it comes from the build info: the module version for
// `go install .../cmd/nimsim@v1.2.3`, a pseudo-version or "(devel)" for a
// build inside a clone.
var version = ""

// versionString is what --version prints: "nimsim v1.2.3".
func versionString() string {
	v := version
	if v == "" {
		v = "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
	}
	if v[0] >= '0' && v[0] <= '9' {
		v = "v" + v // goreleaser's {{.Version}} has no "v"; go install's has
	}
	return "nimsim " + v
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "nimsim:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("nimsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:9300", "address to listen on (port 0 picks a free one)")
	var cfg nimsim.Config
	fs.StringVar(&cfg.AppKey, "app-key", nimsim.DefaultAppKey, "the AppKey accepted")
	fs.StringVar(&cfg.AppSecret, "app-secret", nimsim.DefaultAppSecret, "the AppSecret requests are signed with")
	accounts := fs.String("accounts", "", "comma-separated account registry (empty: every accid accepted)")
	fs.DurationVar(&cfg.Latency, "latency", 0, "latency added to every API request")
	fs.DurationVar(&cfg.Jitter, "jitter", 0, "random extra latency, uniform in [0, jitter]")
	fs.Float64Var(&cfg.FailRate, "fail-rate", 0, "probability (0..1) that a request gets an injected fault")
	fs.Int64Var(&cfg.Seed, "seed", 0, "seed of the fault and jitter RNGs")
	fs.Float64Var(&cfg.RateLimit, "rate-limit", 0, "requests per second per app (0: unlimited)")
	fs.DurationVar(&cfg.Block, "block", 10*time.Second, "how long an endpoint stays blocked after a rate-limit 416")
	fs.IntVar(&cfg.MaxRoles, "max-roles", 20, "custom roles per QChat server")
	fs.StringVar(&cfg.StateFile, "state-file", "", "JSON file to load at start and save after every change")
	fs.BoolVar(&cfg.JSONStringAnswers, "json-string-answers", false, "answer list fields (getBatch, membersByPage, queryMembers, queryUserRoomIds, delayInfo, QChat lists and objects) as JSON strings holding JSON")
	fs.BoolVar(&cfg.GetBatchExampleFields, "getbatch-example-fields", false, "answer getBatch rooms with only the documented example's keys (no valid, creator, ionotify, delayInfo)")
	fs.BoolVar(&cfg.DelayCloseDisabled, "delay-close-disabled", false, "act as an app without timed close: timed delayClosePolicy and updateDelayClosePolicy answer 13009")
	emConfig := easemobFlags(fs)
	fs.Usage = usage(fs, stderr)
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *showVersion {
		fmt.Fprintln(stdout, versionString())
		return nil
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	for _, a := range strings.Split(*accounts, ",") {
		if a = strings.TrimSpace(a); a != "" {
			cfg.Accounts = append(cfg.Accounts, a)
		}
	}
	sim, err := nimsim.New(cfg)
	if err != nil {
		return err
	}
	emCfg := emConfig()
	emCfg.Latency, emCfg.Jitter, emCfg.FailRate, emCfg.Seed, emCfg.RateLimit = cfg.Latency, cfg.Jitter, cfg.FailRate, cfg.Seed, cfg.RateLimit
	emCfg.StateFile = easemobStateFile(cfg.StateFile)
	em, err := easemobsim.New(emCfg)
	if err != nil {
		return err
	}
	// Catch the signals before announcing the endpoint: a script may stop us
	// as soon as it has read the line.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "endpoint: http://%s/nimserver\n", ln.Addr())
	fmt.Fprintf(stderr, "nimsim: app key %s\n", cfg.AppKey)
	if cfg.AppSecret == nimsim.DefaultAppSecret {
		fmt.Fprintf(stderr, "nimsim: app secret %s (the default)\n", cfg.AppSecret)
	}
	fmt.Fprintf(stderr, "nimsim: easemob http://%s/%s/%s/ client id %s\n", ln.Addr(), emCfg.Org, emCfg.App, emCfg.ClientID)
	if emCfg.ClientSecret == easemobsim.DefaultClientSecret {
		fmt.Fprintf(stderr, "nimsim: easemob client secret %s (the default)\n", emCfg.ClientSecret)
	}

	// ReadTimeout bounds a client that trickles its body: the body is capped
	// at 1 MiB, but without a deadline it could hold a handler for ever.
	srv := &http.Server{Handler: vendorRouter(sim, em), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if err := sim.Save(); err != nil {
		return err
	}
	if err := em.Save(); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "nimsim: stopped")
	return nil
}

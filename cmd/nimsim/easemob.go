package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// easemobFlags registers the --easemob-* flags and returns a function that
// builds the Easemob simulator's Config once the flags are parsed. The
// shared flags (--fail-rate, --seed, --latency, --jitter, --rate-limit,
// --state-file) are copied from the NIM Config by the caller.
func easemobFlags(fs *flag.FlagSet) func() easemobsim.Config {
	var cfg easemobsim.Config
	fs.StringVar(&cfg.Org, "easemob-org", easemobsim.DefaultOrg, "Easemob org_name served under /{org}/{app}/")
	fs.StringVar(&cfg.App, "easemob-app", easemobsim.DefaultApp, "Easemob app_name served under /{org}/{app}/")
	fs.StringVar(&cfg.ClientID, "easemob-client-id", easemobsim.DefaultClientID, "Easemob client_id accepted by POST /{org}/{app}/token")
	fs.StringVar(&cfg.ClientSecret, "easemob-client-secret", easemobsim.DefaultClientSecret, "Easemob client_secret accepted by POST /{org}/{app}/token")
	users := fs.String("easemob-users", "", "comma-separated Easemob user registry, case-insensitive (empty: every well-formed user id exists)")
	fs.DurationVar(&cfg.TokenTTL, "easemob-token-ttl", easemobsim.DefaultTokenTTL, "lifetime of an Easemob token requested without ttl (e.g. 30s to test renewal)")
	fs.DurationVar(&cfg.MemberIdleLeave, "easemob-member-idle-leave", 0, "ordinary Easemob members (not the owner, allow-listed users or members given at creation) leave this long after joining; 0: never")
	fs.BoolVar(&cfg.Docs002, "easemob-docs-002", false, "answer as the copied Easemob page 002 states where it and the later documentation disagree")
	fs.BoolVar(&cfg.LenientContentType, "easemob-lenient-content-type", false, "accept Easemob JSON bodies without Content-Type: application/json (default: 415)")
	fs.BoolVar(&cfg.CustomRoomIDs, "easemob-custom-room-ids", false, "accept a custom room id on create (roomid; groupid with --easemob-docs-002)")
	fs.IntVar(&cfg.MaxRooms, "easemob-max-rooms", 0, "Easemob rooms per app (0: unlimited; beyond: 403 exceed_limit)")
	fs.Float64Var(&cfg.TokenRateLimit, "easemob-token-rate-limit", 0, "Easemob token requests per second, whatever --rate-limit says (0: as --rate-limit)")
	fs.IntVar(&cfg.CustomMax, "easemob-custom-max", easemobsim.DefaultCustomMax, "characters allowed in an Easemob room's custom field")
	return func() easemobsim.Config {
		for _, u := range strings.Split(*users, ",") {
			if u = strings.TrimSpace(u); u != "" {
				cfg.Users = append(cfg.Users, u)
			}
		}
		return cfg
	}
}

// easemobStateFile is where the Easemob objects are kept beside the NIM
// state file: "state.json" -> "state.easemob.json".
func easemobStateFile(nimStateFile string) string {
	if nimStateFile == "" {
		return ""
	}
	return strings.TrimSuffix(nimStateFile, ".json") + ".easemob.json"
}

// vendorRouter serves NIM under /nimserver/ and the shared /_sim/ controls,
// Easemob under /{org}/{app}/ and /_sim/easemob/. Paths are not cleaned
// (no ServeMux): each simulator answers any path the way its API does.
func vendorRouter(nim, easemob http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/nimserver/") || (strings.HasPrefix(p, "/_sim/") && !strings.HasPrefix(p, "/_sim/easemob/")) {
			nim.ServeHTTP(w, r)
			return
		}
		easemob.ServeHTTP(w, r)
	})
}

// usageText is printed by --help before the flags.
const usageText = `nimsim: a local simulator of the NIM and Easemob chatroom APIs, on one address.

  NIM      POST http://ADDR/nimserver/{area}/{name}.action (signed)
  Easemob  http://ADDR/{org}/{app}/...  (token: POST /{org}/{app}/token,
           then Authorization: Bearer <token>); the provider's easemob host is http://ADDR

Controls (unsigned, not counted):
  NIM      GET /_sim/stats, GET /_sim/objects, POST /_sim/reset, POST /_sim/fail-rate?p=
  Easemob  GET /_sim/easemob/stats, GET /_sim/easemob/objects, POST /_sim/easemob/reset,
           POST /_sim/easemob/fail-rate?p=, GET|POST /_sim/easemob/clock?advance=90s,
           POST /_sim/easemob/tokens/expire, POST /_sim/easemob/online?user=u&online=true,
           DELETE /_sim/easemob/room?id=

--fail-rate, --seed, --latency, --jitter and --rate-limit apply to both vendors
(Easemob: --rate-limit is the rate of its 100/s class; create/list get half,
token requests three times). With --state-file F, Easemob objects are kept in
F with ".json" replaced by ".easemob.json".

Flags:
`

func usage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprint(w, usageText)
		fs.PrintDefaults()
	}
}

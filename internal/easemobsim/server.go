package easemobsim

import (
	"crypto/sha1"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/simkit"
)

// Defaults of Config, also the defaults of nimsim's --easemob-* flags.
const (
	DefaultOrg          = "nimsim-org"
	DefaultApp          = "nimsim-app"
	DefaultClientID     = "nimsim-client-id"
	DefaultClientSecret = "nimsim-client-secret"
	// DefaultTokenTTL is the console's default token lifetime (60 days),
	// used when a token request carries no ttl.
	DefaultTokenTTL = 60 * 24 * time.Hour
	// DefaultCustomMax is the limit on a room's custom field, in characters
	// (002; newer pages say 8 KB, see the package doc).
	DefaultCustomMax = 1024

	maxBody = 5 << 10 // 5 KiB: the older documented body limit (413 beyond)
)

// Config configures a Server. The zero value is usable: the defaults above,
// every well-formed user id registered, no faults, no limits.
type Config struct {
	Org, App               string // the one app served (DefaultOrg, DefaultApp)
	ClientID, ClientSecret string // its client credentials (DefaultClientID, DefaultClientSecret)
	// Users is the user registry (case-insensitive). Empty: every
	// well-formed user id (≤64 bytes of a-z 0-9 _ - .) exists.
	Users []string
	// TokenTTL is the lifetime of a token whose request has no "ttl"
	// (DefaultTokenTTL). A request's own ttl is honoured as documented
	// (seconds; 0 = never expires).
	TokenTTL time.Duration
	// MemberIdleLeave, when positive, makes ordinary members leave a room
	// that long after joining: simulated users are offline unless marked
	// online (SetOnline). The owner, allow-listed users and members given
	// at room creation stay. 0 = members never leave.
	MemberIdleLeave time.Duration
	// Docs002 makes answers follow the copied page 002 where it and the
	// facts disagree (see the package doc).
	Docs002 bool
	// LenientContentType accepts a JSON body whatever its Content-Type;
	// by default a body must be sent as application/json (415 otherwise).
	LenientContentType bool
	// CustomRoomIDs enables custom room ids on create (a feature the
	// vendor enables on request): "roomid", or "groupid" with Docs002.
	CustomRoomIDs bool
	MaxRooms      int // rooms per app; 0 = unlimited (403 exceed_limit beyond)
	CustomMax     int // characters of a room's custom (DefaultCustomMax)

	Latency, Jitter time.Duration // added to every API request
	FailRate        float64       // 0..1, probability a request gets an injected fault
	Seed            int64         // reproducible faults
	// RateLimit, when positive, is the per-app rate (requests/s) of the
	// "others" class; the classes keep their documented ratios: create and
	// list chatrooms and a user's joined chatrooms RateLimit/2, token
	// 3×RateLimit. The documented values are RateLimit = 100.
	RateLimit float64
	// TokenRateLimit, when positive, is the rate of token requests alone
	// (requests/s), whatever RateLimit says: a low value shows a client
	// that asks for tokens too often (the vendor bans such accounts).
	TokenRateLimit float64
	StateFile      string // load at start, save atomically after each change
	Now            func() time.Time
}

// Stats counts API requests (admin paths excluded).
type Stats struct {
	Total       int64            `json:"total"`
	Requests    map[string]int64 `json:"requests"` // by route, "POST chatrooms"; others under "unknown"
	Faults      map[string]int64 `json:"faults"`   // injected: "500", "429", "drop_before", "drop_after"
	RateLimited int64            `json:"rateLimited"`
	// Statuses counts answers by HTTP status ("200", "401", ...).
	Statuses map[string]int64 `json:"statuses"`
}

// Server is the simulator. It is safe for concurrent use.
type Server struct {
	cfg   Config
	users map[string]bool // nil: every well-formed id exists
	appID string          // the app's uuid ("application" in answers)

	mu     sync.Mutex // guards st, tokens, online, offset
	st     *state
	tokens map[string]int64 // token -> expiry (ms; 0 = never)
	online map[string]bool
	offset time.Duration // added to Config.Now by the clock control

	statsMu sync.Mutex
	stats   Stats

	faults *simkit.Faults

	lim limiter
}

// New returns a Server, loading Config.StateFile when it exists.
func New(cfg Config) (*Server, error) {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&cfg.Org, DefaultOrg)
	def(&cfg.App, DefaultApp)
	def(&cfg.ClientID, DefaultClientID)
	def(&cfg.ClientSecret, DefaultClientSecret)
	if cfg.TokenTTL == 0 {
		cfg.TokenTTL = DefaultTokenTTL
	}
	if cfg.CustomMax <= 0 {
		cfg.CustomMax = DefaultCustomMax
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	switch {
	case cfg.FailRate < 0 || cfg.FailRate > 1:
		return nil, fmt.Errorf("easemobsim: fail rate %v not in [0,1]", cfg.FailRate)
	case cfg.RateLimit < 0 || cfg.TokenRateLimit < 0 || cfg.Latency < 0 || cfg.Jitter < 0:
		return nil, errors.New("easemobsim: negative rate limit, latency or jitter")
	case cfg.TokenTTL < time.Second:
		return nil, fmt.Errorf("easemobsim: token TTL %v below one second", cfg.TokenTTL)
	case cfg.MemberIdleLeave < 0:
		return nil, errors.New("easemobsim: negative member idle leave")
	case strings.ContainsAny(cfg.Org+cfg.App, "/#?% "):
		return nil, fmt.Errorf("easemobsim: org %q or app %q holds a character not allowed in a URL segment", cfg.Org, cfg.App)
	}
	s := &Server{
		cfg:    cfg,
		appID:  appUUID(cfg.Org, cfg.App),
		st:     newState(initialCounters()),
		tokens: map[string]int64{},
		online: map[string]bool{},
		// Streams distinct from the NIM simulator's, so that the two
		// vendors served by one program do not share a fault sequence.
		faults: simkit.NewFaults(cfg.Seed, 0x656d6673, 0x656d6a74, cfg.FailRate, faultKinds[:]...),
	}
	if len(cfg.Users) > 0 {
		s.users = map[string]bool{}
		for _, u := range cfg.Users {
			if !validUserID(u) {
				return nil, fmt.Errorf("easemobsim: user id %q: want 1..64 bytes, each a-z, 0-9, '_', '-' or '.'", u)
			}
			s.users[strings.ToLower(u)] = true
		}
	}
	s.resetStats()
	if cfg.StateFile != "" {
		if err := s.load(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// appUUID derives a stable uuid-shaped app id from the app key.
func appUUID(org, app string) string {
	h := sha1.Sum([]byte(org + "#" + app))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// now is the simulated time: Config.Now plus what the clock control added.
func (s *Server) now() time.Time { return s.cfg.Now().Add(s.offset) }

// validUserID: 1..64 bytes of letters, digits, "_", "-", "." (upper case
// allowed and folded: user ids are case-insensitive).
func validUserID(u string) bool {
	if u == "" || len(u) > 64 {
		return false
	}
	for _, r := range u {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
		default:
			return false
		}
	}
	return true
}

// userExists reports whether u (already folded) is a registered user.
func (s *Server) userExists(u string) bool {
	if !validUserID(u) {
		return false
	}
	return s.users == nil || s.users[u]
}

// --- stats

func (s *Server) resetStats() {
	s.statsMu.Lock()
	s.stats = Stats{Requests: map[string]int64{}, Faults: map[string]int64{}, Statuses: map[string]int64{}}
	s.statsMu.Unlock()
}

func (s *Server) count(f func(*Stats)) {
	s.statsMu.Lock()
	f(&s.stats)
	s.statsMu.Unlock()
}

// Stats returns a copy of the request counters.
func (s *Server) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	out := s.stats
	cp := func(m map[string]int64) map[string]int64 {
		c := make(map[string]int64, len(m))
		for k, v := range m {
			c[k] = v
		}
		return c
	}
	out.Requests, out.Faults, out.Statuses = cp(s.stats.Requests), cp(s.stats.Faults), cp(s.stats.Statuses)
	return out
}

// ResetStats zeroes the request counters.
func (s *Server) ResetStats() { s.resetStats() }

// --- controls

// Objects returns a deep snapshot of every stored object, after members
// whose idle time ran out have left and expired mutes have ended.
func (s *Server) Objects() Objects {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sweep() {
		s.save()
	}
	return s.st.snapshot()
}

// Reset drops all objects, tokens, stats, online marks and the clock
// offset. The room id counter keeps counting so that an old id stays unknown.
func (s *Server) Reset() {
	s.mu.Lock()
	s.st = newState(s.st.counters)
	s.tokens = map[string]int64{}
	s.online = map[string]bool{}
	s.offset = 0
	s.save()
	s.mu.Unlock()
	s.resetStats()
	s.lim.reset()
}

// DeleteRoom removes a room behind the API's back (drift tests).
func (s *Server) DeleteRoom(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.rooms[id] == nil {
		return false
	}
	delete(s.st.rooms, id)
	s.save()
	return true
}

// Advance moves the simulated clock forward (mute expiry, token expiry,
// members leaving) and returns the new simulated time.
func (s *Server) Advance(d time.Duration) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d > 0 {
		s.offset += d
	}
	return s.now()
}

// ExpireTokens makes every token issued so far expired.
func (s *Server) ExpireTokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.now().UnixMilli() - 1
	for t := range s.tokens {
		s.tokens[t] = past
	}
	return len(s.tokens)
}

// SetOnline marks a user online (never leaves a room by idling) or offline.
func (s *Server) SetOnline(user string, online bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := strings.ToLower(user)
	if online {
		s.online[u] = true
	} else {
		delete(s.online, u)
	}
}

// SetFailRate changes the fault probability at run time (clamped to [0,1]).
func (s *Server) SetFailRate(p float64) {
	s.faults.SetRate(p)
}

// --- admin API

const adminPrefix = "/_sim/easemob/"

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch r.Method + " " + strings.TrimPrefix(r.URL.Path, adminPrefix) {
	case "GET stats":
		writeJSON(w, http.StatusOK, s.Stats())
	case "GET objects":
		writeJSON(w, http.StatusOK, s.Objects())
	case "POST reset":
		s.Reset()
		writeJSON(w, http.StatusOK, obj{"ok": true})
	case "POST fail-rate":
		p, err := strconv.ParseFloat(q.Get("p"), 64)
		if err != nil || p < 0 || p > 1 {
			writeJSON(w, http.StatusBadRequest, obj{"error": "p must be a number in [0,1]"})
			return
		}
		s.SetFailRate(p)
		writeJSON(w, http.StatusOK, obj{"ok": true, "failRate": p})
	case "GET clock":
		s.mu.Lock()
		now := s.now()
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, obj{"now": now.UnixMilli(), "nowRFC3339": now.UTC().Format(time.RFC3339Nano)})
	case "POST clock":
		d, err := time.ParseDuration(q.Get("advance"))
		if err != nil || d < 0 {
			writeJSON(w, http.StatusBadRequest, obj{"error": "advance must be a non-negative Go duration, e.g. 90s or 1h"})
			return
		}
		now := s.Advance(d)
		writeJSON(w, http.StatusOK, obj{"now": now.UnixMilli(), "nowRFC3339": now.UTC().Format(time.RFC3339Nano)})
	case "POST tokens/expire":
		writeJSON(w, http.StatusOK, obj{"ok": true, "expired": s.ExpireTokens()})
	case "POST online":
		u := q.Get("user")
		on, err := strconv.ParseBool(q.Get("online"))
		if !validUserID(u) || err != nil {
			writeJSON(w, http.StatusBadRequest, obj{"error": "want user=<id>&online=true|false"})
			return
		}
		s.SetOnline(u, on)
		writeJSON(w, http.StatusOK, obj{"ok": true})
	case "DELETE room":
		if !s.DeleteRoom(q.Get("id")) {
			writeJSON(w, http.StatusNotFound, obj{"error": "no such room"})
			return
		}
		writeJSON(w, http.StatusOK, obj{"ok": true})
	default:
		writeJSON(w, http.StatusNotFound, obj{"error": "unknown admin path"})
	}
}

// --- HTTP

type obj = map[string]any

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"web_application","error_description":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b) // a failed write means the client went away: nobody to tell
}

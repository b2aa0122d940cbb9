package nimsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/simkit"
)

const (
	DefaultAppKey    = "nimsim-app-key"
	DefaultAppSecret = "nimsim-app-secret"

	maxBody         = 1 << 20 // 1 MiB request body
	defaultBlock    = 10 * time.Second
	defaultMaxRoles = 20 // api-facts: 20 roles per server by default
)

// Config configures a Server. The zero value is usable.
type Config struct {
	AppKey, AppSecret string        // the one app accepted (defaults: DefaultAppKey, DefaultAppSecret)
	Accounts          []string      // optional account registry; nil/empty = every accid accepted
	Latency, Jitter   time.Duration // added to every API request
	FailRate          float64       // 0..1, probability a request gets a fault
	Seed              int64         // reproducible faults
	RateLimit         float64       // requests/s per app; 0 = unlimited
	Block             time.Duration // how long an endpoint stays blocked after a rate-limit 416 (default 10s)
	MaxRoles          int           // custom roles per QChat server (default 20) -> 419 when exceeded
	StateFile         string        // load at start, save atomically (write temp + rename) after each change
	Now               func() time.Time

	// Answer-shape and feature switches; the zero value of each is the
	// default behaviour (doc.go, "Switches").

	// JSONStringAnswers answers the fields listed in stringFormFields as JSON
	// strings holding their JSON (the form the vendor's Go SDK decodes).
	JSONStringAnswers bool
	// GetBatchExampleFields makes getBatch entries carry exactly the keys of
	// 000's example: no valid, creator, ionotify or delayInfo.
	GetBatchExampleFields bool
	// DelayCloseDisabled is an app without the timed-close feature: a timed
	// delayClosePolicy (create, toggleCloseStat) and every
	// updateDelayClosePolicy call answer 13009.
	DelayCloseDisabled bool
}

// Stats counts API requests (admin paths excluded).
type Stats struct {
	Total       int64            `json:"total"`
	Requests    map[string]int64 `json:"requests"` // by endpoint, "chatroom/create"; unknown paths under "unknown"
	Faults      map[string]int64 `json:"faults"`   // injected: "500", "416", "drop_before", "drop_after"
	RateLimited int64            `json:"rateLimited"`
}

// Server is the simulator. It is safe for concurrent use.
type Server struct {
	cfg      Config
	accounts map[string]bool

	mu sync.Mutex // guards st; held for the whole of each handler
	st *state

	statsMu sync.Mutex
	stats   Stats

	faults *simkit.Faults

	lim limiter
}

// New returns a Server, loading Config.StateFile when it exists.
func New(cfg Config) (*Server, error) {
	if cfg.AppKey == "" {
		cfg.AppKey = DefaultAppKey
	}
	if cfg.AppSecret == "" {
		cfg.AppSecret = DefaultAppSecret
	}
	if cfg.Block <= 0 {
		cfg.Block = defaultBlock
	}
	if cfg.MaxRoles <= 0 {
		cfg.MaxRoles = defaultMaxRoles
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FailRate < 0 || cfg.FailRate > 1 {
		return nil, fmt.Errorf("nimsim: fail rate %v not in [0,1]", cfg.FailRate)
	}
	if cfg.RateLimit < 0 || cfg.Latency < 0 || cfg.Jitter < 0 {
		return nil, errors.New("nimsim: negative rate limit, latency or jitter")
	}
	s := &Server{
		cfg:    cfg,
		faults: simkit.NewFaults(cfg.Seed, 0x6e696d73, 0x6a697474, cfg.FailRate, faultKinds[:]...),
		st:     newState(initialCounters()),
	}
	s.lim.blocked = map[string]time.Time{}
	if len(cfg.Accounts) > 0 {
		s.accounts = map[string]bool{}
		for _, a := range cfg.Accounts {
			s.accounts[a] = true
		}
	}
	s.resetStatsLocked()
	if cfg.StateFile != "" {
		if err := s.load(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Server) registered(accid string) bool {
	return s.accounts == nil || s.accounts[accid]
}

// --- stats

func (s *Server) resetStatsLocked() {
	s.stats = Stats{Requests: map[string]int64{}, Faults: map[string]int64{}}
}

func (s *Server) countRequest(key string) {
	s.statsMu.Lock()
	s.stats.Total++
	s.stats.Requests[key]++
	s.statsMu.Unlock()
}

func (s *Server) countFault(kind string) {
	s.statsMu.Lock()
	s.stats.Faults[kind]++
	s.statsMu.Unlock()
}

// Stats returns a copy of the request counters.
func (s *Server) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	out := s.stats
	out.Requests = make(map[string]int64, len(s.stats.Requests))
	for k, v := range s.stats.Requests {
		out.Requests[k] = v
	}
	out.Faults = make(map[string]int64, len(s.stats.Faults))
	for k, v := range s.stats.Faults {
		out.Faults[k] = v
	}
	return out
}

// ResetStats zeroes the request counters.
func (s *Server) ResetStats() {
	s.statsMu.Lock()
	s.resetStatsLocked()
	s.statsMu.Unlock()
}

// --- state access

// Objects returns a deep snapshot of every stored object.
func (s *Server) Objects() Objects {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tickDelays(s.cfg.Now().UnixMilli()) {
		s.save()
	}
	return s.st.snapshot()
}

// Reset drops all objects, stats and endpoint blocks. Id and timetag
// counters keep counting so that an id from before the reset stays unknown.
func (s *Server) Reset() {
	s.mu.Lock()
	s.st = newState(s.st.counters)
	s.save()
	s.mu.Unlock()
	s.ResetStats()
	s.lim.reset()
}

// Delete removes an object behind the API's back (drift tests), with the
// same cascade the API applies. Kinds: "chatroom", "qchat_server",
// "qchat_channel", "qchat_role" (server role), "qchat_channel_role".
func (s *Server) Delete(kind string, id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	switch kind {
	case "chatroom":
		if st.rooms[id] == nil {
			return false
		}
		delete(st.rooms, id)
	case "qchat_server":
		if st.servers[id] == nil {
			return false
		}
		st.removeServer(id)
	case "qchat_channel":
		if st.channels[id] == nil {
			return false
		}
		st.removeChannel(id)
	case "qchat_role":
		if st.roles[id] == nil {
			return false
		}
		st.removeRole(id)
	case "qchat_channel_role":
		if st.chanRoles[id] == nil {
			return false
		}
		delete(st.chanRoles, id)
	default:
		return false
	}
	s.save()
	return true
}

// SetFailRate changes the fault probability at run time (clamped to [0,1]).
func (s *Server) SetFailRate(p float64) {
	s.faults.SetRate(p)
}

// --- state file

// stateFile is the state file of Config.StateFile ("" for none).
func (s *Server) stateFile() simkit.StateFile[counters, Objects] {
	return simkit.StateFile[counters, Objects]{Name: "nimsim", Path: s.cfg.StateFile}
}

// state is what the state file holds; callers hold s.mu.
func (s *Server) state() (counters, Objects) { return s.st.counters, s.st.snapshot() }

func (s *Server) load() error {
	c, objects, found, err := s.stateFile().Load()
	if err != nil || !found {
		return err
	}
	ic := initialCounters()
	// Never go below the initial ranges, whatever an edited file says.
	c.NextRoomID = max(c.NextRoomID, ic.NextRoomID)
	c.NextServerID = max(c.NextServerID, ic.NextServerID)
	c.NextChannelID = max(c.NextChannelID, ic.NextChannelID)
	c.NextRoleID = max(c.NextRoleID, ic.NextRoleID)
	c.NextChannelRoleID = max(c.NextChannelRoleID, ic.NextChannelRoleID)
	s.st = restore(c, objects)
	return nil
}

// save writes the state file atomically after a change (see
// simkit.StateFile). Callers hold s.mu, so saves are serialised and each one
// is a consistent snapshot.
func (s *Server) save() { s.stateFile().SaveOrLog(s.state) }

// Save writes the state file now, after the delayed changes that are due,
// and reports a failure (see simkit.StateFile.Save): for shutdown. Without
// Config.StateFile it does nothing.
func (s *Server) Save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tickDelays(s.cfg.Now().UnixMilli())
	return s.stateFile().Save(s.state)
}

// --- HTTP

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusOK, []byte(`{"code":500,"desc":"server error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	// A failed write means the client hung up: there is no one to tell.
	_, _ = w.Write(b)
}

func writeAPIError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, http.StatusOK, obj{"code": e.Code, "desc": e.Desc})
}

// endpointKey turns "/nimserver/chatroom/create.action" into "chatroom/create".
func endpointKey(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/nimserver/")
	if !ok {
		return "", false
	}
	rest, ok = strings.CutSuffix(rest, ".action")
	if !ok || rest == "" {
		return "", false
	}
	return rest, true
}

// ServeHTTP serves the NIM API under /nimserver/ and the admin API under /_sim/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.serveAdmin(w, r)
		return
	}
	key, ok := endpointKey(r.URL.Path)
	h := routes[key]
	if !ok || h == nil {
		s.countRequest("unknown") // bounded key: arbitrary paths must not grow the map
		writeJSON(w, http.StatusNotFound, obj{"code": 404, "desc": "unknown endpoint"})
		return
	}
	s.countRequest(key)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, obj{"code": 405, "desc": "method not allowed"})
		return
	}
	if !s.sleep(r) {
		return // client went away while we were "slow"
	}
	if e := s.checkSignature(r.Header); e != nil {
		writeAPIError(w, e)
		return
	}
	if !s.lim.allow(key, s.cfg.RateLimit, s.cfg.Block, s.cfg.Now()) {
		s.statsMu.Lock()
		s.stats.RateLimited++
		s.statsMu.Unlock()
		writeAPIError(w, errf(416, "api frequency control"))
		return
	}
	fault := s.rollFault()
	switch fault {
	case "500":
		writeAPIError(w, errf(500, "server error"))
		return
	case "416":
		writeAPIError(w, errf(416, "api frequency control"))
		return
	case "drop_before":
		simkit.DropConnection(w)
		return
	}
	form, e := parseBody(w, r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	body, e := s.apply(h, form)
	if fault == "drop_after" {
		simkit.DropConnection(w)
		return
	}
	if e != nil {
		writeAPIError(w, e)
		return
	}
	if s.cfg.JSONStringAnswers {
		stringForm(key, body)
	}
	body["code"] = 200
	writeJSON(w, http.StatusOK, body)
}

// apply runs a handler under the state lock and saves when it changed state.
func (s *Server) apply(h handler, form map[string][]string) (body obj, e *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	c := &call{s: s, st: s.st, form: form, now: now, nowMs: now.UnixMilli()}
	ticked := s.tickDelays(c.nowMs)
	defer func() {
		if c.changed || ticked {
			s.save()
		}
		// A handler bug must not take the process down nor leak a stack
		// trace to the client: answer like the real service's 500.
		if rec := recover(); rec != nil {
			log.Printf("nimsim: handler panic: %v", rec)
			body, e = nil, errf(500, "server error")
		}
	}()
	res, err := h(c)
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = errf(500, "server error")
		}
		return nil, ae
	}
	if res == nil {
		res = obj{}
	}
	return res, nil
}

func parseBody(w http.ResponseWriter, r *http.Request) (map[string][]string, *apiError) {
	// The media type decides; its parameters (charset) are not looked at.
	// Whitespace around it is HTTP's optional whitespace: spaces and tabs.
	ct := r.Header.Get("Content-Type")
	mt, _, _ := strings.Cut(ct, ";")
	if !strings.EqualFold(strings.Trim(mt, " \t"), "application/x-www-form-urlencoded") {
		// An empty body carries no parameter in any encoding, so its content
		// type (absent, as an HTTP client sends for no body, or any other)
		// changes nothing: it is the empty form, and the handler names the
		// first missing parameter. Only a body with content is refused.
		if r.Body == nil {
			return map[string][]string{}, nil
		}
		var one [1]byte
		switch n, err := io.ReadFull(r.Body, one[:]); {
		case n == 0 && errors.Is(err, io.EOF):
			return map[string][]string{}, nil
		case n == 0:
			return nil, paramErr("invalid body")
		}
		return nil, paramErr("content-type must be application/x-www-form-urlencoded")
	}
	// The body is read and parsed here rather than with r.ParseForm, which
	// also parses the query string and the content type's parameters and
	// fails the request on an error in either, although neither carries
	// parameters (every page: "POST 请求中 Body").
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, paramErr("body too large")
		}
		return nil, paramErr("invalid body")
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, paramErr("invalid body")
	}
	return form, nil
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + r.URL.Path
	switch route {
	case "GET /_sim/health":
		// Answers as soon as the server is listening: a CI step can poll it
		// before running Terraform.
		writeJSON(w, http.StatusOK, obj{"ok": true})
	case "GET /_sim/stats":
		writeJSON(w, http.StatusOK, s.Stats())
	case "GET /_sim/objects":
		writeJSON(w, http.StatusOK, s.Objects())
	case "POST /_sim/reset":
		s.Reset()
		writeJSON(w, http.StatusOK, obj{"ok": true})
	case "POST /_sim/fail-rate":
		p, err := strconv.ParseFloat(r.URL.Query().Get("p"), 64)
		if err != nil || p < 0 || p > 1 {
			writeJSON(w, http.StatusBadRequest, obj{"error": "p must be a number in [0,1]"})
			return
		}
		s.SetFailRate(p)
		writeJSON(w, http.StatusOK, obj{"ok": true, "failRate": p})
	default:
		writeJSON(w, http.StatusNotFound, obj{"error": "unknown admin path"})
	}
}

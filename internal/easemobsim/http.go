package easemobsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nimtf/terraform-provider-nim/internal/simkit"
)

// apiError is a failure answer: an HTTP status and the documented body
// {error, exception, timestamp, duration, properties, error_description}.
type apiError struct {
	status int
	kind   string // "error"
	desc   string // "error_description"
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.kind, e.desc) }

func errf(status int, kind, format string, a ...any) *apiError {
	return &apiError{status: status, kind: kind, desc: fmt.Sprintf(format, a...)}
}

// exceptions gives each error type the Java exception class its body names.
// Only GroupAuthorizationException was seen in a capture; the others are
// plausible names in the same style (the field is informative only).
var exceptions = map[string]string{
	"invalid_parameter":                  "com.easemob.group.exception.InvalidParameterException",
	"illegal_argument":                   "java.lang.IllegalArgumentException",
	"json_parse":                         "com.fasterxml.jackson.core.JsonParseException",
	"forbidden_op":                       "com.easemob.group.exception.ForbiddenOpException",
	"exceed_limit":                       "com.easemob.group.exception.ExceedLimitException",
	"resource_not_found":                 "com.easemob.group.exception.ResourceNotFoundException",
	"service_resource_not_found":         "com.easemob.group.exception.ServiceResourceNotFoundException",
	"organization_application_not_found": "com.easemob.management.exception.OrganizationApplicationNotFoundException",
	"unauthorized":                       "UnauthorizedException",
	"auth_bad_access_token":              "com.easemob.management.exception.BadAccessTokenException",
	"invalid_grant":                      "com.easemob.management.exception.InvalidGrantException",
	"reach_limit":                        "com.easemob.ratelimit.exception.ReachLimitException",
	"web_application":                    "javax.ws.rs.WebApplicationException",
	"unsupported_service_operation":      "com.easemob.management.exception.UnsupportedServiceOperationException",
	"method_not_allowed":                 "javax.ws.rs.NotAllowedException",
	"Request Entity Too Large":           "javax.ws.rs.WebApplicationException",
}

// result is what a handler answers.
type result struct {
	data   any
	count  *int       // envelope "count" when set
	params url.Values // envelope "params" when set (the query, as 002 shows it)
	action string     // envelope "action" when it is not the method (ban: "put")
	props  bool       // envelope "properties": {}
	cursor string     // "cursor" beside data: there is a next page
	raw    obj        // the whole body (token answer): no envelope
}

func intp(n int) *int { return &n }

// call is one request as a handler sees it.
type call struct {
	s     *Server
	st    *state
	rt    *route
	vars  map[string]string
	query url.Values
	body  map[string]json.RawMessage
	now   time.Time
	nowMs int64
	docs  bool // Config.Docs002
	// changed marks a state change, saved to the state file after the call.
	changed bool
}

// ServeHTTP serves the Easemob REST API under /{org}/{app}/ and its
// controls under /_sim/easemob/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		s.serveAdmin(w, r)
		return
	}
	segs, ok := splitPath(r.URL.EscapedPath())
	if !ok || len(segs) < 2 || segs[0] != s.cfg.Org || segs[1] != s.cfg.App {
		s.count(func(st *Stats) { st.Total++; st.Requests["unknown"]++ })
		org, app := "", ""
		if len(segs) > 0 {
			org = segs[0]
		}
		if len(segs) > 1 {
			app = segs[1]
		}
		s.fail(w, errf(http.StatusNotFound, "organization_application_not_found",
			"Could not find application for %s/%s from URI: %s", org, app, strings.TrimPrefix(r.URL.Path, "/")))
		return
	}
	rt, vars, allowed := match(r.Method, segs[2:])
	if rt == nil {
		s.count(func(st *Stats) { st.Total++; st.Requests["unknown"]++ })
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			s.fail(w, errf(http.StatusMethodNotAllowed, "method_not_allowed", "HTTP method %s is not supported by this URL", r.Method))
			return
		}
		// The documented status for an unknown route is 500; answering 404
		// would let a client take a wrong path for a deleted room.
		s.fail(w, errf(http.StatusInternalServerError, "unsupported_service_operation", "Service operation not supported"))
		return
	}
	s.count(func(st *Stats) { st.Total++; st.Requests[rt.key()]++ })
	if !s.sleep(r) {
		return // the client went away while we were "slow"
	}
	if rt.h != nil {
		if e := s.authenticate(r.Header.Get("Authorization")); e != nil {
			s.fail(w, e)
			return
		}
	}
	if !s.allowRate(rt.class) {
		s.count(func(st *Stats) { st.RateLimited++ })
		s.fail(w, errf(http.StatusTooManyRequests, "reach_limit", "This request has reached api limit"))
		return
	}
	fault := s.rollFault()
	switch fault {
	case "500":
		s.fail(w, errf(http.StatusInternalServerError, "web_application", "Internal Server Error"))
		return
	case "429":
		s.fail(w, errf(http.StatusTooManyRequests, "reach_limit", "This request has reached api limit"))
		return
	case "drop_before":
		simkit.DropConnection(w)
		return
	}
	var body map[string]json.RawMessage
	if rt.body {
		var e *apiError
		if body, e = s.readBody(w, r); e != nil {
			s.fail(w, e)
			return
		}
	}
	res, e := s.apply(rt, vars, r.URL.Query(), body)
	if fault == "drop_after" {
		simkit.DropConnection(w)
		return
	}
	if e != nil {
		s.fail(w, e)
		return
	}
	s.reply(w, r, rt, segs, res)
}

// splitPath splits an escaped path into unescaped segments, so that a
// comma list written with %2C (as the docs ask) is one segment.
func splitPath(escaped string) ([]string, bool) {
	p, ok := strings.CutPrefix(escaped, "/")
	if !ok {
		return nil, false
	}
	parts := strings.Split(p, "/")
	for i, x := range parts {
		u, err := url.PathUnescape(x)
		if err != nil {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}

// apply runs a handler under the state lock and saves when state changed.
func (s *Server) apply(rt *route, vars map[string]string, q url.Values, body map[string]json.RawMessage) (res *result, e *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c := &call{s: s, st: s.st, rt: rt, vars: vars, query: q, body: body, now: now, nowMs: now.UnixMilli(), docs: s.cfg.Docs002}
	swept := s.sweep()
	defer func() {
		if c.changed || swept {
			s.save()
		}
		// A handler bug must not take the process down nor leak a stack
		// trace to the client: answer like the real service's 500.
		if rec := recover(); rec != nil {
			log.Printf("easemobsim: handler panic: %v", rec)
			res, e = nil, errf(http.StatusInternalServerError, "web_application", "Internal Server Error")
		}
	}()
	if rt.h == nil {
		res, err := s.issueToken(c)
		return res, asAPIError(err)
	}
	res, err := rt.h(c)
	if err != nil {
		return nil, asAPIError(err)
	}
	return res, nil
}

func asAPIError(err error) *apiError {
	if err == nil {
		return nil
	}
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = errf(http.StatusInternalServerError, "web_application", "Internal Server Error")
	}
	return ae
}

// readBody reads a JSON object body: at most 5 KiB (413), sent as
// application/json unless LenientContentType (415), valid JSON (400
// json_parse).
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, *apiError) {
	if !s.cfg.LenientContentType {
		mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
		if !strings.EqualFold(strings.Trim(mt, " \t"), "application/json") {
			return nil, errf(http.StatusUnsupportedMediaType, "web_application", "Unsupported Media Type")
		}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errf(http.StatusRequestEntityTooLarge, "Request Entity Too Large", "request body is larger than %d bytes", maxBody)
		}
		return nil, errf(http.StatusBadRequest, "json_parse", "could not read the request body")
	}
	return parseJSONObject(b)
}

// parseJSONObject parses a request body: one JSON object, nothing after it.
func parseJSONObject(b []byte) (map[string]json.RawMessage, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var m map[string]json.RawMessage
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errf(http.StatusBadRequest, "json_parse", "Unexpected character in the request body: it must be a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errf(http.StatusBadRequest, "json_parse", "Unexpected content after the JSON object")
	}
	return m, nil
}

func (s *Server) fail(w http.ResponseWriter, e *apiError) {
	s.count(func(st *Stats) { st.Statuses[strconv.Itoa(e.status)]++ })
	ex := exceptions[e.kind]
	if ex == "" {
		ex = "javax.ws.rs.WebApplicationException"
	}
	writeJSON(w, e.status, obj{
		"error": e.kind, "exception": ex, "timestamp": s.cfg.Now().Add(s.clockOffset()).UnixMilli(),
		"duration": 0, "properties": obj{}, "error_description": e.desc,
	})
}

func (s *Server) clockOffset() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offset
}

// reply writes a success: the documented envelope around the handler's data.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, rt *route, segs []string, res *result) {
	s.count(func(st *Stats) { st.Statuses["200"]++ })
	if res.raw != nil {
		writeJSON(w, http.StatusOK, res.raw)
		return
	}
	if s.cfg.Docs002 && rt.bare {
		b := obj{"data": res.data}
		if res.cursor != "" {
			b["cursor"] = res.cursor
		}
		writeJSON(w, http.StatusOK, b)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	action := res.action
	if action == "" {
		action = strings.ToLower(rt.method)
	}
	env := obj{
		"action": action, "application": s.appID, "applicationName": s.cfg.App, "organization": s.cfg.Org,
		"uri":      scheme + "://" + r.Host + "/" + strings.Join(escapeSegs(segs), "/"),
		"entities": []any{}, "data": res.data,
		"timestamp": s.cfg.Now().Add(s.clockOffset()).UnixMilli(), "duration": 0,
	}
	if res.count != nil {
		env["count"] = *res.count
	}
	if res.cursor != "" {
		env["cursor"] = res.cursor
	}
	if res.params != nil {
		p := obj{}
		keys := make([]string, 0, len(res.params))
		for k := range res.params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p[k] = res.params[k]
		}
		env["params"] = p
	}
	if res.props {
		env["properties"] = obj{}
	}
	writeJSON(w, http.StatusOK, env)
}

// escapeSegs writes segments back as a path; a comma stays a comma, as in
// 002's answers ("users/user1%2Cuser2" is answered as sent in one example
// and with a plain comma in another; the plain form is kept).
func escapeSegs(segs []string) []string {
	out := make([]string, len(segs))
	for i, x := range segs {
		out[i] = strings.ReplaceAll(url.PathEscape(x), "%2C", ",")
	}
	return out
}

package nimsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// apiError is an answer with a non-200 code: {"code":..,"desc":".."}.
type apiError struct {
	Code int
	Desc string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Desc) }

func errf(code int, format string, a ...any) *apiError {
	return &apiError{Code: code, Desc: fmt.Sprintf(format, a...)}
}

func notFound(what string) *apiError  { return errf(404, "%s not found", what) }
func forbidden(why string) *apiError  { return errf(403, "%s", why) }
func paramErr(desc string) *apiError  { return errf(414, "%s", desc) }
func duplicate(what string) *apiError { return errf(417, "%s", what) }

// obj is a success answer body; "code":200 is added when it is written.
type obj = map[string]any

// call carries one request through a handler. Parameter helpers record the
// first error in c.err and return a zero value, so a handler reads all its
// parameters in document order and checks c.err once.
type call struct {
	s       *Server
	st      *state
	form    url.Values
	now     time.Time
	nowMs   int64
	changed bool // set by handlers that modify state (triggers a state-file save)
	err     *apiError
}

func (c *call) fail(e *apiError) {
	if c.err == nil {
		c.err = e
	}
}

// failed returns the first parameter error, typed as error only when non-nil.
func (c *call) failed() error {
	if c.err == nil {
		return nil
	}
	return c.err
}

// raw returns the first value of a body parameter and whether it was sent.
// The body is utf-8 (its documented charset): a value that is not valid
// UTF-8 is a 414, rather than being stored as sent and answered (JSON) with
// U+FFFD in place of the bad bytes, a value the client never sent.
func (c *call) raw(name string) (string, bool) {
	vs, ok := c.form[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	if !utf8.ValidString(vs[0]) {
		c.fail(paramErr("invalid " + name))
		return "", true
	}
	return vs[0], true
}

func (c *call) has(name string) bool { _, ok := c.raw(name); return ok }

// str reads a string of at most maxN characters (runes); a required one must
// be present and non-empty.
func (c *call) str(name string, maxN int, required bool) string {
	v, ok := c.raw(name)
	if required && (!ok || v == "") {
		c.fail(paramErr("missing " + name))
		return ""
	}
	if maxN > 0 && utf8.RuneCountInString(v) > maxN {
		c.fail(paramErr(name + " too long"))
		return ""
	}
	return v
}

// account reads an accid (≤32 characters, as chatroom create documents for
// creator; NIM accids are 32 at most everywhere) and, when the simulator has
// an account registry, rejects unknown ones the way create's example does.
func (c *call) account(name string, required bool) string {
	v := c.str(name, 32, required)
	if v != "" {
		c.checkRegistered(name, v)
	}
	return v
}

func (c *call) checkRegistered(name, accid string) {
	if !c.s.registered(accid) {
		if name == "creator" || name == "owner" {
			c.fail(paramErr("owner not register")) // wording of 003's failure example
		} else {
			c.fail(paramErr(name + " not register"))
		}
	}
}

// integer reads a decimal integer; absent returns def. minN/maxN bound it.
func (c *call) integer(name string, required bool, def, minN, maxN int64) int64 {
	v, ok := c.raw(name)
	if !ok || v == "" {
		if required {
			c.fail(paramErr("missing " + name))
		}
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < minN || n > maxN {
		c.fail(paramErr("invalid " + name))
		return def
	}
	return n
}

// enum reads an integer that must be one of allowed ("其它返回414").
func (c *call) enum(name string, required bool, def int, allowed ...int) int {
	v, ok := c.raw(name)
	if !ok || v == "" {
		if required {
			c.fail(paramErr("missing " + name))
		}
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err == nil {
		for _, a := range allowed {
			if n == a {
				return n
			}
		}
	}
	c.fail(paramErr("invalid " + name))
	return def
}

// id reads a required positive object id.
func (c *call) id(name string) int64 {
	return c.integer(name, true, 0, 1, 1<<62)
}

// boolean reads "true"/"false"; anything else is a 414.
func (c *call) boolean(name string, required bool, def bool) bool {
	v, ok := c.raw(name)
	if !ok || v == "" {
		if required {
			c.fail(paramErr("missing " + name))
		}
		return def
	}
	switch v {
	case "true":
		return true
	case "false":
		return false
	}
	c.fail(paramErr("invalid " + name))
	return def
}

// jsonArray reads a JSON array parameter with at most maxN elements.
func (c *call) jsonArray(name string, required bool, maxN int) []json.RawMessage {
	v, ok := c.raw(name)
	if !ok || v == "" {
		if required {
			c.fail(paramErr("missing " + name))
		}
		return nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal([]byte(v), &arr); err != nil || arr == nil {
		c.fail(paramErr("invalid " + name))
		return nil
	}
	if required && len(arr) == 0 {
		c.fail(paramErr("empty " + name))
		return nil
	}
	if len(arr) > maxN {
		c.fail(paramErr("too many " + name))
		return nil
	}
	return arr
}

// strArray reads a required JSON array of non-empty strings, duplicates
// dropped.
func (c *call) strArray(name string, maxN, maxLen int) []string {
	arr := c.jsonArray(name, true, maxN)
	out := make([]string, 0, len(arr))
	seen := map[string]bool{}
	for _, e := range arr {
		var s string
		if json.Unmarshal(e, &s) != nil || s == "" || utf8.RuneCountInString(s) > maxLen {
			c.fail(paramErr("invalid " + name))
			return nil
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// accountArray is strArray of accids, each checked against the registry; the
// parameter is required.
func (c *call) accountArray(name string, maxN int) []string {
	out := c.strArray(name, maxN, 32)
	for _, a := range out {
		c.checkRegistered(name, a)
	}
	return out
}

// idArray reads a JSON array of ids given as numbers or as digit strings
// (getBatch's example sends strings, answers with numbers); the parameter is
// required.
func (c *call) idArray(name string, maxN int) []int64 {
	arr := c.jsonArray(name, true, maxN)
	out := make([]int64, 0, len(arr))
	for _, e := range arr {
		var n json.Number
		dec := json.NewDecoder(bytes.NewReader(e))
		dec.UseNumber()
		var x any
		if dec.Decode(&x) != nil {
			c.fail(paramErr("invalid " + name))
			return nil
		}
		switch t := x.(type) {
		case json.Number:
			n = t
		case string:
			n = json.Number(t)
		default:
			c.fail(paramErr("invalid " + name))
			return nil
		}
		id, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil || id <= 0 {
			c.fail(paramErr("invalid " + name))
			return nil
		}
		out = append(out, id)
	}
	return out
}

// jsonObject reads a parameter that must hold a JSON object; it returns the
// decoded object and the raw text.
func (c *call) jsonObject(name string, maxN int) (map[string]json.RawMessage, string) {
	v, ok := c.raw(name)
	if !ok || v == "" {
		return nil, ""
	}
	if maxN > 0 && utf8.RuneCountInString(v) > maxN {
		c.fail(paramErr(name + " too long"))
		return nil, ""
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(v), &m); err != nil || m == nil {
		c.fail(paramErr("invalid " + name))
		return nil, ""
	}
	return m, v
}

// limit reads the page size parameter "limit": absent gives def, otherwise
// 1..maxPage.
func (c *call) limit(def int) int {
	return int(c.integer("limit", false, int64(def), 1, maxPage))
}

func parseID(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

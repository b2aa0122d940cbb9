package easemobsim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// batchMax is the documented size limit of every batch (60 users).
const batchMax = 60

func badParam(format string, a ...any) *apiError {
	return errf(http.StatusBadRequest, "invalid_parameter", format, a...)
}

// str reads a string field of the body. A missing field (or null) is
// "must be provided" when required; another JSON type is a 400 too.
func (c *call) str(key string, required bool) (string, bool, error) {
	raw, ok := c.body[key]
	if !ok || string(raw) == "null" {
		if required {
			return "", false, badParam("%s must be provided", key)
		}
		return "", false, nil
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", false, badParam("%s must be a string", key)
	}
	if !utf8.ValidString(v) {
		return "", false, badParam("%s must be valid UTF-8", key)
	}
	return v, true, nil
}

// integer reads a whole-number field (a JSON number; 002: "值为数值类型").
func (c *call) integer(key string) (int64, bool, error) {
	raw, ok := c.body[key]
	if !ok || string(raw) == "null" {
		return 0, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var n json.Number
	if err := dec.Decode(&n); err != nil {
		return 0, false, badParam("%s must be a number", key)
	}
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return 0, false, badParam("%s must be a whole number", key)
	}
	return v, true, nil
}

// strList reads an array of strings. With allowString (Docs002 reading of
// a table that says "String"), a comma-separated string is accepted too.
func (c *call) strList(key string, allowString bool) ([]string, bool, error) {
	raw, ok := c.body[key]
	if !ok || string(raw) == "null" {
		return nil, false, nil
	}
	var v []string
	if err := json.Unmarshal(raw, &v); err != nil {
		var s string
		if !allowString || json.Unmarshal(raw, &s) != nil {
			return nil, false, badParam("%s must be an array of user ids", key)
		}
		v = splitList(s)
	}
	return v, true, nil
}

// splitList splits a comma list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// fold is a user id as stored: user ids are case-insensitive.
func fold(u string) string { return strings.ToLower(u) }

// roomFor finds the room in the path. Reads answer the documented read
// error (404 service_resource_not_found), writes the write one (404
// resource_not_found); a client keys "not found" on the status alone.
func (c *call) roomFor(read bool) (*room, error) {
	id := c.vars["id"]
	r := c.st.rooms[id]
	if r == nil {
		if read {
			return nil, errf(http.StatusNotFound, "service_resource_not_found", "do not find this group:%s", id)
		}
		return nil, errf(http.StatusNotFound, "resource_not_found", "grpID %s does not exist!", id)
	}
	return r, nil
}

// user checks that u is registered and returns it folded.
func (c *call) user(u string) (string, error) {
	f := fold(u)
	if !c.s.userExists(f) {
		if c.docs && c.rt.pattern == "chatrooms/{id}/users/{username}" {
			// 002: adding a user who does not exist "fails with 400".
			return "", errf(http.StatusBadRequest, "invalid_parameter", "username %s doesn't exist!", u)
		}
		return "", errf(http.StatusNotFound, "resource_not_found", "username %s doesn't exist!", u)
	}
	return f, nil
}

// pathUsers splits a {usernames} path segment (a comma list, %2C in the
// URL) and checks the batch limit, whose error text is route specific.
func pathUsers(seg string, limit int, tooMany string) ([]string, error) {
	us := splitList(seg)
	if len(us) == 0 {
		return nil, badParam("usernames must be provided")
	}
	if len(us) > limit {
		return nil, badParam(tooMany, limit)
	}
	return dedupe(us), nil
}

// dedupe folds and removes repeated ids, keeping the first occurrence.
func dedupe(us []string) []string {
	seen := map[string]bool{}
	out := us[:0:0]
	for _, u := range us {
		if f := fold(u); !seen[f] {
			seen[f] = true
			out = append(out, u)
		}
	}
	return out
}

// --- paging

// cursor is an opaque position: base64 of the offset of the next item.
func encodeCursor(off int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(off)))
}

func decodeCursor(s string) (int, error) {
	if s == "" || s == "null" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		if rest, ok := strings.CutPrefix(string(b), "o:"); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 0 {
				return n, nil
			}
		}
	}
	return 0, badParam("cursor is invalid")
}

// queryInt reads a query integer; absent is def. Not a number is a 400.
func (c *call) queryInt(key string, def int) (int, error) {
	v := c.query.Get(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badParam("%s must be a number", key)
	}
	return n, nil
}

// pageSizeMax is the largest pagesize a pagenum listing serves.
const pageSizeMax = 1000

// pageNum applies pagenum (from 1, default 1) and pagesize (clamped to
// [lo, pageSizeMax], default def) to n items and returns the slice bounds.
func (c *call) pageNum(n, def, lo int) (from, to int, err error) {
	num, err := c.queryInt("pagenum", 1)
	if err != nil {
		return 0, 0, err
	}
	size, err := c.queryInt("pagesize", def)
	if err != nil {
		return 0, 0, err
	}
	if num < 1 {
		return 0, 0, badParam("pagenum must be 1 or more")
	}
	size = min(max(size, lo), pageSizeMax)
	from = min((num-1)*size, n)
	return from, min(from+size, n), nil
}

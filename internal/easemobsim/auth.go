package easemobsim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// tokenPrefix starts every app token, as observed on live servers.
const tokenPrefix = "YWMt"

// tokenLen is the length of what follows the prefix: 32 random bytes in
// unpadded URL-safe base64.
var tokenLen = base64.RawURLEncoding.EncodedLen(32)

// wellFormed reports whether t has the shape of a token this server issues;
// anything else is "corrupt".
func wellFormed(t string) bool {
	rest, ok := strings.CutPrefix(t, tokenPrefix)
	if !ok || len(rest) != tokenLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// authenticate checks "Authorization: Bearer <token>". Missing or expired:
// 401 unauthorized; malformed: 401 auth_bad_access_token "corrupt";
// well-formed but never issued here: 401 auth_bad_access_token.
func (s *Server) authenticate(h string) *apiError {
	tok, ok := strings.CutPrefix(h, "Bearer ")
	tok = strings.TrimSpace(tok)
	if !ok || tok == "" {
		return errf(http.StatusUnauthorized, "unauthorized", "Unable to authenticate due to expired access token")
	}
	if !wellFormed(tok) {
		return errf(http.StatusUnauthorized, "auth_bad_access_token", "Unable to authenticate due to corrupt access token")
	}
	s.mu.Lock()
	exp, known := s.tokens[tok]
	now := s.now().UnixMilli()
	s.mu.Unlock()
	switch {
	case !known:
		return errf(http.StatusUnauthorized, "auth_bad_access_token", "Unable to authenticate")
	case exp != 0 && exp <= now:
		return errf(http.StatusUnauthorized, "unauthorized", "Unable to authenticate due to expired access token")
	}
	return nil
}

// issueToken serves POST /{org}/{app}/token (client credentials). The
// answer has no envelope: {access_token, expires_in (s), application}.
func (s *Server) issueToken(c *call) (*result, error) {
	grant, _, err := c.str("grant_type", true)
	if err != nil {
		return nil, err
	}
	if grant != "client_credentials" {
		return nil, errf(http.StatusBadRequest, "invalid_grant", "unsupported grant_type: only client_credentials is accepted")
	}
	id, _, err := c.str("client_id", true)
	if err != nil {
		return nil, err
	}
	secret, _, err := c.str("client_secret", true)
	if err != nil {
		return nil, err
	}
	// Constant-time comparisons; neither value is ever echoed.
	if subtle.ConstantTimeCompare([]byte(id), []byte(s.cfg.ClientID)) != 1 {
		return nil, errf(http.StatusBadRequest, "invalid_grant", "client_id does not match")
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(s.cfg.ClientSecret)) != 1 {
		return nil, errf(http.StatusBadRequest, "invalid_grant", "client_secret does not match")
	}
	ttl := int64(s.cfg.TokenTTL.Seconds())
	if raw, ok := c.body["ttl"]; ok && string(raw) != "null" {
		// A number, or a numeric string as in the vendor's own example.
		var n json.Number
		var str string
		if json.Unmarshal(raw, &str) == nil {
			n = json.Number(strings.TrimSpace(str))
		} else if json.Unmarshal(raw, &n) != nil {
			return nil, errf(http.StatusBadRequest, "invalid_parameter", "ttl must be a number of seconds")
		}
		v, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil || v < 0 || v > 1<<40 {
			return nil, errf(http.StatusBadRequest, "invalid_parameter", "ttl must be a whole number of seconds, 0 or more")
		}
		ttl = v
	}
	var rb [32]byte
	rand.Read(rb[:])
	tok := tokenPrefix + base64.RawURLEncoding.EncodeToString(rb[:])
	// Forget tokens that expired long ago, so the map stays small.
	for t, e := range s.tokens {
		if e != 0 && e < c.nowMs-3600_000 {
			delete(s.tokens, t)
		}
	}
	exp := int64(0)
	if ttl > 0 {
		exp = c.nowMs + ttl*1000
	}
	s.tokens[tok] = exp
	return &result{raw: obj{"access_token": tok, "expires_in": ttl, "application": s.appID}}, nil
}

package nimsim

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	maxNonce      = 128             // api-facts: Nonce at most 128 characters
	checksumTTL   = 5 * time.Minute // api-facts: a CheckSum is accepted for 5 minutes
	maxFutureSkew = 60 * time.Second
)

// Checksum is lower-case hex SHA1(AppSecret + Nonce + CurTime), the NIM
// request signature. Exported for tests and tools that sign requests.
func Checksum(secret, nonce, curTime string) string {
	sum := sha1.Sum([]byte(secret + nonce + curTime))
	return hex.EncodeToString(sum[:])
}

// checkSignature validates AppKey, Nonce, CurTime and CheckSum. Header names
// are case-insensitive (http.Header.Get canonicalises). Answers never echo a
// header value, so neither the secret nor a checksum can leak.
func (s *Server) checkSignature(h http.Header) *apiError {
	appKey := h.Get("AppKey")
	if appKey == "" || appKey != s.cfg.AppKey {
		return paramErr("appkey")
	}
	nonce := h.Get("Nonce")
	if nonce == "" || len([]rune(nonce)) > maxNonce {
		return paramErr("nonce")
	}
	curTime := h.Get("CurTime")
	sec, err := strconv.ParseInt(curTime, 10, 64)
	if err != nil {
		return paramErr("curtime")
	}
	now := s.cfg.Now()
	t := time.Unix(sec, 0)
	if now.Sub(t) > checksumTTL {
		return paramErr("CurTime is expired")
	}
	// Whether a future CurTime is accepted is unconfirmed (api-facts); allow
	// a minute of clock skew and reject beyond it.
	if t.Sub(now) > maxFutureSkew {
		return paramErr("CurTime is invalid")
	}
	// Only lower-case hex is accepted: that is the documented format, and a
	// simulator that accepted more would hide a client bug.
	want := Checksum(s.cfg.AppSecret, nonce, curTime)
	got := strings.TrimSpace(h.Get("CheckSum"))
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return paramErr("checksum")
	}
	return nil
}

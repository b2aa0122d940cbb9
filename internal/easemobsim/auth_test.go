package easemobsim

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func tokenBody(extra obj) obj {
	b := obj{"grant_type": "client_credentials", "client_id": DefaultClientID, "client_secret": DefaultClientSecret}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func TestTokenIssue(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	sim, cl := newTestServer(t, Config{Now: clock.Now, TokenTTL: time.Hour})
	cl.token = ""
	a := cl.ok("POST", "token", tokenBody(nil))
	must(t, strings.HasPrefix(a.str("access_token"), "YWMt") && a.num("expires_in") == 3600 && a.str("application") == sim.appID,
		"token answer: expires_in %v, application %v", a.get("expires_in"), a.get("application"))
	must(t, len(a) == 3, "token answer has no envelope: %d keys", len(a))
	must(t, cl.ok("POST", "token", tokenBody(obj{"ttl": "1024000"})).num("expires_in") == 1024000, "ttl as a string")
	must(t, cl.ok("POST", "token", tokenBody(obj{"ttl": 0})).num("expires_in") == 0, "ttl 0")
	cl.fails(400, "invalid_parameter", "POST", "token", tokenBody(obj{"ttl": -1}))
	cl.fails(400, "invalid_parameter", "POST", "token", tokenBody(obj{"ttl": "soon"}))

	for _, tc := range []struct {
		body obj
		desc string
	}{
		{tokenBody(obj{"client_id": "other"}), "client_id does not match"},
		{tokenBody(obj{"client_secret": "other"}), "client_secret does not match"},
		{tokenBody(obj{"grant_type": "password"}), "unsupported grant_type"},
	} {
		d := cl.fails(400, "invalid_grant", "POST", "token", tc.body)
		must(t, strings.Contains(d, tc.desc) && !strings.Contains(d, DefaultClientSecret), "%v: %q", tc.body, d)
	}
	cl.fails(400, "invalid_parameter", "POST", "token", obj{"grant_type": "client_credentials"})
	base := strings.TrimSuffix(cl.base, DefaultOrg+"/"+DefaultApp+"/")
	resp, b := cl.raw("POST", base+DefaultOrg+"/nope/token", tokenBody(nil), nil)
	must(t, resp.StatusCode == 404 && strings.Contains(string(b), `"organization_application_not_found"`) &&
		strings.Contains(string(b), "from URI: "+DefaultOrg+"/nope/token"), "wrong app: %d %s", resp.StatusCode, b)
	must(t, sim.Stats().Requests["POST token"] >= 8, "token requests are counted: %v", sim.Stats().Requests)
}

func TestTokenRequiredAndExpiry(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	sim, cl := newTestServer(t, Config{Now: clock.Now, TokenTTL: 2 * time.Minute})
	good := cl.token
	cl.ok("GET", "chatrooms", nil)

	for _, tc := range []struct {
		header, kind, desc string
	}{
		{"", "unauthorized", "Unable to authenticate due to expired access token"},
		{"Bearer ", "unauthorized", "Unable to authenticate due to expired access token"},
		{"Basic " + good, "unauthorized", "Unable to authenticate due to expired access token"},
		{"Bearer garbage", "auth_bad_access_token", "Unable to authenticate due to corrupt access token"},
		{"Bearer " + good + "x", "auth_bad_access_token", "Unable to authenticate due to corrupt access token"},
		{"Bearer YWMt" + strings.Repeat("A", 43), "auth_bad_access_token", "Unable to authenticate"},
	} {
		resp, b := cl.raw("GET", "chatrooms", nil, func(h http.Header) {
			if tc.header == "" {
				h.Del("Authorization")
			} else {
				h.Set("Authorization", tc.header)
			}
		})
		a := decode(t, b)
		must(t, resp.StatusCode == 401 && a.str("error") == tc.kind && a.str("error_description") == tc.desc,
			"Authorization %q: %d %s", tc.header, resp.StatusCode, b)
		must(t, !strings.Contains(string(b), good), "the token is echoed: %s", b)
	}

	clock.Add(119 * time.Second)
	cl.ok("GET", "chatrooms", nil)
	clock.Add(time.Second)
	d := cl.fails(401, "unauthorized", "GET", "chatrooms", nil)
	must(t, d == "Unable to authenticate due to expired access token", "expired: %q", d)

	// A new token works; the control endpoint expires it at once.
	cl.token = ""
	cl.token = cl.ok("POST", "token", tokenBody(nil)).str("access_token")
	cl.ok("GET", "chatrooms", nil)
	must(t, sim.ExpireTokens() == 2, "two tokens issued")
	cl.fails(401, "unauthorized", "GET", "chatrooms", nil)

	// The simulated clock moves token expiry too.
	cl.token = ""
	cl.token = cl.ok("POST", "token", tokenBody(nil)).str("access_token")
	sim.Advance(3 * time.Minute)
	cl.fails(401, "unauthorized", "GET", "chatrooms", nil)
	must(t, sim.Stats().Statuses["401"] >= 9, "401s counted: %v", sim.Stats().Statuses)
}

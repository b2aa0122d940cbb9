package nimsim

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
)

// Permission keys (api-facts table, from the vendor SDK enums; 1..14 are in
// 001). Server roles may use all of them; channel roles and per-user channel
// overrides only the keys 001 lists for them.
const (
	permManageServer  = 1
	permManageChannel = 2
	permManageRole    = 3
	permEditOwnInfo   = 5
	permInvite        = 6
	permKick          = 7
	permEditOthers    = 8
	permManageLists   = 13
	permHandleApply   = 25
	maxPermKey        = 26
)

// channelPermKeys are the keys a channel role or user override may carry:
// the eight 001 lists for updateChannelIdentify, plus the RTC keys 15..24,
// which the vendor SDK's permission enum scopes to channels (an RTC channel
// is where one connects, speaks and shares a screen; see api-facts.md).
var channelPermKeys = []int{2, 3, 4, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}

// defaultEveryoneAuths is @everyone's permission set on a new server. The
// documents give no default; this follows what the vendor's console shows
// for a new server and what Discord-like products do: ordinary members may
// talk (send, @ others), edit their own member info, invite people and use
// voice/video for themselves; everything that manages the server or other
// members, @everyone, recall/delete of others' messages and the RTC controls
// over others are denied. Every key is present so answers are predictable.
func defaultEveryoneAuths() map[int]int {
	allow := map[int]bool{4: true, 5: true, 6: true, 11: true, 15: true, 17: true, 18: true, 23: true}
	m := map[int]int{}
	for k := 1; k <= maxPermKey; k++ {
		m[k] = -1
		if allow[k] {
			m[k] = 1
		}
	}
	return m
}

// inheritAuths is a new channel role's or user override's set: every channel
// key at 0 (inherit), so creating one changes nothing until updated.
func inheritAuths() map[int]int {
	m := map[int]int{}
	for _, k := range channelPermKeys {
		m[k] = 0
	}
	return m
}

// encodeAuths renders auths as the JSON string the API carries, keys in
// numeric order: "{\"1\":-1,\"2\":1}".
func encodeAuths(a map[int]int) string {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(a)) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strconv.Itoa(k) + `":` + strconv.Itoa(a[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// auths reads an "auths" parameter: a JSON object string of key -> value.
// Server roles accept keys 1..26 with 1/-1; channel-level sets accept the
// channel keys with 1/-1/0. Anything else is a 414 naming the parameter.
func (c *call) auths(required, channel bool) map[int]int {
	m, raw := c.jsonObject("auths", 0)
	if raw == "" {
		if required && c.err == nil {
			c.fail(paramErr("missing auths"))
		}
		return nil
	}
	out := map[int]int{}
	// Keys in sorted order, so that the first bad key reported does not
	// depend on map order; and only as the documents write them (plain
	// decimal): "01" or "+1" would be a second spelling of key 1, and with
	// both in one object the value kept would depend on map order too.
	for _, ks := range slices.Sorted(maps.Keys(m)) {
		vr := m[ks]
		k, err := strconv.Atoi(ks)
		canonical := err == nil && strconv.Itoa(k) == ks
		okKey := canonical && k >= 1 && k <= maxPermKey
		if channel {
			okKey = canonical && slices.Contains(channelPermKeys, k)
		}
		if !okKey {
			c.fail(paramErr("invalid auths key " + strconv.Quote(ks)))
			return nil
		}
		var v int
		if json.Unmarshal(vr, &v) != nil || v != 1 && v != -1 && (!channel || v != 0) {
			c.fail(paramErr("invalid auths value for key " + ks))
			return nil
		}
		out[k] = v
	}
	return out
}

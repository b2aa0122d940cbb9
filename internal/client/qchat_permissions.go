package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Permission values.
const (
	PermissionDeny    = -1
	PermissionInherit = 0 // channel roles and member overrides only
	PermissionAllow   = 1
)

// Permission keys (1..14 documented in the QChat API, 15..26 from the vendor
// SDK enums).
const (
	PermManageServer         = 1
	PermManageChannel        = 2
	PermManageRole           = 3
	PermSendMessage          = 4
	PermEditOwnMemberInfo    = 5
	PermInviteToServer       = 6
	PermKickFromServer       = 7
	PermEditOthersMemberInfo = 8
	PermRecallOthersMessages = 9
	PermDeleteOthersMessages = 10
	PermMentionOthers        = 11
	PermMentionEveryone      = 12
	PermManageWhiteBlackList = 13
	PermBanServerMember      = 14
	PermRTCConnect           = 15
	PermRTCDisconnectOthers  = 16
	PermRTCOpenMicrophone    = 17
	PermRTCOpenCamera        = 18
	PermRTCOthersMicrophone  = 19
	PermRTCOthersCamera      = 20
	PermRTCEveryoneMic       = 21
	PermRTCEveryoneCamera    = 22
	PermRTCShareScreen       = 23
	PermRTCStopOthersScreen  = 24
	PermHandleApplications   = 25
	PermQueryInviteHistory   = 26
)

// Permissions maps a permission key (1..26) to 1 allow, -1 deny or 0 inherit.
//
// On the wire ("auths") it travels as a JSON string holding a JSON object,
// e.g. "{\"1\":-1,\"2\":1}". MarshalJSON produces that form; UnmarshalJSON
// accepts it as well as a bare object, spaces, and numbers sent as strings.
// A nil Permissions marshals as JSON null.
type Permissions map[int]int

// String returns the compact JSON object with keys in numeric order, e.g.
// `{"1":-1,"2":1}`; this is the value of the "auths" form field.
func (p Permissions) String() string {
	keys := make([]int, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strconv.Itoa(k))
		b.WriteString(`":`)
		b.WriteString(strconv.Itoa(p[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// MarshalJSON encodes p as a JSON string holding the JSON object.
func (p Permissions) MarshalJSON() ([]byte, error) {
	if p == nil {
		return []byte("null"), nil
	}
	return json.Marshal(p.String())
}

// UnmarshalJSON decodes a JSON string holding an object, or an object.
func (p *Permissions) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*p = nil
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		parsed, err := ParsePermissions(s)
		if err != nil {
			return err
		}
		*p = parsed
		return nil
	}
	parsed, err := ParsePermissions(string(b))
	if err != nil {
		return err
	}
	*p = parsed
	return nil
}

// ParsePermissions parses the JSON object form (`{"1":-1, "2":"1"}`). An empty
// string or "null" gives an empty, non-nil map.
func ParsePermissions(s string) (Permissions, error) {
	s = strings.TrimSpace(s)
	out := Permissions{}
	if s == "" || s == "null" {
		return out, nil
	}
	var raw map[string]flexInt
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, fmt.Errorf("invalid permissions %q: %w", s, err)
	}
	for k, v := range raw {
		key, err := strconv.Atoi(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("invalid permission key %q", k)
		}
		out[key] = int(v)
	}
	return out, nil
}

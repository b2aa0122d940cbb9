package provider

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// enum is the one mapping between a readable attribute value and the number
// the NIM API sends on the wire.
type enum struct {
	names map[string]int
}

func newEnum(pairs map[string]int) enum { return enum{names: pairs} }

func (e enum) wire(name string) int { return e.names[name] }

func (e enum) name(wire int) (string, error) {
	for n, w := range e.names {
		if w == wire {
			return n, nil
		}
	}
	return "", fmt.Errorf("the API answered the unknown value %d (known: %s)", wire, e.describe())
}

// values lists the readable names in wire order, for validators.
func (e enum) values() []string {
	out := make([]string, 0, len(e.names))
	for n := range e.names {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return e.names[out[i]] < e.names[out[j]] })
	return out
}

// describe renders the table for MarkdownDescription, e.g. "`anyone` (0), `managers` (1)".
func (e enum) describe() string {
	parts := []string{}
	for _, n := range e.values() {
		parts = append(parts, fmt.Sprintf("`%s` (%d)", n, e.names[n]))
	}
	return strings.Join(parts, ", ")
}

// The enum tables of the chatroom API.
var (
	queueLevels        = newEnum(map[string]int{"anyone": 0, "managers": 1})
	delayClosePolicies = newEnum(map[string]int{"fixed": 1, "idle": 2})
	// chatroomRoles are the readable roles and the setMemberRole opt that
	// grants each ("none" holds no role).
	chatroomRoles = newEnum(map[string]int{"manager": 1, "member": 2, "none": 0})
)

// The enum tables of the QChat API.
var (
	channelTypes        = newEnum(map[string]int{"message": client.ChannelTypeMessage, "custom": client.ChannelTypeCustom})
	channelVisibilities = newEnum(map[string]int{"public": client.ViewModePublic, "private": client.ViewModePrivate})
	serverRoleTypes     = newEnum(map[string]int{"everyone": client.ServerRoleTypeEveryone, "custom": client.ServerRoleTypeCustom})
	// accessListKinds maps kind to the API's list type.
	accessListKinds = newEnum(map[string]int{"allowlist": client.WhiteList, "blocklist": client.BlackList})
	// accessListVisibility is the visibility each kind belongs to, as
	// documented: a private channel applies its white list, a public one
	// its black list.
	accessListVisibility = newEnum(map[string]int{"allowlist": client.ViewModePrivate, "blocklist": client.ViewModePublic})
	// The values of a permission: a server role allows or denies; inside a
	// channel a permission may also inherit the server role's value.
	serverPermissionValues  = newEnum(map[string]int{"deny": -1, "allow": 1})
	channelPermissionValues = newEnum(map[string]int{"deny": -1, "inherit": 0, "allow": 1})
)

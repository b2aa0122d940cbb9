package provider

import (
	"fmt"
	"sort"
	"strings"
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

var (
	queueLevels        = newEnum(map[string]int{"anyone": 0, "managers": 1})
	delayClosePolicies = newEnum(map[string]int{"fixed": 1, "idle": 2})
)

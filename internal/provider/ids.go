// Import ids and the numeric ids of NIM objects as they are held in state:
// parsing (with errors that name the expected form) and formatting.
package provider

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// parseID parses a numeric NIM id taken from an import id or state.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%s must be a positive integer, got %q", what, s)
	}
	return id, nil
}

// parseImportID splits an import id of the form a/b/c into numeric parts.
func parseImportID(id string, parts ...string) ([]int64, error) {
	fields := strings.Split(id, "/")
	format := "<" + strings.Join(parts, ">/<") + ">"
	if len(fields) != len(parts) {
		return nil, fmt.Errorf("expected an import id of the form %s, got %q", format, id)
	}
	out := make([]int64, len(parts))
	for i, f := range fields {
		n, err := parseID(parts[i], f)
		if err != nil {
			return nil, fmt.Errorf("import id %q (form %s): %v", id, format, err)
		}
		out[i] = n
	}
	return out, nil
}

// parseAccidImportID splits an import id of the form <n1>/.../<accid>: the
// numeric ids named by parts, then an account. The account is everything
// after the numeric ids, so an accid that holds a "/" still imports.
func parseAccidImportID(id string, parts ...string) ([]int64, string, error) {
	fields := strings.SplitN(id, "/", len(parts)+1)
	if len(fields) != len(parts)+1 {
		return nil, "", fmt.Errorf("expected an import id of the form <%s>/<accid>, got %q", strings.Join(parts, ">/<"), id)
	}
	accid := fields[len(parts)]
	if n := utf8.RuneCountInString(accid); n < 1 || n > 32 {
		return nil, "", fmt.Errorf("import id %q: the accid must be 1 to 32 characters", id)
	}
	ids, err := parseImportID(strings.Join(fields[:len(parts)], "/"), parts...)
	if err != nil {
		return nil, "", err
	}
	return ids, accid, nil
}

func idString(id int64) types.String { return types.StringValue(strconv.FormatInt(id, 10)) }

// mustID parses an id held in state or plan; validators have checked it.
func mustID(v types.String) int64 { return idOf(v.ValueString()) }

// idOf parses an id that a validator or the API already vouched for.
func idOf(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

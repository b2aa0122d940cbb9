package easemob

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// flexInt decodes a JSON number, a string holding a number, or null/"" (as
// 0): the documents show numbers both ways (`"ttl": "1024000"`).
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*f = 0
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*f = 0
			return nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = flexInt(n)
		return nil
	}
	fl, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %q", s)
	}
	*f = flexInt(int64(fl))
	return nil
}

// flexBool decodes true/false, "true"/"false", "success" (the admin and
// super-admin answers say `"result": "success"` where the tables say Bool)
// and 1/0. null is false.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "success", "1", "ok":
		*f = true
	case "false", "0", "", "null", "fail", "failure":
		*f = false
	default:
		return fmt.Errorf("not a boolean: %s", b)
	}
	return nil
}

// flexString decodes a string, or a number as its decimal text (room ids
// and cursors are strings in the documents, but ids are numeric).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*f = ""
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	*f = flexString(string(b))
	return nil
}

// decodeList decodes data that should be a JSON array but may be one object
// (002 shows the room list and room details as one object; the API answers
// arrays).
func decodeList[T any](data json.RawMessage) ([]T, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "null" {
		return nil, nil
	}
	if data[0] == '{' {
		var one T
		if err := json.Unmarshal(data, &one); err != nil {
			return nil, err
		}
		return []T{one}, nil
	}
	var many []T
	err := json.Unmarshal(data, &many)
	return many, err
}

// decodeData decodes resp.Data into out, naming the request on failure.
func decodeData(op string, resp *Response, out any) error {
	if err := json.Unmarshal(resp.Data, out); err != nil {
		return fmt.Errorf("easemob %s: decoding answer data: %w", op, err)
	}
	return nil
}

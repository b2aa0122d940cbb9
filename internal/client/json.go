package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// flexInt decodes a JSON number, a string holding a number, a boolean, or
// null/"" (as 0).
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*f = 0
		return nil
	}
	switch b[0] {
	case 't':
		*f = 1
		return nil
	case 'f':
		*f = 0
		return nil
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		return f.parse(strings.TrimSpace(s))
	}
	return f.parse(string(b))
}

func (f *flexInt) parse(s string) error {
	if s == "" {
		*f = 0
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = flexInt(n)
		return nil
	}
	switch strings.ToLower(s) {
	case "true":
		*f = 1
		return nil
	case "false":
		*f = 0
		return nil
	}
	// 1.0, 1e3 and the like.
	fl, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %q", s)
	}
	*f = flexInt(int64(fl))
	return nil
}

// flexBool decodes true/false, "true"/"false", 1/0 and "1"/"0"; null is false.
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
	case "true", "1":
		*f = true
	case "false", "0", "", "null":
		*f = false
	default:
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			*f = n != 0
			return nil
		}
		return fmt.Errorf("not a boolean: %s", s)
	}
	return nil
}

// optBool is a flexBool that remembers whether it was present.
type optBool struct {
	set bool
	val bool
}

func (o *optBool) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*o = optBool{}
		return nil
	}
	var f flexBool
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	*o = optBool{set: true, val: bool(f)}
	return nil
}

func (o optBool) ptr() *bool {
	if !o.set {
		return nil
	}
	v := o.val
	return &v
}

// flexString decodes a string, null (as ""), or a number/bool/object as its
// JSON text.
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
	*f = flexString(b)
	return nil
}

// flexInts decodes an array of numbers or numeric strings, or such an array
// sent as a JSON string.
type flexInts []int64

func (f *flexInts) UnmarshalJSON(b []byte) error {
	v, err := decodeFlexList(b, func(e flexInt) int64 { return int64(e) })
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// flexStrings decodes an array of strings (numbers are rendered), or such an
// array sent as a JSON string.
type flexStrings []string

func (f *flexStrings) UnmarshalJSON(b []byte) error {
	v, err := decodeFlexList(b, func(e flexString) string { return string(e) })
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// decodeFlexList decodes a JSON array of lenient items (E, such as flexInt),
// or such an array sent as a JSON string, and converts each item. null, an
// empty answer and an empty string give nil.
func decodeFlexList[E, T any](b []byte, conv func(E) T) ([]T, error) {
	b, err := jsonInField(b)
	if err != nil || b == nil {
		return nil, err
	}
	var raw []E
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	out := make([]T, len(raw))
	for i, v := range raw {
		out[i] = conv(v)
	}
	return out, nil
}

// jsonInField returns the JSON an answer field holds: the field itself when
// it is a JSON value, or the JSON inside it when it is a JSON string (the
// form the vendor's own SDKs read for array- and object-valued fields,
// while the pages' examples show the value itself). It returns nil for
// null, an empty field and a string that is empty or "null".
func jsonInField(b []byte) ([]byte, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, err
		}
		b = bytes.TrimSpace([]byte(s))
	}
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	return b, nil
}

// jsonField is an array- or object-valued answer field, decoded into V
// whether the answer sends the value or a JSON string holding it. Every
// such field the client reads is a jsonField (or a type built on
// jsonInField), so both forms are accepted everywhere.
type jsonField[T any] struct{ V T }

func (f *jsonField[T]) UnmarshalJSON(b []byte) error {
	var zero T
	f.V = zero
	inner, err := jsonInField(b)
	if err != nil || inner == nil {
		return err
	}
	return json.Unmarshal(inner, &f.V)
}

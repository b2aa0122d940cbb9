package client

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// form is the one builder of request bodies: every endpoint takes its
// parameters as an x-www-form-urlencoded form. set* always sends a field,
// opt* only a non-nil one, so that an update request sends only what
// changes.
type form url.Values

func newForm() form { return form(url.Values{}) }

func (f form) set(k, v string) form { url.Values(f).Set(k, v); return f }

func (f form) setInt(k string, v int64) form { return f.set(k, strconv.FormatInt(v, 10)) }

func (f form) setBool(k string, v bool) form { return f.set(k, strconv.FormatBool(v)) }

func (f form) optString(k string, v *string) form {
	if v != nil {
		f.set(k, *v)
	}
	return f
}

func (f form) optInt(k string, v *int) form {
	if v != nil {
		f.setInt(k, int64(*v))
	}
	return f
}

func (f form) optInt64(k string, v *int64) form {
	if v != nil {
		f.setInt(k, *v)
	}
	return f
}

func (f form) optBool(k string, v *bool) form {
	if v != nil {
		f.setBool(k, *v)
	}
	return f
}

func (f form) values() url.Values { return url.Values(f) }

// JSONArray encodes a JSON-array form parameter the way the NIM API expects
// it: a JSON string inside the form field. Strings are quoted; int64 ids are
// sent as strings, as in the documented examples (`roomids=["6001","6003"]`).
// A nil or empty slice encodes as `[]`.
func JSONArray[T ~string | ~int64](items []T) string {
	strs := make([]string, len(items))
	for i, it := range items {
		strs[i] = fmt.Sprint(it)
	}
	b, _ := json.Marshal(strs)
	return string(b)
}

package easemob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// UserResult is the outcome of a call for one user.
type UserResult struct {
	User string
	OK   bool
	// Reason is the server's `reason` for a failure, or a description of
	// what the answer lacked.
	Reason string
	// Expire is when a mute ends (mutes only; zero for a mute without end
	// or when the answer did not say).
	Expire time.Time
}

// BatchResult holds one UserResult per user asked for, in the order asked.
type BatchResult struct {
	Results []UserResult
}

// Failed returns the users the server refused.
func (r *BatchResult) Failed() []UserResult {
	if r == nil {
		return nil
	}
	var out []UserResult
	for _, u := range r.Results {
		if !u.OK {
			out = append(out, u)
		}
	}
	return out
}

// BatchError reports a call on several users that did not fully succeed:
// users the server refused (with its reason), users whose outcome is unknown
// because their request's answer was lost, and users not sent at all because
// an earlier request failed. It unwraps to the request error, if any, so
// errors.Is(err, ErrOutcomeUnknown) and errors.As(err, **APIError) work.
type BatchError struct {
	Op      string // e.g. "add_blocks"
	Room    string // "" for app-wide calls
	Failed  []UserResult
	Unknown []string // sent, outcome unknown
	NotSent []string // never applied: refused as a whole, or not sent
	Cause   error    // the request error, nil if only users failed
}

func (e *BatchError) Error() string {
	var b strings.Builder
	b.WriteString("easemob " + e.Op)
	if e.Room != "" {
		b.WriteString(" in room " + e.Room)
	}
	b.WriteString(":")
	sep := " "
	if len(e.Failed) > 0 {
		b.WriteString(sep + "refused for ")
		for i, f := range e.Failed {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s (%s)", f.User, f.Reason)
		}
		sep = "; "
	}
	if len(e.Unknown) > 0 {
		b.WriteString(sep + "outcome unknown for " + strings.Join(e.Unknown, ", "))
		sep = "; "
	}
	if len(e.NotSent) > 0 {
		b.WriteString(sep + "not applied for " + strings.Join(e.NotSent, ", "))
		sep = "; "
	}
	if e.Cause != nil {
		b.WriteString(sep + "cause: " + e.Cause.Error())
	}
	return b.String()
}

func (e *BatchError) Unwrap() error { return e.Cause }

// userResultWire is one entry of a per-user answer array.
type userResultWire struct {
	Result flexBool   `json:"result"`
	Reason string     `json:"reason"`
	User   flexString `json:"user"`
	Expire flexInt    `json:"expire"`
}

func (w userResultWire) result() UserResult {
	r := UserResult{User: string(w.User), OK: bool(w.Result), Reason: w.Reason}
	if w.Expire > 0 {
		r.Expire = time.UnixMilli(int64(w.Expire)).UTC()
	}
	if !r.OK && r.Reason == "" {
		r.Reason = "the server answered result false without a reason"
	}
	return r
}

// decodeUserResults reads a per-user answer (an array, or one object for a
// single user) and returns one result per user asked for, in that order.
// User ids are matched without regard to case, as the API treats them.
func decodeUserResults(op string, data json.RawMessage, asked []string) ([]UserResult, error) {
	wires, err := decodeList[userResultWire](data)
	if err != nil {
		return nil, fmt.Errorf("easemob %s: decoding answer data: %w", op, err)
	}
	byUser := map[string]UserResult{}
	for _, w := range wires {
		r := w.result()
		byUser[strings.ToLower(r.User)] = r
	}
	out := make([]UserResult, len(asked))
	for i, u := range asked {
		r, ok := byUser[strings.ToLower(u)]
		if !ok {
			r = UserResult{Reason: "the answer does not mention this user"}
		}
		r.User = u
		out[i] = r
	}
	return out, nil
}

func checkUser(u string) error {
	if strings.TrimSpace(u) == "" || strings.ContainsAny(u, ",/") || len(u) > 64 {
		return fmt.Errorf("easemob: invalid user id %q (1..64 bytes, no ',' or '/')", u)
	}
	return nil
}

// uniqueUsers checks ids and drops repeats (case-insensitively).
func uniqueUsers(users []string) ([]string, error) {
	seen := map[string]bool{}
	out := make([]string, 0, len(users))
	for _, u := range users {
		if err := checkUser(u); err != nil {
			return nil, err
		}
		if k := strings.ToLower(u); !seen[k] {
			seen[k] = true
			out = append(out, u)
		}
	}
	return out, nil
}

// runBatches sends users in requests of at most MaxUsersPerBatch, one after
// the other, and gathers the per-user results. Nothing half-applied goes
// unreported: on a request error the BatchError lists the users refused so
// far, those whose outcome is unknown and those not applied.
func runBatches(ctx context.Context, op, room string, users []string, send func(ctx context.Context, chunk []string) ([]UserResult, error)) (*BatchResult, error) {
	users, err := uniqueUsers(users)
	if err != nil {
		return nil, err
	}
	res := &BatchResult{}
	for start := 0; start < len(users); start += MaxUsersPerBatch {
		chunk := users[start:min(start+MaxUsersPerBatch, len(users))]
		got, err := send(ctx, chunk)
		if err != nil {
			be := &BatchError{Op: op, Room: room, Failed: res.Failed(), Cause: err}
			if IsOutcomeUnknown(err) {
				be.Unknown = append(be.Unknown, chunk...)
			} else {
				be.NotSent = append(be.NotSent, chunk...)
			}
			be.NotSent = append(be.NotSent, users[start+len(chunk):]...)
			return res, be
		}
		res.Results = append(res.Results, got...)
	}
	if failed := res.Failed(); len(failed) > 0 {
		return res, &BatchError{Op: op, Room: room, Failed: failed}
	}
	return res, nil
}

// single turns the result for one user into an error when it failed.
func single(op, room string, r UserResult) (*UserResult, error) {
	if !r.OK {
		return &r, &BatchError{Op: op, Room: room, Failed: []UserResult{r}}
	}
	return &r, nil
}

// AsBatchError returns the *BatchError in err's chain, if any.
func AsBatchError(err error) (*BatchError, bool) {
	var be *BatchError
	ok := errors.As(err, &be)
	return be, ok
}

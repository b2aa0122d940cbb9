package client

import (
	"context"

	"github.com/nimtf/terraform-provider-nim/internal/adopt"
)

// DefaultCreateAttempts is how many times CreateOrAdopt sends a create whose
// earlier attempts had an unknown outcome and left nothing behind.
const DefaultCreateAttempts = 3

// CreateOrAdopt runs a create that must never leave a duplicate behind.
//
// A create is a non-idempotent write: when its outcome is unknown (the
// connection was lost after the request was sent, the attempt timed out, a
// 5xx answer), sending it again could make a second object. So before
// anything else CreateOrAdopt calls find, which looks the object up by its
// natural key (a chatroom by creator and name, a server by owner, a channel
// or a role by server, a membership or an override by its unique key). If
// the object is there it is adopted, as if the create had answered; only if
// it is not there is the create sent again, at most attempts times in all.
//
// find must only report an object this create may have made: for keys that
// are not unique, such as names, the caller lists the existing objects
// before the first attempt and find ignores those.
//
// Any other error of create is returned as is, and so is an error of find
// (wrapped together with the unknown outcome, so that IsOutcomeUnknown still
// holds and the caller knows the object may exist).
func CreateOrAdopt[T any](ctx context.Context, attempts int, create func(context.Context) (T, error), find func(context.Context) (T, bool, error)) (T, error) {
	return adopt.CreateOrAdopt(ctx, attempts, ErrOutcomeUnknown, "object", create, find)
}

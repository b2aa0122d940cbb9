// Package adopt holds the create-or-adopt loop that both API clients
// (internal/client for NIM, internal/easemob for Easemob) use so that a
// create whose outcome is unknown never leaves a duplicate behind. Each
// client exports it as CreateOrAdopt with its own outcome-unknown error and
// its own lookups.
package adopt

import (
	"context"
	"errors"
	"fmt"
)

// CreateOrAdopt calls create; when its error wraps unknown (the request may
// or may not have been applied), it calls find before anything else, which
// looks for an object this create may have made. An object found is
// returned as if the create had answered; only when there is none is the
// create sent again, at most attempts times in all (at least once), and not
// after ctx has ended.
//
// Any other error of create is returned as is. An error of find is returned
// wrapped together with the unknown outcome ("…; looking for the <what>
// afterwards failed too: …"), so that errors.Is(err, unknown) still holds
// and the caller knows the object may exist.
func CreateOrAdopt[T any](ctx context.Context, attempts int, unknown error, what string,
	create func(context.Context) (T, error), find func(context.Context) (T, bool, error)) (T, error) {
	var zero T
	attempts = max(attempts, 1)
	var err error
	for range attempts {
		var obj T
		obj, err = create(ctx)
		if err == nil || !errors.Is(err, unknown) {
			return obj, err
		}
		found, ok, ferr := find(ctx)
		if ferr != nil {
			return zero, fmt.Errorf("%w; looking for the %s afterwards failed too: %w", err, what, ferr)
		}
		if ok {
			return found, nil
		}
		if ctx.Err() != nil {
			return zero, err
		}
	}
	return zero, err
}

package adopt

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

var errUnknown = errors.New("outcome unknown")

// The NIM and Easemob clients test the loop through their CreateOrAdopt;
// this covers what they pass in: the sentinel and the name in the error.
func TestCreateOrAdoptSentinelAndName(t *testing.T) {
	lost := fmt.Errorf("create: %w", errUnknown)
	boom := errors.New("listing failed")
	_, err := CreateOrAdopt(context.Background(), 3, errUnknown, "room",
		func(context.Context) (int, error) { return 0, lost },
		func(context.Context) (int, bool, error) { return 0, false, boom })
	if !errors.Is(err, errUnknown) || !errors.Is(err, boom) || err.Error() != "create: outcome unknown; looking for the room afterwards failed too: listing failed" {
		t.Fatalf("got %v", err)
	}

	// An error that does not wrap the sentinel is not an unknown outcome.
	other := errors.New("outcome unknown, but another sentinel")
	finds := 0
	_, err = CreateOrAdopt(context.Background(), 3, errUnknown, "room",
		func(context.Context) (int, error) { return 0, other },
		func(context.Context) (int, bool, error) { finds++; return 0, false, nil })
	if err != other || finds != 0 {
		t.Fatalf("got %v after %d finds, want the error as is and no find", err, finds)
	}

	// A context that ended stops the creates after the lookup.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	creates := 0
	_, err = CreateOrAdopt(ctx, 0, errUnknown, "object",
		func(context.Context) (int, error) { creates++; return 0, lost },
		func(context.Context) (int, bool, error) { return 0, false, nil })
	if err != lost || creates != 1 {
		t.Fatalf("got %v after %d creates, want the unknown outcome after 1", err, creates)
	}
}

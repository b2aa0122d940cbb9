package client

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestCreateOrAdopt(t *testing.T) {
	unknown := newOutcomeUnknown("qchat/createServer", errors.New("connection reset"))
	refused := &APIError{Code: CodeParameterError, Desc: "name too long", Endpoint: "qchat/createServer"}
	cases := []struct {
		name        string
		outcomes    []error // create's results, in order; nil = success with id 100+attempt
		foundAfter  int     // find reports the object from this create attempt on (0 = never)
		findErr     error
		wantID      int
		wantErr     error
		wantCreates int
		wantFinds   int
	}{
		{"success at once", []error{nil}, 0, nil, 101, nil, 1, 0},
		{"other error is not retried", []error{refused}, 0, nil, 0, refused, 1, 0},
		{"unknown outcome, object there: adopted", []error{unknown}, 1, nil, 7, nil, 1, 1},
		{"unknown outcome, nothing there: created again", []error{unknown, nil}, 0, nil, 102, nil, 2, 1},
		{"unknown every time: gives up with the unknown outcome", []error{unknown, unknown, unknown}, 0, nil, 0, ErrOutcomeUnknown, 3, 3},
		{"find fails: the unknown outcome is kept", []error{unknown}, 0, errors.New("boom"), 0, ErrOutcomeUnknown, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			creates, finds := 0, 0
			create := func(context.Context) (int, error) {
				err := tc.outcomes[creates]
				creates++
				if err != nil {
					return 0, err
				}
				return 100 + creates, nil
			}
			find := func(context.Context) (int, bool, error) {
				finds++
				if tc.findErr != nil {
					return 0, false, tc.findErr
				}
				if tc.foundAfter != 0 && creates >= tc.foundAfter {
					return 7, true, nil
				}
				return 0, false, nil
			}
			got, err := CreateOrAdopt(context.Background(), DefaultCreateAttempts, create, find)
			if got != tc.wantID || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("got %d, %v; want %d, %v", got, err, tc.wantID, tc.wantErr)
			}
			if creates != tc.wantCreates || finds != tc.wantFinds {
				t.Fatalf("%d creates and %d finds, want %d and %d", creates, finds, tc.wantCreates, tc.wantFinds)
			}
			if tc.findErr != nil && !errors.Is(err, tc.findErr) {
				t.Fatalf("the find error is lost: %v", err)
			}
		})
	}
}

func ExampleCreateOrAdopt() {
	attempt := 0
	create := func(context.Context) (string, error) {
		attempt++
		return "", newOutcomeUnknown("chatroom/create", errors.New("EOF"))
	}
	// The first attempt was applied although its answer was lost: the
	// lookup finds the room, and no second room is made.
	find := func(context.Context) (string, bool, error) { return "room 3000000001", true, nil }
	room, err := CreateOrAdopt(context.Background(), DefaultCreateAttempts, create, find)
	fmt.Println(room, err, attempt)
	// Output: room 3000000001 <nil> 1
}

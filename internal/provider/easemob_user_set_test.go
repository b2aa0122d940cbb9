package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

func TestSetDiff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ a, b, want []string }{
		{[]string{"c", "a", "b"}, []string{"b"}, []string{"a", "c"}},
		{nil, []string{"a"}, nil},
		{[]string{"a"}, nil, []string{"a"}},
		{[]string{"a", "b"}, []string{"b", "a"}, nil},
	} {
		if got := setDiff(tc.a, tc.b); !slices.Equal(got, tc.want) {
			t.Errorf("setDiff(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestTransient(t *testing.T) {
	t.Parallel()
	unknown := fmt.Errorf("easemob POST /x: %w", easemob.ErrOutcomeUnknown)
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"lost answer", unknown, true},
		{"server failure", &easemob.APIError{StatusCode: 503}, true},
		{"rate limited after retries", &easemob.APIError{StatusCode: 429}, true},
		{"refused", &easemob.APIError{StatusCode: 400, Type: "forbidden_op"}, false},
		{"batch lost", &easemob.BatchError{Unknown: []string{"a"}, Cause: unknown}, true},
		{"batch with a refusal", &easemob.BatchError{Failed: []easemob.UserResult{{User: "a", Reason: "no"}}, Cause: unknown}, false},
		{"batch of refusals only", &easemob.BatchError{Failed: []easemob.UserResult{{User: "a", Reason: "no"}}}, false},
		{"cancelled", context.Canceled, false},
	} {
		if got := transient(tc.err); got != tc.want {
			t.Errorf("%s: transient(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

// TestBatchErrorDetail: every user that was not changed is named, with the
// API's reason or what became of its request.
func TestBatchErrorDetail(t *testing.T) {
	t.Parallel()
	d := userErrorDiag("Cannot add users", &easemob.BatchError{
		Op: "add_blocks", Room: "300000000000001",
		Failed:  []easemob.UserResult{{User: "ann", Reason: "user: ann doesn't exist in chatroom: 300000000000001"}},
		Unknown: []string{"bob"},
		NotSent: []string{"cyd"},
		Cause:   errors.New("connection reset"),
	}).Detail()
	for _, want := range []string{
		"add_blocks in chatroom 300000000000001",
		"ann: refused: user: ann doesn't exist in chatroom: 300000000000001",
		"bob: sent, but no answer arrived",
		"cyd: not applied",
		"connection reset",
		"Terraform's state holds what the API shows now",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("detail lacks %q:\n%s", want, d)
		}
	}
}

func TestOneByOne(t *testing.T) {
	t.Parallel()
	unknown := fmt.Errorf("lost: %w", easemob.ErrOutcomeUnknown)
	calls := map[string]error{
		"ann": nil,
		"bob": &easemob.APIError{StatusCode: 400, Type: "forbidden_op", Description: "users [bob] are not members of this group!"},
		"cyd": unknown,
		"dan": nil,
	}
	var sent []string
	_, err := oneByOne(context.Background(), "add_admin", "r1", []string{"ann", "bob", "cyd", "dan"},
		func(_ context.Context, u string) (*easemob.UserResult, error) {
			sent = append(sent, u)
			if calls[u] != nil {
				return nil, calls[u]
			}
			return &easemob.UserResult{User: u, OK: true}, nil
		})
	if !slices.Equal(sent, []string{"ann", "bob", "cyd", "dan"}) {
		t.Errorf("sent %v: a refusal or a lost answer must not stop the others", sent)
	}
	be, ok := easemob.AsBatchError(err)
	if !ok || len(be.Failed) != 1 || be.Failed[0].User != "bob" || !strings.Contains(be.Failed[0].Reason, "not members") ||
		!slices.Equal(be.Unknown, []string{"cyd"}) {
		t.Fatalf("got %#v", err)
	}
	// Any other failure stops: it and the users after it are not applied.
	_, err = oneByOne(context.Background(), "add_admin", "r1", []string{"ann", "eve", "fay"},
		func(_ context.Context, u string) (*easemob.UserResult, error) {
			if u == "eve" {
				return nil, context.Canceled
			}
			return &easemob.UserResult{User: u, OK: true}, nil
		})
	if be, ok := easemob.AsBatchError(err); !ok || !slices.Equal(be.NotSent, []string{"eve", "fay"}) {
		t.Errorf("got %#v, want eve and fay not applied", err)
	}
}

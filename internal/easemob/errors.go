package easemob

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinel errors usable with errors.Is on any error of this package. An
// *APIError matches the one that fits its HTTP status (see APIError.Is).
var (
	// ErrNotFound: HTTP 404. The room, the user, or the org/app does not
	// exist. Keyed on the status, never on the `error` string, because the
	// API answers the same missing room with `resource_not_found` on one
	// endpoint and `service_resource_not_found` on another.
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: HTTP 401 (missing, expired or unknown token).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: HTTP 403 (forbidden_op, exceed_limit, ...).
	ErrForbidden = errors.New("forbidden")
	// ErrBadRequest: HTTP 400 (invalid_parameter, illegal_argument,
	// forbidden_op for non-members, json_parse, ...).
	ErrBadRequest = errors.New("bad request")
	// ErrRateLimited: HTTP 429 (`reach_limit`, or `resource_limited` when
	// the plan's quota is used up).
	ErrRateLimited = errors.New("rate limited")

	// ErrOutcomeUnknown is wrapped by the error of a write whose outcome is
	// unknown: the request may or may not have been applied (the connection
	// was lost after the request was written, the attempt timed out, or a
	// 5xx answer came back). Such writes are never resent automatically;
	// look the object up first (CreateOrAdopt, Chatrooms.CreateOrAdopt).
	ErrOutcomeUnknown = errors.New("outcome unknown: the request may or may not have been applied")
)

// APIError is a non-2xx answer of the Easemob REST API. Its body is
// `{"error": "...", "exception": "...", "error_description": "...", ...}`.
type APIError struct {
	StatusCode  int    // HTTP status
	Type        string // the `error` field, e.g. "resource_not_found"
	Description string // the `error_description` field
	Method      string // HTTP method of the request
	Path        string // request path below /{org}/{app}, e.g. "/chatrooms/123"
}

// Error formats the error as
// `easemob DELETE /chatrooms/1: HTTP 404 resource_not_found: grpID 1 does not exist!`.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "easemob %s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.Type != "" {
		b.WriteString(" " + e.Type)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) (and the other status sentinels)
// true for an APIError of the matching HTTP status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// StatusCode returns the HTTP status of the *APIError in err's chain, or 0.
func StatusCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// ErrorType returns the `error` field of the *APIError in err's chain, or "".
func ErrorType(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Type
	}
	return ""
}

// IsNotFound reports whether err carries HTTP 404.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsUnauthorized reports whether err carries HTTP 401.
func IsUnauthorized(err error) bool { return errors.Is(err, ErrUnauthorized) }

// IsForbidden reports whether err carries HTTP 403.
func IsForbidden(err error) bool { return errors.Is(err, ErrForbidden) }

// IsBadRequest reports whether err carries HTTP 400.
func IsBadRequest(err error) bool { return errors.Is(err, ErrBadRequest) }

// IsRateLimited reports whether err carries HTTP 429.
func IsRateLimited(err error) bool { return errors.Is(err, ErrRateLimited) }

// IsOutcomeUnknown reports whether err wraps ErrOutcomeUnknown.
func IsOutcomeUnknown(err error) bool { return errors.Is(err, ErrOutcomeUnknown) }

// outcomeUnknownError wraps both ErrOutcomeUnknown and its cause.
type outcomeUnknownError struct {
	op    string // "POST /chatrooms"
	cause error
}

func (e *outcomeUnknownError) Error() string {
	var apiErr *APIError
	if errors.As(e.cause, &apiErr) {
		return fmt.Sprintf("%v: %v", apiErr, ErrOutcomeUnknown)
	}
	return fmt.Sprintf("easemob %s: %v: %v", e.op, ErrOutcomeUnknown, e.cause)
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.cause} }

func newOutcomeUnknown(op string, cause error) error {
	return &outcomeUnknownError{op: op, cause: cause}
}

type retriesExhaustedError struct {
	attempts int
	err      error
}

func (e *retriesExhaustedError) Error() string {
	return fmt.Sprintf("%v (gave up after %d attempts)", e.err, e.attempts)
}
func (e *retriesExhaustedError) Unwrap() error { return e.err }

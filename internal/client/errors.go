package client

import (
	"errors"
	"fmt"
	"strings"
)

// Status codes of the NIM server API (see the vendor's code table).
const (
	CodeOK               = 200
	CodeForbidden        = 403
	CodeNotFound         = 404
	CodeParameterTooLong = 405
	CodeTimeout          = 408
	CodeParameterError   = 414
	CodeRateLimited      = 416
	CodeDuplicate        = 417
	CodeLimitExceeded    = 419
	CodeAccountDisabled  = 422
	CodeDuplicateRequest = 431
	CodeInternalError    = 500
	CodeServerBusy       = 503
	CodeUnavailable      = 514
	CodeRoomIMAbnormal   = 13001
	CodeRoomClosed       = 13002
	CodeRoomBlacklisted  = 13003
	CodeRoomMuted        = 13004
	CodeDelayCloseOff    = 13009
)

// ErrOutcomeUnknown is wrapped by the error of a write whose outcome is
// unknown: the request may or may not have been applied by the server (the
// connection was lost after the request was written, the attempt timed out, a
// 5xx answer carried no JSON code, or the answer had code 500). Such writes are
// never retried automatically.
var ErrOutcomeUnknown = errors.New("outcome unknown: the request may or may not have been applied")

// ErrUnexpectedAnswer wraps an answer that is not the NIM API's: an HTTP
// status other than 2xx, 429 or 5xx without a JSON code (a 404 page, a proxy's
// answer). The server answered, so it was reached: most often the endpoint
// is not the API's base URL.
var ErrUnexpectedAnswer = errors.New("unexpected answer")

// APIError is an answer whose JSON code is not 200.
type APIError struct {
	Code     int    // the JSON "code" of the answer
	Desc     string // the "desc" of the answer, if any
	Endpoint string // e.g. "chatroom/create"
}

// Error formats the error as `nim chatroom/create: code 414: owner not register`.
func (e *APIError) Error() string {
	if e.Desc == "" {
		return fmt.Sprintf("nim %s: code %d", e.Endpoint, e.Code)
	}
	return fmt.Sprintf("nim %s: code %d: %s", e.Endpoint, e.Code, e.Desc)
}

// outcomeUnknownError wraps both ErrOutcomeUnknown and its cause.
type outcomeUnknownError struct {
	endpoint string
	cause    error
}

func (e *outcomeUnknownError) Error() string {
	var apiErr *APIError
	if errors.As(e.cause, &apiErr) && apiErr.Endpoint == e.endpoint {
		if apiErr.Desc == "" {
			return fmt.Sprintf("nim %s: %v: code %d", e.endpoint, ErrOutcomeUnknown, apiErr.Code)
		}
		return fmt.Sprintf("nim %s: %v: code %d: %s", e.endpoint, ErrOutcomeUnknown, apiErr.Code, apiErr.Desc)
	}
	return fmt.Sprintf("nim %s: %v: %v", e.endpoint, ErrOutcomeUnknown, e.cause)
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.cause} }

func newOutcomeUnknown(endpoint string, cause error) error {
	return &outcomeUnknownError{endpoint: endpoint, cause: cause}
}

// ErrorCode returns the code of the *APIError in err's chain, or 0.
func ErrorCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code
	}
	return 0
}

func hasCode(err error, code int) bool { return err != nil && ErrorCode(err) == code }

// IsNotFound reports whether err carries code 404 (object does not exist).
func IsNotFound(err error) bool { return hasCode(err, CodeNotFound) }

// IsRateLimited reports whether err carries code 416 (frequency control).
func IsRateLimited(err error) bool { return hasCode(err, CodeRateLimited) }

// IsForbidden reports whether err carries code 403 (illegal operation / no permission).
func IsForbidden(err error) bool { return hasCode(err, CodeForbidden) }

// IsParameterError reports whether err carries code 414 (parameter error, also
// bad signature and unknown account).
func IsParameterError(err error) bool { return hasCode(err, CodeParameterError) }

// IsSignatureError reports a 414 that refuses the request's signature:
// its desc names the CheckSum or the CurTime ("checksum", "CurTime is
// expired"). The app secret is wrong, or this machine's clock is more than
// 5 minutes off NIM's.
func IsSignatureError(err error) bool {
	if !IsParameterError(err) {
		return false
	}
	d := strings.ToLower(errorDesc(err))
	return strings.Contains(d, "checksum") || strings.Contains(d, "curtime")
}

// IsAppKeyError reports a 414 whose desc names the app key ("appkey"):
// NIM knows no application with that key.
func IsAppKeyError(err error) bool {
	return IsParameterError(err) && strings.Contains(strings.ToLower(errorDesc(err)), "appkey")
}

func errorDesc(err error) string {
	var e *APIError
	if errors.As(err, &e) {
		return e.Desc
	}
	return ""
}

// IsRoomClosed reports whether err carries code 13002 (chatroom state
// abnormal, e.g. the room is closed).
func IsRoomClosed(err error) bool { return hasCode(err, CodeRoomClosed) }

// IsLimitExceeded reports whether err carries code 419 (quantity over limit).
func IsLimitExceeded(err error) bool { return hasCode(err, CodeLimitExceeded) }

// IsDuplicate reports whether err carries code 417 (duplicate operation).
func IsDuplicate(err error) bool { return hasCode(err, CodeDuplicate) }

// IsOutcomeUnknown reports whether err wraps ErrOutcomeUnknown.
func IsOutcomeUnknown(err error) bool { return errors.Is(err, ErrOutcomeUnknown) }

// notFound is the error of a lookup that found no such object: an *APIError
// with CodeNotFound (IsNotFound), synthesized by the client since the API
// answers such reads with an empty list rather than an error code.
func notFound(endpoint, format string, args ...any) error {
	return &APIError{Code: CodeNotFound, Desc: fmt.Sprintf(format, args...), Endpoint: endpoint}
}

// firstMatch returns the first item of a listing that match accepts, the
// listing's error, or notFound() when none matches.
func firstMatch[T any](items []T, err error, match func(*T) bool, notFound func() error) (*T, error) {
	if err != nil {
		return nil, err
	}
	for i := range items {
		if match(&items[i]) {
			return &items[i], nil
		}
	}
	return nil, notFound()
}

package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

// checkEasemobHost accepts what the provider's easemob.host may hold: an
// https URL of scheme and host only, or plain http to a loopback host (a
// local simulator), since the client secret travels in the token request.
func checkEasemobHost(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("host %q is not an absolute URL such as https://a1.easemob.com", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return fmt.Errorf("host %q must be a scheme and host only, such as https://a1.easemob.com "+
			"(org_name and app_name are separate settings)", raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("host %q uses plain http to a non-loopback host; use https "+
			"(plain http is accepted only for 127.0.0.1, ::1 or localhost, e.g. a local nimsim)", raw)
	default:
		return fmt.Errorf("host %q must use https (or http on a loopback host)", raw)
	}
}

type easemobHostValidator struct{}

func (easemobHostValidator) Description(_ context.Context) string {
	return "an https URL of scheme and host only, or an http URL on a loopback host"
}
func (v easemobHostValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (easemobHostValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkEasemobHost(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Easemob host", err.Error())
	}
}

// urlSegmentValidator checks org_name and app_name, which become path
// segments of every request URL.
type urlSegmentValidator struct{}

func (urlSegmentValidator) Description(_ context.Context) string {
	return "a name without '/', '#', '?', '%' or spaces"
}
func (v urlSegmentValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v urlSegmentValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); strings.TrimSpace(s) == "" || strings.ContainsAny(s, "/#?% ") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Easemob name",
			fmt.Sprintf("%s must be %s, got %q.", req.Path, v.Description(ctx), s))
	}
}

// easemobErrorDiag turns an Easemob client error into a diagnostic: what
// happened, what to do, and the HTTP status with the API's error and
// error_description. The client never puts the secret or a token into its
// errors, so err's text is safe to show.
func easemobErrorDiag(summary string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary, easemobErrorDetail(err))
}

func easemobErrorDetail(err error) string {
	var apiErr *easemob.APIError
	switch {
	case errors.Is(err, easemob.ErrOutcomeUnknown):
		return fmt.Sprintf("The request was sent but no answer arrived, so it may or may not have been applied. "+
			"Run terraform plan to see the current state, then apply again.\n\n%s", err)
	case errors.As(err, &apiErr):
		return fmt.Sprintf("The Easemob API refused the request (%s %s). %s\n\nHTTP status: %d\nerror: %s\nerror_description: %s",
			apiErr.Method, apiErr.Path, easemobAdvice(apiErr), apiErr.StatusCode, apiErr.Type, apiErr.Description)
	case errors.Is(err, context.Canceled):
		return fmt.Sprintf("The operation was interrupted (Ctrl-C, or the run was cancelled) while it waited on Easemob.\n\n%s", err)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("Easemob did not answer in the time allowed (request_timeout per attempt, or the operation's deadline).\n\n%s", err)
	default:
		return fmt.Sprintf("The Easemob API could not be reached or answered unexpectedly: %s", err)
	}
}

func easemobAdvice(e *easemob.APIError) string {
	switch {
	case strings.HasSuffix(e.Path, "/token"):
		return "The app token request was refused: check client_id and client_secret, and that org_name, " +
			"app_name and host (the app's data centre) are those shown in the console."
	case easemob.IsUnauthorized(e):
		return "The app token was refused even after renewing it: check client_id, client_secret, org_name, " +
			"app_name and that host is the app's data centre."
	case easemob.IsNotFound(e):
		return "The room, the user or the org/app does not exist (any more)."
	case easemob.IsForbidden(e):
		return "The API does not allow this operation on this room, or a limit of the app was reached."
	case easemob.IsBadRequest(e):
		return "Check the attribute values against the documented limits; a user who is not a member of the room also gives this status."
	case easemob.IsRateLimited(e) && easemob.ErrorType(e) == "resource_limited":
		return "The app's plan quota was reached (429 resource_limited): it is not a rate, so waiting does not help; " +
			"raise the plan's limit with Easemob."
	case easemob.IsRateLimited(e):
		return "Easemob kept refusing requests for the app's rate limit for the whole time the provider waits " +
			"(about 2 minutes), while the provider slowed down: other clients of the app are probably using its " +
			"limit. Apply again later."
	default:
		return "Retry later; if it persists, contact Easemob support with the details below."
	}
}

// easemobText checks a room's name or description: not blank, and no "/",
// which the API refuses on update (so a room created with one could never
// be renamed).
type easemobText struct{}

func (easemobText) Description(_ context.Context) string {
	return "not blank and without '/'"
}
func (v easemobText) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v easemobText) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if s == "" {
		return // the length validator refuses it, with one error rather than two
	}
	if strings.TrimSpace(s) == "" || strings.Contains(s, "/") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid attribute value",
			fmt.Sprintf("%s must be %s, got %q.", req.Path, v.Description(ctx), s))
	}
}

// easemobUserPattern is an Easemob user id as the newest documents allow
// it: 1 to 64 of a-z, 0-9, "_", "-", ".". Upper case is refused at plan
// time because the API folds ids to lower case and answers them so, which
// would show as a change on every plan.
var easemobUserPattern = regexp.MustCompile(`^[a-z0-9_.-]{1,64}$`)

// easemobRoomIDPattern is a room id: the server's numeric ids, or custom
// ids (a-z, 0-9, at most 64).
var easemobRoomIDPattern = regexp.MustCompile(`^[a-z0-9]{1,64}$`)

func easemobUserValidator() validator.String {
	return stringvalidator.RegexMatches(easemobUserPattern,
		"must be an Easemob user id: 1 to 64 of a-z, 0-9, '_', '-' and '.', in lower case (the API folds user ids to lower case)")
}

func easemobRoomIDValidator() validator.String {
	return stringvalidator.RegexMatches(easemobRoomIDPattern,
		"must be an Easemob chatroom id: 1 to 64 of a-z and 0-9, such as 300000000000001")
}

// easemobRoomID checks a room id held in state or given to import.
func easemobRoomID(id string) error {
	if !easemobRoomIDPattern.MatchString(id) {
		return fmt.Errorf("%q is not an Easemob chatroom id (1 to 64 of a-z and 0-9, such as 300000000000001)", id)
	}
	return nil
}

// rfc3339 formats a creation time for created_at; the zero time (the
// answer had none) is null.
func rfc3339(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// apiErrorDiag turns a client error into a diagnostic: a short summary, then
// what happened, what to do, and the API's code and desc. The client never
// puts headers or the secret into its errors, so err's text is safe to show.
func apiErrorDiag(summary string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary, apiErrorDetail(err))
}

func apiErrorDetail(err error) string {
	var apiErr *client.APIError
	switch {
	case errors.Is(err, client.ErrOutcomeUnknown):
		return fmt.Sprintf("The request was sent but no answer arrived, so it may or may not have been applied. "+
			"Run terraform plan to see the current state, then apply again.\n\n%s", err)
	case errors.As(err, &apiErr):
		return fmt.Sprintf("The NIM API refused the request (%s). %s\n\nAPI code: %d\nAPI desc: %s",
			apiErr.Endpoint, adviceFor(apiErr), apiErr.Code, apiErr.Desc)
	case errors.Is(err, client.ErrUnexpectedAnswer):
		return fmt.Sprintf("The server at the endpoint answered, but not as the NIM API does. Check endpoint (or NIM_ENDPOINT): "+
			"it is the API's base URL, ending in /nimserver.\n\n%s", err)
	case errors.Is(err, context.Canceled):
		return fmt.Sprintf("The operation was interrupted (Ctrl-C, or the run was cancelled) while it waited on NIM.\n\n%s", err)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("NIM did not answer in the time allowed (request_timeout per attempt, or the operation's deadline).\n\n%s", err)
	default:
		return fmt.Sprintf("The NIM API could not be reached: %s", err)
	}
}

func adviceFor(e *client.APIError) string {
	switch {
	case client.IsSignatureError(e):
		return "NIM refused the request's signature: check app_secret (or NIM_APP_SECRET), and that this machine's clock " +
			"is right (the signature's CurTime must be within 5 minutes of NIM's)."
	case client.IsAppKeyError(e):
		return "NIM knows no application with this key: check app_key (or NIM_APP_KEY)."
	case client.IsParameterError(e):
		return "Check the attribute values against the documented limits; an unknown account or a bad app key also gives this code."
	case client.IsForbidden(e):
		return "The operator account lacks the right for this operation, or the app lacks the feature."
	case client.IsNotFound(e):
		return "The object does not exist (any more)."
	case client.IsRateLimited(e):
		return "NIM kept refusing requests for the application's rate limit for the whole time the provider waits " +
			"(about 2 minutes), while the provider slowed down: other clients of the application are probably using " +
			"its limit. Apply again later, or ask NIM for a higher limit."
	case client.IsLimitExceeded(e):
		return "A quantity limit of the application was reached."
	case client.IsRoomClosed(e):
		return "The chatroom is closed; set open = true to reopen it first."
	default:
		return "Retry later; if it persists, contact NIM support with the code below."
	}
}

// notFoundError reports an object that a data source was asked to read and
// that does not exist: unlike a resource's Read, a data source has nothing
// to fall back to, so this is an error on the attribute that named it.
func notFoundError(diags *diag.Diagnostics, attr path.Path, summary, what string, err error) {
	detail := what + " Check " + attr.String() + ": a data source reads only objects that exist."
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		detail += fmt.Sprintf("\n\nAPI code: %d\nAPI desc: %s", apiErr.Code, apiErr.Desc)
	}
	diags.AddAttributeError(attr, summary, detail)
}

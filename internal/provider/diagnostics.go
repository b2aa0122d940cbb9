package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

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
	default:
		return fmt.Sprintf("The NIM API could not be reached: %s", err)
	}
}

func adviceFor(e *client.APIError) string {
	switch {
	case client.IsParameterError(e):
		return "Check the attribute values against the documented limits; an unknown account or a bad app key also gives this code."
	case client.IsForbidden(e):
		return "The operator account lacks the right for this operation, or the app lacks the feature."
	case client.IsNotFound(e):
		return "The object does not exist (any more)."
	case client.IsRateLimited(e):
		return "The application's request rate limit was hit even after retries; lower requests_per_second or -parallelism."
	case client.IsLimitExceeded(e):
		return "A quantity limit of the application was reached."
	case client.IsRoomClosed(e):
		return "The chatroom is closed; set open = true to reopen it first."
	default:
		return "Retry later; if it persists, contact NIM support with the code below."
	}
}

// clientFrom takes the client the provider's Configure built. It is nil
// while Terraform validates a configuration before the provider is configured.
func clientFrom(data any, diags *diag.Diagnostics) *client.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*client.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *client.Client, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return c
}

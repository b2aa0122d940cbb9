package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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

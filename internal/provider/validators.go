package provider

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// charLength checks a string's length in characters. The NIM documents give
// limits in characters (字符), and names are often Chinese, so a byte count
// (what stringvalidator.LengthBetween measures) would reject valid input.
type charLength struct{ min, max int }

//nolint:unparam // the call sites copy the documents' "1 to N characters" ranges
func lengthBetween(lo, hi int) validator.String { return charLength{min: lo, max: hi} }
func lengthAtMost(hi int) validator.String      { return charLength{min: 0, max: hi} }

func (v charLength) Description(_ context.Context) string {
	if v.min > 0 {
		return fmt.Sprintf("between %d and %d characters", v.min, v.max)
	}
	return fmt.Sprintf("at most %d characters", v.max)
}

func (v charLength) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v charLength) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	n := utf8.RuneCountInString(req.ConfigValue.ValueString())
	if n < v.min || n > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid attribute value length",
			fmt.Sprintf("%s must be %s, got %d.", req.Path, v.Description(ctx), n))
	}
}

type endpointValidator struct{}

func (endpointValidator) Description(_ context.Context) string {
	return "an https URL, or an http URL on a loopback host"
}
func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid NIM endpoint", err.Error())
	}
}

type durationValidator struct{}

func (durationValidator) Description(_ context.Context) string {
	return "a positive Go duration such as 30s or 1m"
}
func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%s must be %s, got %q.", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
	}
}

// numericID validates an id attribute at plan time.
type numericID struct{}

// checkEndpoint refuses plain http anywhere but loopback: the CheckSum is
// replayable for five minutes, so it must not cross a network in clear text.
func checkEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("endpoint %q is not an absolute URL such as %s", raw, client.DefaultEndpoint)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("endpoint %q uses plain http to a non-loopback host; use https "+
			"(plain http is accepted only for 127.0.0.1, ::1 or localhost, e.g. a local nimsim)", raw)
	default:
		return fmt.Errorf("endpoint %q must use https (or http on a loopback host)", raw)
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

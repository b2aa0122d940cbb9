package provider

import (
	"context"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// charLength checks a string's length in characters. The NIM documents give
// limits in characters (字符), and names are often Chinese, so a byte count
// (what stringvalidator.LengthBetween measures) would reject valid input.
type charLength struct{ min, max int }

func lengthBetween(min, max int) validator.String { return charLength{min: min, max: max} }
func lengthAtMost(max int) validator.String       { return charLength{min: 0, max: max} }

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

// parseID parses a numeric NIM id taken from an import id or state.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%s must be a positive integer, got %q", what, s)
	}
	return id, nil
}

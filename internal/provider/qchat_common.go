package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// qchatResource is embedded by every QChat resource: the client, and the
// rule that calls run as `operator`, which defaults to the server's owner.
type qchatResource struct {
	client *client.Client
}

func (r *qchatResource) configure(data any, diags *diag.Diagnostics) {
	r.client = clientFrom(data, diags)
}

// resolveOperator returns the configured operator, or the server's owner.
func (r *qchatResource) resolveOperator(ctx context.Context, operator types.String, serverID int64) (string, error) {
	if !operator.IsNull() && !operator.IsUnknown() {
		return operator.ValueString(), nil
	}
	srv, err := r.client.QChat.GetServer(ctx, serverID)
	if err != nil {
		return "", err
	}
	return srv.Owner, nil
}

func operatorAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Account (accid) that performs the API calls (`accid`). Defaults to the server's owner. " +
			"Changing it changes no object in NIM.",
		Optional:      true,
		Computed:      true,
		Validators:    []validator.String{lengthBetween(1, 32)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

func idAttribute(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: desc,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// parentIDAttribute is a required id of an enclosing object; a new value
// means a new object.
func parentIDAttribute(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: desc + " Changing it replaces the resource.",
		Required:            true,
		Validators:          []validator.String{numericID{}},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// numericID validates an id attribute at plan time.
type numericID struct{}

func (numericID) Description(context.Context) string               { return "a positive integer id" }
func (v numericID) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (numericID) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseID(req.Path.String(), req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid id", err.Error())
	}
}

// parseImportID splits an import id of the form a/b/c into numeric parts.
func parseImportID(id string, parts ...string) ([]int64, error) {
	fields := strings.Split(id, "/")
	format := "<" + strings.Join(parts, ">/<") + ">"
	if len(fields) != len(parts) {
		return nil, fmt.Errorf("expected an import id of the form %s, got %q", format, id)
	}
	out := make([]int64, len(parts))
	for i, f := range fields {
		n, err := parseID(parts[i], f)
		if err != nil {
			return nil, fmt.Errorf("import id %q (form %s): %v", id, format, err)
		}
		out[i] = n
	}
	return out, nil
}

func idString(id int64) types.String { return types.StringValue(strconv.FormatInt(id, 10)) }

// mustID parses an id held in state or plan; validators have checked it.
func mustID(v types.String) int64 { return idOf(v.ValueString()) }

// idOf parses an id that a validator or the API already vouched for.
func idOf(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// changedString returns the planned value when it differs from the prior
// one, for update requests that send only what changed.
func changedString(planned, prior types.String) *string {
	if planned.Equal(prior) || planned.IsUnknown() {
		return nil
	}
	return planned.ValueStringPointer()
}

// parseAccidImportID splits an import id of the form <n1>/.../<accid>: the
// numeric ids named by parts, then an account.
func parseAccidImportID(id string, parts ...string) ([]int64, string, error) {
	i := strings.LastIndex(id, "/")
	if i < 0 {
		return nil, "", fmt.Errorf("expected an import id of the form <%s>/<accid>, got %q", strings.Join(parts, ">/<"), id)
	}
	accid := id[i+1:]
	if n := utf8.RuneCountInString(accid); n < 1 || n > 32 {
		return nil, "", fmt.Errorf("import id %q: the accid must be 1 to 32 characters", id)
	}
	ids, err := parseImportID(id[:i], parts...)
	if err != nil {
		return nil, "", err
	}
	return ids, accid, nil
}

package provider

import (
	"context"
	"fmt"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// qchatResource is embedded by every QChat resource: the shared base, and
// the rule that calls run as `operator`, which defaults to the server's owner.
type qchatResource struct{ resourceBase }

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

// readOperator completes the operator of a Read: the one in state, or, when
// state holds none (right after an import), the server's owner. It returns
// false when Read must stop: the server is gone (the resource is removed from
// state) or could not be read (an error diagnostic under summary).
func (r *qchatResource) readOperator(ctx context.Context, operator *types.String, serverID int64, resp *resource.ReadResponse, summary string) bool {
	op, err := r.resolveOperator(ctx, *operator, serverID)
	switch {
	case client.IsNotFound(err):
		resp.State.RemoveResource(ctx)
		return false
	case err != nil:
		resp.Diagnostics.Append(apiErrorDiag(summary, err))
		return false
	}
	*operator = types.StringValue(op)
	return true
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

func dataOperatorAttribute() dsschema.StringAttribute {
	return dsschema.StringAttribute{
		MarkdownDescription: "Account (accid) that performs the reads (`accid`); it must be a member of the server. " +
			"Defaults to the server's owner.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{lengthBetween(1, 32)},
	}
}

// readQChatServer reads the server a QChat data source is about. A server
// that is missing or removed (validFlag 0) is an error on attr, so that an
// unknown server never reads as a server without channels or roles.
func readQChatServer(ctx context.Context, c *client.Client, attr path.Path, id int64, diags *diag.Diagnostics) *client.Server {
	srv, err := c.QChat.GetServer(ctx, id)
	switch {
	case client.IsNotFound(err) || (err == nil && srv.ValidFlag == 0):
		notFoundError(diags, attr, "QChat server not found",
			fmt.Sprintf("There is no QChat server with id %d in this application, or it was removed.", id), err)
		return nil
	case err != nil:
		diags.Append(apiErrorDiag("Cannot read QChat server", err))
		return nil
	}
	return srv
}

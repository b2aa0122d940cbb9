package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// nimDataSource is embedded by every data source: the client the provider
// built.
type nimDataSource struct {
	client *client.Client
}

func (d *nimDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// lookupIDAttribute is the id a data source reads by. It is validated at
// plan time, so a malformed id fails before any API call.
func lookupIDAttribute(desc string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: desc,
		Required:            true,
		Validators:          []validator.String{numericID{}},
	}
}

func dataOperatorAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Account (accid) that performs the reads (`accid`); it must be a member of the server. " +
			"Defaults to the server's owner.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{lengthBetween(1, 32)},
	}
}

func readString(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
}

func readBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{MarkdownDescription: desc, Computed: true}
}

func readInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
}

// dataSourceAttribute is the read-only permissions object of a data source:
// an attribute rather than a block, since nothing in it is configured.
func (s permissionScope) dataSourceAttribute(what string) schema.SingleNestedAttribute {
	missing := "null"
	if s.channel {
		missing = "`inherit`"
	}
	attrs := map[string]schema.Attribute{}
	for _, p := range s.list() {
		attrs[p.attr] = readString(fmt.Sprintf("Permission to %s (API key `%d`): %s.", p.desc, p.key, s.values.describe()))
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: "Permissions of " + what + " as NIM holds them (the JSON `auths` map), one attribute per " +
			"permission. A permission the API leaves out reads as " + missing + ".",
		Computed:   true,
		Attributes: attrs,
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

// List resources: what `terraform query` (Terraform 1.14 and later) asks to
// find the objects an application already has, so that they can be imported
// by identity, or written out as configuration with -generate-config-out.
package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ provider.ProviderWithListResources = &nimProvider{}

// ListResources are the list resources, each named as the resource whose
// objects it finds.
func (p *nimProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewChatroomListResource,
		NewQChatServerListResource,
		NewQChatChannelListResource,
		NewQChatRoleListResource,
		NewQChatServerMemberListResource,
		NewQChatRoleMemberListResource,
		NewEasemobChatroomListResource,
	}
}

// listResourceBase is embedded by every list resource: list resources are
// configured with the same provider data, and the same Configure, as
// resources.
type listResourceBase struct{ resourceBase }

// found is one object a list resource found: the resource's model as Read
// leaves it right after an import, and the name `terraform query` shows.
type found struct {
	model       any
	displayName string
}

// listResults streams what a list resource found, at most req.Limit of them
// (0 is no limit), each with its identity and, when the query asks for it
// (include_resource, or -generate-config-out), the whole object. It stops
// when Terraform stops reading.
func listResults(ctx context.Context, req list.ListRequest, spec identitySpec, objects []found) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		for i, o := range objects {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			res := req.NewListResult(ctx)
			res.DisplayName = o.displayName
			st := tfsdk.State{Schema: req.ResourceSchema, Raw: res.Resource.Raw}
			res.Diagnostics.Append(st.Set(ctx, o.model)...)
			spec.set(ctx, &st, res.Identity, &res.Diagnostics)
			if req.IncludeResource {
				res.Resource.Raw = st.Raw
			}
			if !push(res) {
				return
			}
		}
	}
}

// listFailed is the stream of a list resource that could not list: one
// result that holds only the diagnostics.
func listFailed(stream *list.ListResultsStream, diags ...diag.Diagnostic) {
	stream.Results = list.ListResultsStreamDiagnostics(diags)
}

// listServerIDAttribute is the server filter of the QChat list resources.
func listServerIDAttribute(what string) listschema.StringAttribute {
	return listschema.StringAttribute{
		MarkdownDescription: "Id of the QChat server whose " + what + " to list (`serverId`).",
		Required:            true,
		Validators:          []validator.String{numericID{}},
	}
}

// listOperatorAttribute is the account that makes the reads of a QChat list
// resource.
func listOperatorAttribute() listschema.StringAttribute {
	return listschema.StringAttribute{
		MarkdownDescription: "Account (accid) that performs the reads (`accid`); it must be a member of the server and may " +
			"see only what its roles let it. Defaults to the server's owner. Whoever reads, the objects found have the " +
			"server's owner as their `operator`, as an imported one has.",
		Optional:   true,
		Validators: []validator.String{lengthBetween(1, 32)},
	}
}

// orOwner returns the configured operator, or the server's owner.
func orOwner(operator types.String, owner string) string {
	if operator.IsNull() || operator.ValueString() == "" {
		return owner
	}
	return operator.ValueString()
}

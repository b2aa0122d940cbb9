package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ list.ListResource              = &qchatRoleListResource{}
	_ list.ListResourceWithConfigure = &qchatRoleListResource{}
)

func NewQChatRoleListResource() list.ListResource { return &qchatRoleListResource{} }

// qchatRoleListResource finds the custom roles of a QChat server.
type qchatRoleListResource struct{ listResourceBase }

type qchatRoleListModel struct {
	ServerID types.String `tfsdk:"server_id"`
	Operator types.String `tfsdk:"operator"`
}

func (r *qchatRoleListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_role"
}

func (r *qchatRoleListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the custom roles of a QChat server (`qchat/getServerIdentifyPages`, every page), by " +
			"priority. The @everyone role is not listed: it is managed with `nim_qchat_everyone_role`, whose identity is " +
			"the server id. Each role is found with its identity (`server_id`, `role_id`) and, as a whole object, with " +
			"every permission it sets, as an imported role has.",
		Attributes: map[string]listschema.Attribute{
			"server_id": listServerIDAttribute("roles"),
			"operator":  listOperatorAttribute(),
		},
	}
}

func (r *qchatRoleListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg qchatRoleListModel
	var diags diag.Diagnostics
	if diags.Append(req.Config.Get(ctx, &cfg)...); diags.HasError() {
		listFailed(stream, diags...)
		return
	}
	srv := readQChatServer(ctx, r.client, path.Root("server_id"), mustID(cfg.ServerID), &diags)
	if srv == nil {
		listFailed(stream, diags...)
		return
	}
	roles, err := r.client.QChat.ListServerRoles(ctx, srv.ID, orOwner(cfg.Operator, srv.Owner))
	if err != nil {
		listFailed(stream, apiErrorDiag("Cannot list the server's QChat roles", err))
		return
	}
	var objects []found
	for i := range roles {
		role := &roles[i]
		if role.Type == client.ServerRoleTypeEveryone {
			continue
		}
		m := qchatRoleModel{Operator: types.StringValue(srv.Owner)}
		if diags := m.fromAPI(role, true); diags.HasError() {
			listFailed(stream, diags...)
			return
		}
		objects = append(objects, found{model: &m, displayName: fmt.Sprintf("%s (%d)", role.Name, role.ID)})
	}
	stream.Results = listResults(ctx, req, qchatRoleIdentity, objects)
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ list.ListResource              = &qchatRoleMemberListResource{}
	_ list.ListResourceWithConfigure = &qchatRoleMemberListResource{}
)

func NewQChatRoleMemberListResource() list.ListResource { return &qchatRoleMemberListResource{} }

// qchatRoleMemberListResource finds who holds the custom roles of a QChat
// server.
type qchatRoleMemberListResource struct{ listResourceBase }

type qchatRoleMemberListModel struct {
	ServerID types.String `tfsdk:"server_id"`
	RoleID   types.String `tfsdk:"role_id"`
	Operator types.String `tfsdk:"operator"`
}

func (r *qchatRoleMemberListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_role_member"
}

func (r *qchatRoleMemberListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the accounts holding the custom roles of a QChat server: for one role, or for every " +
			"custom role of the server (`qchat/getServerIdentifyPages`), its members (`qchat/getServerIdentifyMemberPages`, " +
			"every page). Each is found with its identity (`server_id`, `role_id`, `accid`).",
		Attributes: map[string]listschema.Attribute{
			"server_id": listServerIDAttribute("role members"),
			"role_id": listschema.StringAttribute{
				MarkdownDescription: "Id of the custom role whose members to list (`roleId`). Default: every custom role of the server.",
				Optional:            true,
				Validators:          []validator.String{numericID{}},
			},
			"operator": listOperatorAttribute(),
		},
	}
}

func (r *qchatRoleMemberListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg qchatRoleMemberListModel
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
	operator := orOwner(cfg.Operator, srv.Owner)
	var roles []client.ServerRole
	if cfg.RoleID.IsNull() {
		all, err := r.client.QChat.ListServerRoles(ctx, srv.ID, operator)
		if err != nil {
			listFailed(stream, apiErrorDiag("Cannot list the server's QChat roles", err))
			return
		}
		for _, role := range all {
			if role.Type != client.ServerRoleTypeEveryone {
				roles = append(roles, role)
			}
		}
	} else {
		roles = []client.ServerRole{{ID: mustID(cfg.RoleID), ServerID: srv.ID}}
	}
	var objects []found
	for _, role := range roles {
		members, err := r.client.QChat.ListRoleMembers(ctx, srv.ID, role.ID, operator)
		if err != nil {
			listFailed(stream, apiErrorDiag(fmt.Sprintf("Cannot list the members of QChat role %d", role.ID), err))
			return
		}
		for _, mem := range members {
			m := qchatRoleMemberModel{
				ServerID: idString(srv.ID),
				RoleID:   idString(role.ID),
				Accid:    types.StringValue(mem.Accid),
				Operator: types.StringValue(srv.Owner),
			}
			m.setID()
			name := mem.Accid
			if role.Name != "" {
				name = fmt.Sprintf("%s in %s", mem.Accid, role.Name)
			}
			objects = append(objects, found{model: &m, displayName: name})
		}
	}
	stream.Results = listResults(ctx, req, qchatRoleMemberIdentity, objects)
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = &qchatChannelRoleResource{}
	_ resource.ResourceWithImportState = &qchatChannelRoleResource{}
)

func NewQChatChannelRoleResource() resource.Resource { return &qchatChannelRoleResource{} }

type qchatChannelRoleResource struct{ qchatResource }

type qchatChannelRoleModel struct {
	ID           types.String `tfsdk:"id"`
	ServerID     types.String `tfsdk:"server_id"`
	ChannelID    types.String `tfsdk:"channel_id"`
	ServerRoleID types.String `tfsdk:"server_role_id"`
	Operator     types.String `tfsdk:"operator"`
	RoleID       types.String `tfsdk:"role_id"`
	Name         types.String `tfsdk:"name"`
	Permissions  types.Object `tfsdk:"permissions"`
}

func (r *qchatChannelRoleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_channel_role"
}

func (r *qchatChannelRoleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Overrides a server role's permissions inside one channel (a channel role, " +
			"`qchat/createChannelIdentify` then `updateChannelIdentify`). Each permission is `allow`, `deny`, or " +
			"`inherit` (take the server role's value).",
		Attributes: map[string]schema.Attribute{
			"id":         idAttribute("`<server_id>/<channel_id>/<role_id>`, the import id."),
			"server_id":  parentIDAttribute("Id of the server (`serverId`)."),
			"channel_id": parentIDAttribute("Id of the channel (`channelId`)."),
			"server_role_id": parentIDAttribute("Id of the server role to override (`serverRoleId`): a `nim_qchat_role`'s " +
				"`id`, or the server's `everyone_role_id`."),
			"operator": operatorAttribute(),
			"role_id":  idAttribute("Id of the channel role itself (`roleId`), not the server role's."),
			"name": schema.StringAttribute{
				MarkdownDescription: "Name, inherited from the server role.",
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{"permissions": channelPermissions.schema("the server role inside the channel")},
	}
}

func (r *qchatChannelRoleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan qchatChannelRoleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID, channelID, serverRoleID := mustID(plan.ServerID), mustID(plan.ChannelID), mustID(plan.ServerRoleID)
	operator, err := r.resolveOperator(ctx, plan.Operator, serverID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the channel role's QChat server", err))
		return
	}
	role, err := createUnique(ctx,
		func(ctx context.Context) (*client.ChannelRole, error) {
			return r.client.QChat.CreateChannelRole(ctx, &client.CreateChannelRoleRequest{
				ServerID: serverID, ChannelID: channelID, ParentRoleID: serverRoleID, Operator: operator,
			})
		},
		func(ctx context.Context) (*client.ChannelRole, error) {
			return r.client.QChat.GetChannelRoleOf(ctx, serverID, channelID, serverRoleID, operator)
		})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot create QChat channel role", err))
		return
	}
	wanted := plan.Permissions
	plan.Operator = types.StringValue(operator)
	resp.Diagnostics.Append(plan.fromAPI(role, false)...)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...) }()

	auths, diags := channelPermissions.toAPI(ctx, wanted, plan.Permissions)
	resp.Diagnostics.Append(diags...)
	if len(auths) == 0 || resp.Diagnostics.HasError() {
		return
	}
	role, err = r.client.QChat.UpdateChannelRole(ctx, &client.UpdateChannelRoleRequest{
		ServerID: serverID, ChannelID: channelID, RoleID: role.ID, Operator: operator, Auths: auths,
	})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("QChat channel role created, but setting its permissions failed", err))
		return
	}
	resp.Diagnostics.Append(plan.fromAPI(role, false)...)
}

func (r *qchatChannelRoleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state qchatChannelRoleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID, channelID, roleID := mustID(state.ServerID), mustID(state.ChannelID), mustID(state.RoleID)
	operator, err := r.resolveOperator(ctx, state.Operator, serverID)
	var role *client.ChannelRole
	if err == nil {
		state.Operator = types.StringValue(operator)
		role, err = r.client.QChat.GetChannelRole(ctx, serverID, channelID, roleID, operator)
	}
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read QChat channel role", err))
		return
	}
	resp.Diagnostics.Append(state.fromAPI(role, takeImported(ctx, req.Private, resp.Private))...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *qchatChannelRoleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state qchatChannelRoleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	auths, diags := channelPermissions.toAPI(ctx, plan.Permissions, state.Permissions)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(auths) > 0 {
		role, err := r.client.QChat.UpdateChannelRole(ctx, &client.UpdateChannelRoleRequest{
			ServerID: mustID(state.ServerID), ChannelID: mustID(state.ChannelID), RoleID: mustID(state.RoleID),
			Operator: plan.Operator.ValueString(), Auths: auths,
		})
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot update QChat channel role", err))
			return
		}
		resp.Diagnostics.Append(plan.fromAPI(role, false)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *qchatChannelRoleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state qchatChannelRoleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.QChat.DeleteChannelRole(ctx, mustID(state.ServerID), mustID(state.ChannelID), mustID(state.RoleID), state.Operator.ValueString())
	if err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiag("Cannot delete QChat channel role", err))
	}
}

func (r *qchatChannelRoleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ids, err := parseImportID(req.ID, "server_id", "channel_id", "role_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a QChat channel role as <server_id>/<channel_id>/<role_id>: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), idString(ids[0]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("channel_id"), idString(ids[1]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("role_id"), idString(ids[2]))...)
	resp.Diagnostics.Append(markImported(ctx, resp.Private)...)
}

func (m *qchatChannelRoleModel) fromAPI(role *client.ChannelRole, imported bool) diag.Diagnostics {
	m.ID = types.StringValue(fmt.Sprintf("%d/%d/%d", role.ServerID, role.ChannelID, role.ID))
	m.ServerID = idString(role.ServerID)
	m.ChannelID = idString(role.ChannelID)
	m.ServerRoleID = idString(role.ParentRoleID)
	m.RoleID = idString(role.ID)
	m.Name = types.StringValue(role.Name)
	perms, diags := channelPermissions.read(m.Permissions, imported, role.Auths)
	m.Permissions = perms
	return diags
}

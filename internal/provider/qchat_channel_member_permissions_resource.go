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
	_ resource.ResourceWithConfigure   = &qchatMemberPermissionsResource{}
	_ resource.ResourceWithImportState = &qchatMemberPermissionsResource{}
)

func NewQChatChannelMemberPermissionsResource() resource.Resource {
	return &qchatMemberPermissionsResource{}
}

type qchatMemberPermissionsResource struct{ qchatResource }

type qchatMemberPermissionsModel struct {
	ID          types.String `tfsdk:"id"`
	ServerID    types.String `tfsdk:"server_id"`
	ChannelID   types.String `tfsdk:"channel_id"`
	Accid       types.String `tfsdk:"accid"`
	Operator    types.String `tfsdk:"operator"`
	Permissions types.Object `tfsdk:"permissions"`
}

func (r *qchatMemberPermissionsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_channel_member_permissions"
}

func (r *qchatMemberPermissionsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Per-account permission overrides inside one channel (`qchat/createUserIdentify`, then " +
			"`updateUserIdentify`; removed with `deleteUserIdentify`). They take precedence over the account's roles. " +
			"Each permission is `allow`, `deny`, or `inherit`. The account must be a member of the server.",
		Attributes: map[string]schema.Attribute{
			"id":         idAttribute("`<server_id>/<channel_id>/<accid>`, the import id."),
			"server_id":  parentIDAttribute("Id of the server (`serverId`)."),
			"channel_id": parentIDAttribute("Id of the channel (`channelId`)."),
			"accid":      accidAttribute("The account the overrides apply to (`accid` of the override)."),
			"operator":   operatorAttribute(),
		},
		Blocks: map[string]schema.Block{"permissions": channelPermissions.schema("the account inside the channel")},
	}
}

func (r *qchatMemberPermissionsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan qchatMemberPermissionsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID, channelID, accid := mustID(plan.ServerID), mustID(plan.ChannelID), plan.Accid.ValueString()
	operator, err := r.resolveOperator(ctx, plan.Operator, serverID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the channel's QChat server", err))
		return
	}
	o, err := createUnique(ctx,
		func(ctx context.Context) (*client.MemberOverride, error) {
			return r.client.QChat.CreateMemberOverride(ctx, serverID, channelID, operator, accid)
		},
		func(ctx context.Context) (*client.MemberOverride, error) {
			return r.client.QChat.GetMemberOverride(ctx, serverID, channelID, operator, accid)
		})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot create the member's channel permissions", err))
		return
	}
	wanted := plan.Permissions
	plan.Operator = types.StringValue(operator)
	resp.Diagnostics.Append(plan.fromAPI(o, false)...)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...) }()

	auths, diags := channelPermissions.toAPI(ctx, wanted, plan.Permissions)
	resp.Diagnostics.Append(diags...)
	if len(auths) == 0 || resp.Diagnostics.HasError() {
		return
	}
	o, err = r.client.QChat.UpdateMemberOverride(ctx, &client.UpdateMemberOverrideRequest{
		ServerID: serverID, ChannelID: channelID, Operator: operator, Accid: accid, Auths: auths,
	})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Member channel permissions created, but setting them failed", err))
		return
	}
	resp.Diagnostics.Append(plan.fromAPI(o, false)...)
}

func (r *qchatMemberPermissionsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state qchatMemberPermissionsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID, channelID := mustID(state.ServerID), mustID(state.ChannelID)
	operator, err := r.resolveOperator(ctx, state.Operator, serverID)
	var o *client.MemberOverride
	if err == nil {
		state.Operator = types.StringValue(operator)
		o, err = r.client.QChat.GetMemberOverride(ctx, serverID, channelID, operator, state.Accid.ValueString())
	}
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the member's channel permissions", err))
		return
	}
	resp.Diagnostics.Append(state.fromAPI(o, takeImported(ctx, req.Private, resp.Private))...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *qchatMemberPermissionsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state qchatMemberPermissionsModel
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
		o, err := r.client.QChat.UpdateMemberOverride(ctx, &client.UpdateMemberOverrideRequest{
			ServerID: mustID(state.ServerID), ChannelID: mustID(state.ChannelID), Operator: plan.Operator.ValueString(),
			Accid: state.Accid.ValueString(), Auths: auths,
		})
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot update the member's channel permissions", err))
			return
		}
		resp.Diagnostics.Append(plan.fromAPI(o, false)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *qchatMemberPermissionsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state qchatMemberPermissionsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.QChat.DeleteMemberOverride(ctx, mustID(state.ServerID), mustID(state.ChannelID), state.Operator.ValueString(), state.Accid.ValueString())
	if err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiag("Cannot delete the member's channel permissions", err))
	}
}

func (r *qchatMemberPermissionsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ids, accid, err := parseAccidImportID(req.ID, "server_id", "channel_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import member channel permissions as <server_id>/<channel_id>/<accid>: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), idString(ids[0]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("channel_id"), idString(ids[1]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("accid"), accid)...)
	resp.Diagnostics.Append(markImported(ctx, resp.Private)...)
}

func (m *qchatMemberPermissionsModel) fromAPI(o *client.MemberOverride, imported bool) diag.Diagnostics {
	m.ID = types.StringValue(fmt.Sprintf("%d/%d/%s", o.ServerID, o.ChannelID, o.Accid))
	m.ServerID = idString(o.ServerID)
	m.ChannelID = idString(o.ChannelID)
	m.Accid = types.StringValue(o.Accid)
	perms, diags := channelPermissions.read(m.Permissions, imported, o.Auths)
	m.Permissions = perms
	return diags
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &qchatServerDataSource{}

func NewQChatServerDataSource() datasource.DataSource { return &qchatServerDataSource{} }

type qchatServerDataSource struct{ dataSourceBase }

type qchatServerDataModel struct {
	ID                     types.String `tfsdk:"id"`
	Owner                  types.String `tfsdk:"owner"`
	Name                   types.String `tfsdk:"name"`
	Icon                   types.String `tfsdk:"icon"`
	Custom                 types.String `tfsdk:"custom"`
	InviteRequiresApproval types.Bool   `tfsdk:"invite_requires_approval"`
	ApplyRequiresApproval  types.Bool   `tfsdk:"apply_requires_approval"`
	EveryoneRoleID         types.String `tfsdk:"everyone_role_id"`
}

func (d *qchatServerDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_server"
}

func (d *qchatServerDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an existing QChat (圈组) server by its id (`qchat/getServers`), and the id of its " +
			"@everyone role (`qchat/getServerIdentifyPages`, read as the owner). A server that does not exist or was " +
			"removed is an error.",
		Attributes: map[string]schema.Attribute{
			"id":     lookupIDAttribute("Server id (`serverId`) of the server to read."),
			"owner":  readString("Account (accid) that owns the server (`owner`)."),
			"name":   readString("Server name (`name`)."),
			"icon":   readString("Icon URL (`icon`); empty when none."),
			"custom": readString("Custom extension data (`custom`); empty when none."),
			"invite_requires_approval": readBool("Whether an invited account must accept before joining " +
				"(`inviteMode`: `true` = 0, `false` = 1)."),
			"apply_requires_approval": readBool("Whether an application to join must be approved " +
				"(`applyMode`: `false` = 0, `true` = 1)."),
			"everyone_role_id": readString("Id of the server's @everyone role (`roleId` of identify `type` 1)."),
		},
	}
}

func (d *qchatServerDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m qchatServerDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	srv := readQChatServer(ctx, d.client, path.Root("id"), mustID(m.ID), &resp.Diagnostics)
	if srv == nil {
		return
	}
	m.Owner = types.StringValue(srv.Owner)
	m.Name = types.StringValue(srv.Name)
	m.Icon = types.StringValue(srv.Icon)
	m.Custom = types.StringValue(srv.Custom)
	m.InviteRequiresApproval = types.BoolValue(srv.InviteMode == inviteMode(true))
	m.ApplyRequiresApproval = types.BoolValue(srv.ApplyMode == applyMode(true))

	role, err := d.client.QChat.GetEveryoneRole(ctx, srv.ID, srv.Owner)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the QChat server's @everyone role", err))
		return
	}
	m.EveryoneRoleID = idString(role.ID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

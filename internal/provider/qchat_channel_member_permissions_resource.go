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
	_ resource.ResourceWithIdentity    = &qchatMemberPermissionsResource{}
)

func NewQChatChannelMemberPermissionsResource() resource.Resource {
	return &qchatMemberPermissionsResource{channelOverrideResource[client.MemberOverride, qchatMemberPermissionsModel, *qchatMemberPermissionsModel]{
		ops: memberOverrideOps,
		text: channelOverrideText{
			typeName:      "nim_qchat_channel_member_permissions",
			server:        "Cannot read the channel's QChat server",
			create:        "Cannot create the member's channel permissions",
			createdNotSet: "Member channel permissions created, but setting them failed",
			read:          "Cannot read the member's channel permissions",
			update:        "Cannot update the member's channel permissions",
			delete:        "Cannot delete the member's channel permissions",
		},
		identity: qchatMemberPermissionsIdentity,
	}}
}

// qchatMemberPermissionsResource takes Create, Read, Update and Delete from
// the shared core of channel permission overrides.
type qchatMemberPermissionsResource struct {
	channelOverrideResource[client.MemberOverride, qchatMemberPermissionsModel, *qchatMemberPermissionsModel]
}

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

func (r *qchatMemberPermissionsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = qchatMemberPermissionsIdentity.schema()
}

func (r *qchatMemberPermissionsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = qchatMemberPermissionsIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	id, without := importWithoutPermissions(req.ID, 3)
	ids, accid, err := parseAccidImportID(id, "server_id", "channel_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import member channel permissions as <server_id>/<channel_id>/<accid> (add /no-permissions at the end when the configuration has no permissions block): "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), idString(ids[0]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("channel_id"), idString(ids[1]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("accid"), accid)...)
	resp.Diagnostics.Append(markImportedUnless(ctx, without, resp.Private)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	qchatMemberPermissionsIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
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

func (m *qchatMemberPermissionsModel) existing() (string, string) {
	return fmt.Sprintf("The channel permissions of %s in channel %s", m.Accid.ValueString(), m.ChannelID.ValueString()),
		m.ID.ValueString()
}

func (m *qchatMemberPermissionsModel) lockKey() string {
	return m.ChannelID.ValueString() + "/" + m.Accid.ValueString()
}

func (m *qchatMemberPermissionsModel) serverID() int64            { return mustID(m.ServerID) }
func (m *qchatMemberPermissionsModel) operator() *types.String    { return &m.Operator }
func (m *qchatMemberPermissionsModel) permissions() *types.Object { return &m.Permissions }

// memberOverrideOps are the member override calls (qchat/*UserIdentify) for
// the account m names. Create adopts the account's existing override.
func memberOverrideOps(c *client.Client, m *qchatMemberPermissionsModel) channelOverrideOps[client.MemberOverride] {
	get := func(ctx context.Context) (*client.MemberOverride, error) {
		return c.QChat.GetMemberOverride(ctx, mustID(m.ServerID), mustID(m.ChannelID), m.Operator.ValueString(), m.Accid.ValueString())
	}
	return channelOverrideOps[client.MemberOverride]{
		create: func(ctx context.Context) (*client.MemberOverride, error) {
			return c.QChat.CreateMemberOverride(ctx, mustID(m.ServerID), mustID(m.ChannelID), m.Operator.ValueString(), m.Accid.ValueString())
		},
		find: get,
		get:  get,
		update: func(ctx context.Context, auths client.Permissions) (*client.MemberOverride, error) {
			return c.QChat.UpdateMemberOverride(ctx, &client.UpdateMemberOverrideRequest{
				ServerID: mustID(m.ServerID), ChannelID: mustID(m.ChannelID), Operator: m.Operator.ValueString(),
				Accid: m.Accid.ValueString(), Auths: auths,
			})
		},
		remove: func(ctx context.Context) error {
			return c.QChat.DeleteMemberOverride(ctx, mustID(m.ServerID), mustID(m.ChannelID), m.Operator.ValueString(), m.Accid.ValueString())
		},
	}
}

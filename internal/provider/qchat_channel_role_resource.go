package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = &qchatChannelRoleResource{}
	_ resource.ResourceWithImportState = &qchatChannelRoleResource{}
	_ resource.ResourceWithIdentity    = &qchatChannelRoleResource{}
)

func NewQChatChannelRoleResource() resource.Resource {
	return &qchatChannelRoleResource{channelOverrideResource[client.ChannelRole, qchatChannelRoleModel, *qchatChannelRoleModel]{
		ops: channelRoleOps,
		text: channelOverrideText{
			typeName:      "nim_qchat_channel_role",
			server:        "Cannot read the channel role's QChat server",
			create:        "Cannot create QChat channel role",
			createdNotSet: "QChat channel role created, but setting its permissions failed",
			read:          "Cannot read QChat channel role",
			update:        "Cannot update QChat channel role",
			delete:        "Cannot delete QChat channel role",
		},
		identity: qchatChannelRoleIdentity,
	}}
}

// qchatChannelRoleResource takes Create, Read, Update and Delete from the
// shared core of channel permission overrides.
type qchatChannelRoleResource struct {
	channelOverrideResource[client.ChannelRole, qchatChannelRoleModel, *qchatChannelRoleModel]
}

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
				// Only a rename of the server role changes it, and a refresh
				// reads that: no change of this resource makes it unknown.
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{"permissions": channelPermissions.schema("the server role inside the channel")},
	}
}

func (r *qchatChannelRoleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = qchatChannelRoleIdentity.schema()
}

func (r *qchatChannelRoleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = qchatChannelRoleIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	id, without := importWithoutPermissions(req.ID, 3)
	ids, err := parseImportID(id, "server_id", "channel_id", "role_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a QChat channel role as <server_id>/<channel_id>/<role_id> (add /no-permissions at the end when the configuration has no permissions block): "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), idString(ids[0]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("channel_id"), idString(ids[1]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("role_id"), idString(ids[2]))...)
	resp.Diagnostics.Append(markImportedUnless(ctx, without, resp.Private)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	qchatChannelRoleIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
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

// keepPlanned keeps the planned name: a rename of the server role in the
// same apply is already in the update's answer, but the plan took the name
// from state, and the next refresh reads the new one.
func (m *qchatChannelRoleModel) keepPlanned(planned *qchatChannelRoleModel) {
	if !planned.Name.IsUnknown() {
		m.Name = planned.Name
	}
}

func (m *qchatChannelRoleModel) existing() (string, string) {
	return fmt.Sprintf("The channel role of server role %s in channel %s", m.ServerRoleID.ValueString(), m.ChannelID.ValueString()),
		m.ID.ValueString()
}

func (m *qchatChannelRoleModel) lockKey() string {
	return m.ChannelID.ValueString() + "/" + m.ServerRoleID.ValueString()
}

func (m *qchatChannelRoleModel) serverID() int64            { return mustID(m.ServerID) }
func (m *qchatChannelRoleModel) operator() *types.String    { return &m.Operator }
func (m *qchatChannelRoleModel) permissions() *types.Object { return &m.Permissions }

// channelRoleOps are the channel role calls (qchat/*ChannelIdentify) for the
// role m names. Create adopts the channel role of the same server role.
func channelRoleOps(c *client.Client, m *qchatChannelRoleModel) channelOverrideOps[client.ChannelRole] {
	return channelOverrideOps[client.ChannelRole]{
		create: func(ctx context.Context) (*client.ChannelRole, error) {
			return c.QChat.CreateChannelRole(ctx, &client.CreateChannelRoleRequest{
				ServerID: mustID(m.ServerID), ChannelID: mustID(m.ChannelID), ParentRoleID: mustID(m.ServerRoleID),
				Operator: m.Operator.ValueString(),
			})
		},
		find: func(ctx context.Context) (*client.ChannelRole, error) {
			return c.QChat.GetChannelRoleOf(ctx, mustID(m.ServerID), mustID(m.ChannelID), mustID(m.ServerRoleID), m.Operator.ValueString())
		},
		get: func(ctx context.Context) (*client.ChannelRole, error) {
			return c.QChat.GetChannelRole(ctx, mustID(m.ServerID), mustID(m.ChannelID), mustID(m.RoleID), m.Operator.ValueString())
		},
		update: func(ctx context.Context, auths client.Permissions) (*client.ChannelRole, error) {
			return c.QChat.UpdateChannelRole(ctx, &client.UpdateChannelRoleRequest{
				ServerID: mustID(m.ServerID), ChannelID: mustID(m.ChannelID), RoleID: mustID(m.RoleID),
				Operator: m.Operator.ValueString(), Auths: auths,
			})
		},
		remove: func(ctx context.Context) error {
			return c.QChat.DeleteChannelRole(ctx, mustID(m.ServerID), mustID(m.ChannelID), mustID(m.RoleID), m.Operator.ValueString())
		},
	}
}

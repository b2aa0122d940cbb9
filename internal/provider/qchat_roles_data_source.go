package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var _ datasource.DataSourceWithConfigure = &qchatRolesDataSource{}

func NewQChatRolesDataSource() datasource.DataSource { return &qchatRolesDataSource{} }

type qchatRolesDataSource struct{ dataSourceBase }

type qchatRolesDataModel struct {
	ServerID types.String        `tfsdk:"server_id"`
	Operator types.String        `tfsdk:"operator"`
	Roles    []qchatRoleDataItem `tfsdk:"roles"`
}

type qchatRoleDataItem struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Icon        types.String `tfsdk:"icon"`
	Ext         types.String `tfsdk:"ext"`
	Priority    types.Int64  `tfsdk:"priority"`
	Type        types.String `tfsdk:"type"`
	MemberCount types.Int64  `tfsdk:"member_count"`
	Permissions types.Object `tfsdk:"permissions"`
}

func (d *qchatRolesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_roles"
}

func (d *qchatRolesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	item := roleDataAttributes()
	item["name"] = readString("Role name (`name`).")
	item["member_count"] = readInt64("Number of members holding the role (`membercount`); for @everyone, every member of the server.")
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads every role of a QChat server, the @everyone role included " +
			"(`qchat/getServerIdentifyPages`, all pages). A server that does not exist or was removed is an error.",
		Attributes: map[string]schema.Attribute{
			"server_id": lookupIDAttribute("Id of the server (`serverId`)."),
			"operator":  dataOperatorAttribute(),
			"roles": schema.ListNestedAttribute{
				MarkdownDescription: "The server's roles: @everyone first, then the custom roles by priority, highest first.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: item},
			},
		},
	}
}

func (d *qchatRolesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m qchatRolesDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	roles, ok := readServerRoles(ctx, d.client, m.ServerID, &m.Operator, &resp.Diagnostics)
	if !ok {
		return
	}
	m.Roles = make([]qchatRoleDataItem, 0, len(roles))
	for i := range roles {
		item, diags := roleDataItem(&roles[i])
		resp.Diagnostics.Append(diags...)
		m.Roles = append(m.Roles, item)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// roleDataAttributes are the attributes that describe one server role, in
// nim_qchat_roles' list and in nim_qchat_role.
func roleDataAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":   readString("Role id (`roleId`)."),
		"icon": readString("Icon URL (`icon`); empty when none."),
		"ext":  readString("Custom extension data (`ext`); empty when none."),
		"priority": readInt64("Priority (`priority`): a smaller number is a higher priority, 1 the highest " +
			"custom role; @everyone is 0."),
		"type":        readString("Role type (`type`): " + serverRoleTypes.describe() + "."),
		"permissions": serverPermissions.dataSourceAttribute("the role"),
	}
}

// readServerRoles returns every role of a server, @everyone first and then
// by priority, read as operator. An unset operator becomes the server's
// owner, who can always read the roles.
func readServerRoles(ctx context.Context, c *client.Client, serverID types.String, operator *types.String, diags *diag.Diagnostics) ([]client.ServerRole, bool) {
	id := mustID(serverID)
	srv := readQChatServer(ctx, c, path.Root("server_id"), id, diags)
	if srv == nil {
		return nil, false
	}
	if operator.IsNull() {
		*operator = types.StringValue(srv.Owner)
	}
	roles, err := c.QChat.ListServerRoles(ctx, id, operator.ValueString())
	if err != nil {
		diags.Append(apiErrorDiag("Cannot list the QChat server's roles", err))
		return nil, false
	}
	sort.SliceStable(roles, func(i, j int) bool {
		a, b := roles[i], roles[j]
		if ae, be := a.Type == client.ServerRoleTypeEveryone, b.Type == client.ServerRoleTypeEveryone; ae != be {
			return ae
		}
		if a.Priority != b.Priority {
			return a.Priority < b.Priority
		}
		return a.ID < b.ID
	})
	return roles, true
}

func roleDataItem(r *client.ServerRole) (qchatRoleDataItem, diag.Diagnostics) {
	var diags diag.Diagnostics
	typ, err := serverRoleTypes.name(r.Type)
	if err != nil {
		diags.AddError("Unexpected role type from the API", fmt.Sprintf("role %d: %s", r.ID, err))
	}
	perms, d := serverPermissions.fromAPI(r.Auths)
	diags.Append(d...)
	return qchatRoleDataItem{
		ID:          idString(r.ID),
		Name:        types.StringValue(r.Name),
		Icon:        types.StringValue(r.Icon),
		Ext:         types.StringValue(r.Ext),
		Priority:    types.Int64Value(r.Priority),
		Type:        types.StringValue(typ),
		MemberCount: types.Int64Value(int64(r.MemberCount)),
		Permissions: perms,
	}, diags
}

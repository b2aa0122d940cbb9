package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var _ datasource.DataSourceWithConfigure = &qchatRoleDataSource{}

func NewQChatRoleDataSource() datasource.DataSource { return &qchatRoleDataSource{} }

type qchatRoleDataSource struct{ dataSourceBase }

type qchatRoleDataModel struct {
	ServerID    types.String `tfsdk:"server_id"`
	Name        types.String `tfsdk:"name"`
	Operator    types.String `tfsdk:"operator"`
	ID          types.String `tfsdk:"id"`
	Icon        types.String `tfsdk:"icon"`
	Ext         types.String `tfsdk:"ext"`
	Priority    types.Int64  `tfsdk:"priority"`
	Type        types.String `tfsdk:"type"`
	Permissions types.Object `tfsdk:"permissions"`
}

func (d *qchatRoleDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_role"
}

func (d *qchatRoleDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := roleDataAttributes()
	attrs["server_id"] = lookupIDAttribute("Id of the server (`serverId`).")
	attrs["operator"] = dataOperatorAttribute()
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "Name of the role to read (`name`), 1 to 64 characters, compared exactly. The server's " +
			"@everyone role is named `@everyone`.",
		Required:   true,
		Validators: []validator.String{lengthBetween(1, 64)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one role of a QChat server by its name (`qchat/getServerIdentifyPages`, all pages). " +
			"Role names need not be unique in NIM: it is an error when no role, or more than one, has the name; " +
			"use `nim_qchat_roles` to see them all.",
		Attributes: attrs,
	}
}

func (d *qchatRoleDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m qchatRoleDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	roles, ok := readServerRoles(ctx, d.client, m.ServerID, &m.Operator, &resp.Diagnostics)
	if !ok {
		return
	}
	name := m.Name.ValueString()
	var found []*client.ServerRole
	for i := range roles {
		if roles[i].Name == name {
			found = append(found, &roles[i])
		}
	}
	switch len(found) {
	case 0:
		resp.Diagnostics.AddAttributeError(path.Root("name"), "QChat role not found",
			fmt.Sprintf("There is no role named %q in server %s (read as %s). Role names are compared exactly; "+
				"nim_qchat_roles lists every role of the server.", name, m.ServerID.ValueString(), m.Operator.ValueString()))
		return
	case 1:
	default:
		ids := make([]string, len(found))
		for i, r := range found {
			ids[i] = fmt.Sprint(r.ID)
		}
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Ambiguous QChat role name",
			fmt.Sprintf("There are %d roles named %q in server %s: ids %s. NIM does not require role names to be "+
				"unique; rename all but one, or pick the role by id from nim_qchat_roles.",
				len(found), name, m.ServerID.ValueString(), strings.Join(ids, ", ")))
		return
	}
	item, diags := roleDataItem(found[0])
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID, m.Icon, m.Ext, m.Priority, m.Type, m.Permissions = item.ID, item.Icon, item.Ext, item.Priority, item.Type, item.Permissions
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &easemobSuperAdminsDataSource{}

func NewEasemobSuperAdminsDataSource() datasource.DataSource { return &easemobSuperAdminsDataSource{} }

type easemobSuperAdminsDataSource struct{ easemobDataSourceBase }

type easemobSuperAdminsDataModel struct {
	ID        types.String `tfsdk:"id"`
	Usernames types.Set    `tfsdk:"usernames"`
}

func (d *easemobSuperAdminsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_easemob_super_admins"
}

func (d *easemobSuperAdminsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every chatroom super admin of the Easemob application (`GET /chatrooms/super_admin`, every page).",
		Attributes: map[string]schema.Attribute{
			"id": readString("Always `super_admins`: the list is app-wide."),
			"usernames": schema.SetAttribute{
				MarkdownDescription: "The super admins.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *easemobSuperAdminsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	l, err := d.client.SuperAdmins.ListAll(ctx)
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read the Easemob super admins", err))
		return
	}
	m := easemobSuperAdminsDataModel{ID: types.StringValue("super_admins"), Usernames: stringSet(l.Users)}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &easemobChatroomsDataSource{}

func NewEasemobChatroomsDataSource() datasource.DataSource { return &easemobChatroomsDataSource{} }

type easemobChatroomsDataSource struct{ easemobDataSourceBase }

type easemobChatroomsModel struct {
	Chatrooms []easemobChatroomSummaryModel `tfsdk:"chatrooms"`
}

type easemobChatroomSummaryModel struct {
	ID    types.String `tfsdk:"id"`
	Name  types.String `tfsdk:"name"`
	Owner types.String `tfsdk:"owner"`
}

func (d *easemobChatroomsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_easemob_chatrooms"
}

func (d *easemobChatroomsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every chatroom of the Easemob (环信) app (`GET /chatrooms`, following the cursor " +
			"through pages of 100), in the order the API lists them. Member counts, which change all the time, are " +
			"not shown; read a room with the `nim_easemob_chatroom` data source for its other attributes.",
		Attributes: map[string]schema.Attribute{
			"chatrooms": schema.ListNestedAttribute{
				MarkdownDescription: "The app's chatrooms.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":    readString("Room id."),
						"name":  readString("Room name (`name`)."),
						"owner": readString("User id of the room's owner (`owner`)."),
					},
				},
			},
		},
	}
}

func (d *easemobChatroomsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	all, err := d.client.Chatrooms.ListAll(ctx)
	if err != nil {
		resp.Diagnostics.Append(easemobErrorDiag("Cannot list Easemob chatrooms", err))
		return
	}
	m := easemobChatroomsModel{Chatrooms: []easemobChatroomSummaryModel{}}
	for _, r := range all.Rooms {
		m.Chatrooms = append(m.Chatrooms, easemobChatroomSummaryModel{
			ID: types.StringValue(r.ID), Name: types.StringValue(r.Name), Owner: types.StringValue(r.Owner),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

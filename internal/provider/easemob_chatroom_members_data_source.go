package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

var _ datasource.DataSourceWithConfigure = &easemobMembersDataSource{}

func NewEasemobChatroomMembersDataSource() datasource.DataSource { return &easemobMembersDataSource{} }

type easemobMembersDataSource struct{ easemobDataSourceBase }

type easemobMembersDataModel struct {
	RoomID    types.String `tfsdk:"room_id"`
	Owner     types.String `tfsdk:"owner"`
	Usernames types.Set    `tfsdk:"usernames"`
}

func (d *easemobMembersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_easemob_chatroom_members"
}

func (d *easemobMembersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The current members of an Easemob chatroom (`GET /chatrooms/{id}/users`, every page). " +
			"Membership changes by itself: ordinary members who stay offline leave after a few minutes, so the answer " +
			"is a snapshot of the moment of reading. A room that does not exist is an error.",
		Attributes: map[string]schema.Attribute{
			"room_id": schema.StringAttribute{
				MarkdownDescription: "Id of the chatroom to read.",
				Required:            true,
				Validators:          []validator.String{easemobRoomIDValidator()},
			},
			"owner": readString("The room's owner."),
			"usernames": schema.SetAttribute{
				MarkdownDescription: "The members other than the owner, admins included.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *easemobMembersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m easemobMembersDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	room := m.RoomID.ValueString()
	members, err := readMembers(ctx, d.client, room)
	if easemob.IsNotFound(err) {
		notFoundError(&resp.Diagnostics, path.Root("room_id"), "Chatroom not found",
			fmt.Sprintf("There is no Easemob chatroom with id %s in this application.", room), nil)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read the members of the Easemob chatroom", err))
		return
	}
	users := make([]string, 0, len(members.members))
	for u := range members.members {
		users = append(users, u)
	}
	slices.Sort(users)
	m.Owner = types.StringValue(members.owner)
	m.Usernames = stringSet(users)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

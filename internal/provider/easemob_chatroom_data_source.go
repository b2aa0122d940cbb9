package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

var _ datasource.DataSourceWithConfigure = &easemobChatroomDataSource{}

func NewEasemobChatroomDataSource() datasource.DataSource { return &easemobChatroomDataSource{} }

type easemobChatroomDataSource struct{ easemobDataSourceBase }

// The data source shows a room exactly as nim_easemob_chatroom reads it.
type easemobChatroomDataModel = easemobChatroomModel

func (d *easemobChatroomDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_easemob_chatroom"
}

func (d *easemobChatroomDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an existing Easemob (环信) chatroom by its room id (`GET /chatrooms/{id}` and " +
			"`GET /chatrooms/{id}/announcement`). A room that does not exist is an error. Member counts, which change " +
			"all the time, are not shown.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Room id of the chatroom to read, such as `300000000000001`.",
				Required:            true,
				Validators:          []validator.String{easemobRoomIDValidator()},
			},
			"name":         readString("Room name (`name`)."),
			"description":  readString("Room description (`description`)."),
			"max_users":    readInt64("Most users the room holds, the owner included (`maxusers`)."),
			"owner":        readString("User id of the room's owner (`owner`)."),
			"custom":       readString("Custom data of the room (`custom`); empty when none."),
			"announcement": readString("Room announcement; empty when none."),
			"mute_all": readBool("Whether the whole room is muted (the details' `mute` field); `false` when the " +
				"answer does not carry it."),
			"created_at": readString("When the room was created (`created`), in RFC 3339 (UTC)."),
		},
	}
}

func (d *easemobChatroomDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m easemobChatroomDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.ID.ValueString()
	room, err := d.client.Chatrooms.Get(ctx, id)
	if err == nil {
		var ann *easemob.Announcement
		if ann, err = d.client.Chatrooms.GetAnnouncement(ctx, id); err == nil {
			m.fromAPI(room, ann)
			resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
			return
		}
	}
	if easemob.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Easemob chatroom not found",
			fmt.Sprintf("There is no chatroom with id %s in this Easemob app. Check id: a data source reads only "+
				"rooms that exist.\n\n%s", id, err))
		return
	}
	resp.Diagnostics.Append(easemobErrorDiag("Cannot read Easemob chatroom", err))
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var _ datasource.DataSourceWithConfigure = &chatroomDataSource{}

func NewChatroomDataSource() datasource.DataSource { return &chatroomDataSource{} }

type chatroomDataSource struct{ dataSourceBase }

// chatroomDataModel is the resource's model: the data source shows a room
// exactly as nim_chatroom reads it.
type chatroomDataModel = chatroomModel

func (d *chatroomDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_chatroom"
}

func (d *chatroomDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an existing NIM chatroom by its room id (`chatroom/get`). A room that does not " +
			"exist is an error; a closed room is read with `open = false`.",
		Attributes: map[string]schema.Attribute{
			"id":            lookupIDAttribute("Room id (`roomid`) of the chatroom to read."),
			"creator":       readString("Account (accid) that owns the room (`creator`)."),
			"name":          readString("Room name (`name`)."),
			"announcement":  readString("Room announcement (`announcement`); empty when none."),
			"broadcast_url": readString("Live broadcast URL (`broadcasturl`); empty when none."),
			"ext":           readString("Extension data (`ext`); empty when none."),
			"queue_level":   readString("Who may change the room's queue (`queuelevel`): " + queueLevels.describe() + "."),
			"muted":         readBool("Whether the whole room is muted (`muted`)."),
			"open":          readBool("Whether the room is open (`valid`)."),
			"closed_by_delay_close": readBool("Whether the room was closed by its own delay-close policy (`delayInfo.status` 3) " +
				"rather than by hand."),
			"in_out_notification": readBool("Whether members entering and leaving raise notifications (`ionotify`); `true`, the documented default, when the answer leaves it out."),
			"delay_close": schema.SingleNestedAttribute{
				MarkdownDescription: "Automatic closing of the room (`delayInfo`); null when the room has no delay-close policy.",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"policy":  readString("When the room closes (`delayClosePolicy`): " + delayClosePolicies.describe() + "."),
					"seconds": readInt64("Delay in seconds (`delaySeconds`)."),
				},
			},
		},
	}
}

func (d *chatroomDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m chatroomDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := mustID(m.ID)
	room, err := d.client.Chatrooms.Get(ctx, id)
	if client.IsNotFound(err) {
		notFoundError(&resp.Diagnostics, path.Root("id"), "Chatroom not found",
			fmt.Sprintf("There is no chatroom with id %d in this application.", id), err)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read chatroom", err))
		return
	}
	resp.Diagnostics.Append(m.fromAPI(room)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var _ datasource.DataSourceWithConfigure = &qchatChannelsDataSource{}

func NewQChatChannelsDataSource() datasource.DataSource { return &qchatChannelsDataSource{} }

type qchatChannelsDataSource struct{ dataSourceBase }

type qchatChannelsDataModel struct {
	ServerID types.String           `tfsdk:"server_id"`
	Channels []qchatChannelDataItem `tfsdk:"channels"`
}

type qchatChannelDataItem struct {
	ID         types.String `tfsdk:"id"`
	Name       types.String `tfsdk:"name"`
	Topic      types.String `tfsdk:"topic"`
	Custom     types.String `tfsdk:"custom"`
	Type       types.String `tfsdk:"type"`
	Visibility types.String `tfsdk:"visibility"`
	Owner      types.String `tfsdk:"owner"`
}

func (d *qchatChannelsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_channels"
}

func (d *qchatChannelsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads every channel of a QChat server, private ones included (`qchat/getChannelListPage` " +
			"without `accid`, all pages). A server that does not exist or was removed is an error; a server without " +
			"channels gives an empty list.",
		Attributes: map[string]schema.Attribute{
			"server_id": lookupIDAttribute("Id of the server (`serverId`)."),
			"channels": schema.ListNestedAttribute{
				MarkdownDescription: "The server's channels, ordered by id so that the list stays stable from " +
					"one read to the next.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":         readString("Channel id (`channelId`)."),
					"name":       readString("Channel name (`name`)."),
					"topic":      readString("Channel topic (`topic`); empty when none."),
					"custom":     readString("Custom extension data (`custom`); empty when none."),
					"type":       readString("Channel type (`type`): " + channelTypes.describe() + "."),
					"visibility": readString("Who can see the channel (`viewMode`): " + channelVisibilities.describe() + "."),
					"owner":      readString("Account (accid) that owns the channel (`owner`)."),
				}},
			},
		},
	}
}

func (d *qchatChannelsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m qchatChannelsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID := mustID(m.ServerID)
	if readQChatServer(ctx, d.client, path.Root("server_id"), serverID, &resp.Diagnostics) == nil {
		return
	}
	channels, err := d.client.QChat.ListChannels(ctx, serverID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot list the QChat server's channels", err))
		return
	}
	sort.Slice(channels, func(i, j int) bool { return channels[i].ID < channels[j].ID })
	m.Channels = make([]qchatChannelDataItem, 0, len(channels))
	for i := range channels {
		if channels[i].ValidFlag == 0 { // removed
			continue
		}
		item, diags := channelDataItem(&channels[i], path.Root("channels").AtListIndex(len(m.Channels)))
		resp.Diagnostics.Append(diags...)
		m.Channels = append(m.Channels, item)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func channelDataItem(ch *client.Channel, at path.Path) (qchatChannelDataItem, diag.Diagnostics) {
	var diags diag.Diagnostics
	typ, err := channelTypes.name(ch.Type)
	if err != nil {
		diags.AddAttributeError(at.AtName("type"), "Unexpected channel type from the API", err.Error())
	}
	vis, err := channelVisibilities.name(ch.ViewMode)
	if err != nil {
		diags.AddAttributeError(at.AtName("visibility"), "Unexpected channel view mode from the API", err.Error())
	}
	return qchatChannelDataItem{
		ID:         idString(ch.ID),
		Name:       types.StringValue(ch.Name),
		Topic:      types.StringValue(ch.Topic),
		Custom:     types.StringValue(ch.Custom),
		Type:       types.StringValue(typ),
		Visibility: types.StringValue(vis),
		Owner:      types.StringValue(ch.Owner),
	}, diags
}

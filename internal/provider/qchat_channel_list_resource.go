package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ list.ListResource              = &qchatChannelListResource{}
	_ list.ListResourceWithConfigure = &qchatChannelListResource{}
)

func NewQChatChannelListResource() list.ListResource { return &qchatChannelListResource{} }

// qchatChannelListResource finds the channels of a QChat server.
type qchatChannelListResource struct{ listResourceBase }

type qchatChannelListModel struct {
	ServerID types.String `tfsdk:"server_id"`
}

func (r *qchatChannelListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_channel"
}

func (r *qchatChannelListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the channels of a QChat server (`qchat/getChannelListPage`, every page), less removed " +
			"ones. Each is found with its identity (`channel_id`). A server that does not exist is an error.",
		Attributes: map[string]listschema.Attribute{
			"server_id": listServerIDAttribute("channels"),
		},
	}
}

func (r *qchatChannelListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg qchatChannelListModel
	var diags diag.Diagnostics
	if diags.Append(req.Config.Get(ctx, &cfg)...); diags.HasError() {
		listFailed(stream, diags...)
		return
	}
	srv := readQChatServer(ctx, r.client, path.Root("server_id"), mustID(cfg.ServerID), &diags)
	if srv == nil {
		listFailed(stream, diags...)
		return
	}
	channels, err := r.client.QChat.ListChannels(ctx, srv.ID)
	if err != nil {
		listFailed(stream, apiErrorDiag("Cannot list the server's QChat channels", err))
		return
	}
	var objects []found
	for _, ch := range channels {
		if ch.ValidFlag == 0 {
			continue
		}
		m := qchatChannelModel{Operator: types.StringValue(srv.Owner)}
		if diags := m.fromAPI(&ch); diags.HasError() {
			listFailed(stream, diags...)
			return
		}
		objects = append(objects, found{model: &m, displayName: fmt.Sprintf("%s (%d)", ch.Name, ch.ID)})
	}
	stream.Results = listResults(ctx, req, qchatChannelIdentity, objects)
}

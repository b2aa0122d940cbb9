package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ list.ListResource              = &qchatServerMemberListResource{}
	_ list.ListResourceWithConfigure = &qchatServerMemberListResource{}
)

func NewQChatServerMemberListResource() list.ListResource { return &qchatServerMemberListResource{} }

// qchatServerMemberListResource finds the members of a QChat server.
type qchatServerMemberListResource struct{ listResourceBase }

type qchatServerMemberListModel struct {
	ServerID types.String `tfsdk:"server_id"`
}

func (r *qchatServerMemberListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_server_member"
}

func (r *qchatServerMemberListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the members of a QChat server (`qchat/getServerMemberListPage`, every page), less the " +
			"server's owner, whose membership comes with the server (`nim_qchat_server`) and must not be managed apart. " +
			"Each member is found with its identity (`server_id`, `accid`).",
		Attributes: map[string]listschema.Attribute{
			"server_id": listServerIDAttribute("members"),
		},
	}
}

func (r *qchatServerMemberListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg qchatServerMemberListModel
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
	members, err := r.client.QChat.ListServerMembers(ctx, srv.ID)
	if err != nil {
		listFailed(stream, apiErrorDiag("Cannot list the server's QChat members", err))
		return
	}
	var objects []found
	for i := range members {
		if members[i].Accid == srv.Owner {
			continue
		}
		m := qchatServerMemberModel{Operator: types.StringValue(srv.Owner)}
		m.fromAPI(&members[i])
		objects = append(objects, found{model: &m, displayName: members[i].Accid})
	}
	stream.Results = listResults(ctx, req, qchatServerMemberIdentity, objects)
}

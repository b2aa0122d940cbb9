package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ list.ListResource              = &qchatServerListResource{}
	_ list.ListResourceWithConfigure = &qchatServerListResource{}
)

func NewQChatServerListResource() list.ListResource { return &qchatServerListResource{} }

// qchatServerListResource finds the QChat servers an account owns.
type qchatServerListResource struct{ listResourceBase }

type qchatServerListModel struct {
	Owner types.String `tfsdk:"owner"`
}

func (r *qchatServerListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_server"
}

func (r *qchatServerListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the QChat servers an account owns: the servers it belongs to (`qchat/getServerListPage`, " +
			"every page), less those another account owns and removed ones. Each is found with its identity (`server_id`); " +
			"the whole object also reads the server's @everyone role (`qchat/getServerIdentifyPages`).",
		Attributes: map[string]listschema.Attribute{
			"owner": listschema.StringAttribute{
				MarkdownDescription: "Account (accid) whose servers to list, 1 to 32 characters.",
				Required:            true,
				Validators:          []validator.String{lengthBetween(1, 32)},
			},
		},
	}
}

func (r *qchatServerListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg qchatServerListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		listFailed(stream, diags...)
		return
	}
	owner := cfg.Owner.ValueString()
	servers, err := r.client.QChat.ListServers(ctx, owner)
	if err != nil {
		listFailed(stream, apiErrorDiag("Cannot list the account's QChat servers", err))
		return
	}
	var objects []found
	for _, s := range servers {
		if s.Owner != owner || s.ValidFlag == 0 {
			continue
		}
		m := qchatServerModel{EveryoneRoleID: types.StringNull()}
		m.fromAPI(&s)
		if req.IncludeResource {
			role, err := r.client.QChat.GetEveryoneRole(ctx, s.ID, owner)
			if err != nil {
				listFailed(stream, apiErrorDiag(fmt.Sprintf("Cannot read the @everyone role of QChat server %d", s.ID), err))
				return
			}
			m.EveryoneRoleID = idString(role.ID)
		}
		objects = append(objects, found{model: &m, displayName: fmt.Sprintf("%s (%d)", s.Name, s.ID)})
	}
	stream.Results = listResults(ctx, req, qchatServerIdentity, objects)
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

var (
	_ list.ListResource              = &easemobChatroomListResource{}
	_ list.ListResourceWithConfigure = &easemobChatroomListResource{}
)

func NewEasemobChatroomListResource() list.ListResource { return &easemobChatroomListResource{} }

// easemobChatroomListResource finds the chatrooms of the Easemob app.
type easemobChatroomListResource struct{ easemobResourceBase }

type easemobChatroomListModel struct {
	Owner types.String `tfsdk:"owner"`
}

func (r *easemobChatroomListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_easemob_chatroom"
}

func (r *easemobChatroomListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the chatrooms of the Easemob app (`GET /chatrooms`, every page by cursor), or those " +
			"one user owns. Each is found with its identity (`room_id`); the whole object also reads the room's details " +
			"and announcement (`GET /chatrooms/{ids}`, `GET /chatrooms/{id}/announcement`).",
		Attributes: map[string]listschema.Attribute{
			"owner": listschema.StringAttribute{
				MarkdownDescription: "Only the rooms this user owns. Default: every room of the app.",
				Optional:            true,
				Validators:          []validator.String{easemobUserValidator()},
			},
		},
	}
}

func (r *easemobChatroomListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg easemobChatroomListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		listFailed(stream, diags...)
		return
	}
	all, err := r.client.Chatrooms.ListAll(ctx)
	if err != nil {
		listFailed(stream, easemobErrorDiag("Cannot list the Easemob chatrooms", err))
		return
	}
	var objects []found
	for _, s := range all.Rooms {
		if !cfg.Owner.IsNull() && s.Owner != cfg.Owner.ValueString() {
			continue
		}
		m := easemobChatroomModel{ID: types.StringValue(s.ID), Name: types.StringValue(s.Name), Owner: types.StringValue(s.Owner)}
		if req.IncludeResource {
			room, err := r.client.Chatrooms.Get(ctx, s.ID)
			if easemob.IsNotFound(err) {
				continue // deleted since it was listed
			}
			if err != nil {
				listFailed(stream, easemobErrorDiag(fmt.Sprintf("Cannot read Easemob chatroom %s", s.ID), err))
				return
			}
			ann, err := r.client.Chatrooms.GetAnnouncement(ctx, s.ID)
			if err != nil && !easemob.IsNotFound(err) {
				listFailed(stream, easemobErrorDiag(fmt.Sprintf("Cannot read the announcement of Easemob chatroom %s", s.ID), err))
				return
			}
			if err != nil {
				continue
			}
			m.fromAPI(room, ann)
		}
		objects = append(objects, found{model: &m, displayName: fmt.Sprintf("%s (%s)", s.Name, s.ID)})
	}
	stream.Results = listResults(ctx, req, easemobChatroomIdentity, objects)
}

package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ list.ListResource              = &chatroomListResource{}
	_ list.ListResourceWithConfigure = &chatroomListResource{}
)

func NewChatroomListResource() list.ListResource { return &chatroomListResource{} }

// chatroomListResource finds the chatrooms an account created.
type chatroomListResource struct{ listResourceBase }

type chatroomListModel struct {
	Creator types.String `tfsdk:"creator"`
}

func (r *chatroomListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_chatroom"
}

func (r *chatroomListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the open chatrooms an account created (`chatroom/queryUserRoomIds`, then `chatroom/getBatch` " +
			"for the rooms themselves), by id. Each is found with its identity (`room_id`). The API lists open rooms only: " +
			"import a closed room by its id. A found room's `open` is left unset (unset means open, and a room closed by its " +
			"delay-close policy is then not reopened), so that configuration generated from it does not pin the room open.",
		Attributes: map[string]listschema.Attribute{
			"creator": listschema.StringAttribute{
				MarkdownDescription: "Account (accid) whose rooms to list (`creator`), 1 to 32 characters.",
				Required:            true,
				Validators:          []validator.String{lengthBetween(1, 32)},
			},
		},
	}
}

func (r *chatroomListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg chatroomListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		listFailed(stream, diags...)
		return
	}
	creator := cfg.Creator.ValueString()
	ids, err := r.client.Chatrooms.ListIDsByCreator(ctx, creator)
	if err != nil {
		listFailed(stream, apiErrorDiag("Cannot list the creator's chatrooms", err))
		return
	}
	slices.Sort(ids)
	batch, err := r.client.Chatrooms.GetBatch(ctx, ids)
	if err != nil {
		listFailed(stream, apiErrorDiag("Cannot read the creator's chatrooms", err))
		return
	}
	var objects []found
	for _, id := range ids {
		room, ok := batch.Rooms[id]
		if !ok || !room.Valid {
			continue // gone or closed since it was listed
		}
		var m chatroomModel
		if diags := m.fromAPI(room); diags.HasError() {
			listFailed(stream, diags...)
			return
		}
		// Every listed room is open, and an unset open means open; a
		// generated `open = true` would instead reopen a room each time
		// its delay-close policy closes it.
		m.Open = types.BoolNull()
		objects = append(objects, found{model: &m, displayName: fmt.Sprintf("%s (%d)", room.Name, room.ID)})
	}
	stream.Results = listResults(ctx, req, chatroomIdentity, objects)
}

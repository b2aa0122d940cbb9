package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

var (
	_ resource.Resource                = &easemobChatroomResource{}
	_ resource.ResourceWithConfigure   = &easemobChatroomResource{}
	_ resource.ResourceWithImportState = &easemobChatroomResource{}
	_ resource.ResourceWithIdentity    = &easemobChatroomResource{}
)

func NewEasemobChatroomResource() resource.Resource { return &easemobChatroomResource{} }

type easemobChatroomResource struct{ easemobResourceBase }

type easemobChatroomModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	Description  types.String `tfsdk:"description"`
	MaxUsers     types.Int64  `tfsdk:"max_users"`
	Owner        types.String `tfsdk:"owner"`
	Custom       types.String `tfsdk:"custom"`
	Announcement types.String `tfsdk:"announcement"`
	MuteAll      types.Bool   `tfsdk:"mute_all"`
	CreatedAt    types.String `tfsdk:"created_at"`
}

func (r *easemobChatroomResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_easemob_chatroom"
}

func (r *easemobChatroomResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An Easemob (环信) chatroom (`POST /chatrooms`). Needs the provider's `easemob` block " +
			"(or the `EASEMOB_*` environment variables). Destroy deletes the room (`DELETE /chatrooms/{id}`).",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("Room id, assigned by the API (a 15-digit number such as `300000000000001`)."),
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Room name (`name`), 1 to %d characters, without `/`. Changed in place "+
					"(`PUT /chatrooms/{id}`).", easemob.MaxNameLength),
				Required:   true,
				Validators: []validator.String{lengthBetween(1, easemob.MaxNameLength), easemobText{}},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Room description (`description`), 1 to %d characters, without `/`. "+
					"Required because the API requires it. Changed in place.", easemob.MaxDescriptionLength),
				Required:   true,
				Validators: []validator.String{lengthBetween(1, easemob.MaxDescriptionLength), easemobText{}},
			},
			"max_users": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Most users the room holds, the owner included (`maxusers`), 1 to %d. "+
					"When unset the API's default applies (1000) and is shown here. Changed in place; a value below the "+
					"current number of members is refused by the API.", easemob.MaxMaxUsers),
				Optional:      true,
				Computed:      true,
				Validators:    []validator.Int64{int64validator.Between(1, easemob.MaxMaxUsers)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"owner": schema.StringAttribute{
				MarkdownDescription: "User id of the room's owner (`owner`): 1 to 64 of a-z, 0-9, `_`, `-`, `.`, in lower " +
					"case. Changed in place by an ownership transfer (`PUT /chatrooms/{id}` with `newowner`): the new " +
					"owner must be a member, so the provider first adds them to the room when they are not one.",
				Required:   true,
				Validators: []validator.String{easemobUserValidator()},
			},
			"custom": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Custom data of the room (`custom`), at most %d characters. The API "+
					"documents no way to change it, so changing it replaces the room. Default empty.", easemob.MaxCustomLength),
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(""),
				Validators:    []validator.String{lengthAtMost(easemob.MaxCustomLength)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"announcement": optionalString(fmt.Sprintf("Room announcement, at most %d characters, set with "+
				"`POST /chatrooms/{id}/announcement` and read with `GET /chatrooms/{id}/announcement`.",
				easemob.MaxAnnouncementLength), easemob.MaxAnnouncementLength),
			"mute_all": schema.BoolAttribute{
				MarkdownDescription: "Whether the whole room is muted, so only allow-listed users may speak " +
					"(`POST`/`DELETE /chatrooms/{id}/ban`). Default `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the room was created (`created`), in RFC 3339 (UTC).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *easemobChatroomResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = easemobChatroomIdentity.schema()
}

func (r *easemobChatroomResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan easemobChatroomModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	create := &easemob.CreateRequest{
		Name:        plan.Name.ValueString(),
		Description: plan.Description.ValueString(),
		Owner:       plan.Owner.ValueString(),
		MaxUsers:    int(plan.MaxUsers.ValueInt64()), // 0 (unknown): the API's default
		Custom:      plan.Custom.ValueString(),
	}
	// A create whose answer was lost is never sent blindly again: the client
	// looks for a room of this name and owner that was not there before.
	created, err := r.client.Chatrooms.CreateOrAdopt(ctx, create)
	if err != nil {
		resp.Diagnostics.Append(easemobErrorDiag("Cannot create Easemob chatroom", err))
		return
	}

	// The room exists from here on: whatever fails next, the state must hold
	// it, so nothing is orphaned. The state records what was really applied.
	applied := plan
	applied.ID = types.StringValue(created.ID)
	applied.Announcement = types.StringValue("")
	applied.MuteAll = types.BoolValue(false)
	if applied.MaxUsers.IsUnknown() {
		applied.MaxUsers = types.Int64Null()
	}
	applied.CreatedAt = types.StringNull()
	// Deferred first so that it runs last, once the state below is written: the identity is copied from it.
	defer easemobChatroomIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &applied)...) }()

	if a := plan.Announcement.ValueString(); a != "" {
		if _, err := r.client.Chatrooms.SetAnnouncement(ctx, created.ID, a); err != nil {
			resp.Diagnostics.Append(easemobErrorDiag("Easemob chatroom created, but setting its announcement failed", err))
			return
		}
		applied.Announcement = plan.Announcement
	}
	if plan.MuteAll.ValueBool() {
		if _, err := r.client.Chatrooms.SetMuteAll(ctx, created.ID, true); err != nil {
			resp.Diagnostics.Append(easemobErrorDiag("Easemob chatroom created, but muting it failed", err))
			return
		}
		applied.MuteAll = types.BoolValue(true)
	}
	// max_users (when left to the API) and created_at come from the room.
	room, err := r.client.Chatrooms.Get(ctx, created.ID)
	if err != nil {
		resp.Diagnostics.Append(easemobErrorDiag("Easemob chatroom created, but reading it back failed", err))
		return
	}
	applied.MaxUsers = types.Int64Value(int64(room.MaxUsers))
	applied.CreatedAt = rfc3339(room.Created)
}

func (r *easemobChatroomResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	easemobChatroomIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state easemobChatroomModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, ok := easemobStateRoomID(state.ID, &resp.Diagnostics)
	if !ok {
		return
	}
	// Reads that Terraform runs at the same time share one details request.
	room, err := r.client.Chatrooms.Get(ctx, id)
	if easemob.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(easemobErrorDiag("Cannot read Easemob chatroom", err))
		return
	}
	ann, err := r.client.Chatrooms.GetAnnouncement(ctx, id)
	if easemob.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(easemobErrorDiag("Cannot read the Easemob chatroom's announcement", err))
		return
	}
	state.fromAPI(room, ann)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	easemobChatroomIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *easemobChatroomResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state easemobChatroomModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, ok := easemobStateRoomID(state.ID, &resp.Diagnostics)
	if !ok {
		return
	}
	// applied starts as the prior state and takes each change only once the
	// API confirmed it, so a failure half-way leaves an honest state and the
	// next plan shows exactly what is still to do.
	applied := state
	// Deferred first so that it runs last, once the state below is written: the identity is copied from it.
	defer easemobChatroomIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &applied)...) }()

	// The three fields go together whenever one changes: 002's table marks
	// all of them required, while the newer pages accept any subset.
	maxUsers := plan.MaxUsers
	if maxUsers.IsUnknown() || maxUsers.IsNull() {
		maxUsers = state.MaxUsers
	}
	if !plan.Name.Equal(state.Name) || !plan.Description.Equal(state.Description) || !maxUsers.Equal(state.MaxUsers) {
		upd := &easemob.UpdateRequest{
			Name:        plan.Name.ValueStringPointer(),
			Description: plan.Description.ValueStringPointer(),
		}
		if !maxUsers.IsNull() {
			upd.MaxUsers = intPtr(int(maxUsers.ValueInt64()))
		}
		if _, err := r.client.Chatrooms.Update(ctx, id, upd); err != nil {
			resp.Diagnostics.Append(easemobErrorDiag("Cannot update Easemob chatroom", err))
			return
		}
		applied.Name, applied.Description, applied.MaxUsers = plan.Name, plan.Description, maxUsers
	}
	if !plan.Owner.Equal(state.Owner) {
		if err := r.transferOwner(ctx, id, plan.Owner.ValueString()); err != nil {
			resp.Diagnostics.Append(easemobErrorDiag("Cannot transfer the Easemob chatroom to "+plan.Owner.ValueString(), err))
			return
		}
		applied.Owner = plan.Owner
	}
	if !plan.Announcement.Equal(state.Announcement) {
		if _, err := r.client.Chatrooms.SetAnnouncement(ctx, id, plan.Announcement.ValueString()); err != nil {
			resp.Diagnostics.Append(easemobErrorDiag("Cannot set the Easemob chatroom's announcement", err))
			return
		}
		applied.Announcement = plan.Announcement
	}
	if !plan.MuteAll.Equal(state.MuteAll) {
		if _, err := r.client.Chatrooms.SetMuteAll(ctx, id, plan.MuteAll.ValueBool()); err != nil {
			resp.Diagnostics.Append(easemobErrorDiag("Cannot change the Easemob chatroom's mute-all state", err))
			return
		}
		applied.MuteAll = plan.MuteAll
	}
}

// transferOwner makes newOwner the room's owner. The API transfers only to
// a member of the room, so a new owner who is not one is added first. A
// transfer whose answer was lost is not sent again: the room is read, and
// the transfer counts as done when it shows the new owner.
func (r *easemobChatroomResource) transferOwner(ctx context.Context, id, newOwner string) error {
	room, err := r.client.Chatrooms.Get(ctx, id)
	if err != nil {
		return err
	}
	if strings.EqualFold(room.Owner, newOwner) {
		return nil
	}
	member := false
	for _, m := range room.Affiliations {
		member = member || strings.EqualFold(m.Username, newOwner)
	}
	if !member {
		// Refused with 400 when the user is a member after all (the details'
		// affiliations may not list every member of a large room): the
		// transfer below then says whether the precondition holds.
		if _, err := r.client.Members.Add(ctx, id, newOwner); err != nil && !easemob.IsBadRequest(err) && !easemob.IsOutcomeUnknown(err) {
			return fmt.Errorf("adding %s to the room, which a transfer requires: %w", newOwner, err)
		}
	}
	_, err = r.client.Chatrooms.TransferOwner(ctx, id, newOwner)
	if easemob.IsOutcomeUnknown(err) {
		room, rerr := r.client.Chatrooms.Get(ctx, id)
		if rerr == nil && strings.EqualFold(room.Owner, newOwner) {
			return nil
		}
	}
	return err
}

func (r *easemobChatroomResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state easemobChatroomModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, ok := easemobStateRoomID(state.ID, &resp.Diagnostics)
	if !ok {
		return
	}
	// A room already gone is the goal reached (also when a retried delete
	// finds that its first attempt did the work).
	if _, err := r.client.Chatrooms.Delete(ctx, id); err != nil && !easemob.IsNotFound(err) {
		resp.Diagnostics.Append(easemobErrorDiag("Cannot delete Easemob chatroom", err))
	}
}

func (r *easemobChatroomResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = easemobChatroomIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := easemobRoomID(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid import id",
			"Import an Easemob chatroom by its room id, e.g. terraform import nim_easemob_chatroom.lobby 300000000000001: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	easemobChatroomIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// fromAPI overwrites the model with what the API answered. The mute-all
// state is kept as it was when the details do not carry it (the field is
// not in every document); a room imported then reads as not muted.
func (m *easemobChatroomModel) fromAPI(room *easemob.Chatroom, ann *easemob.Announcement) {
	m.ID = types.StringValue(room.ID)
	m.Name = types.StringValue(room.Name)
	m.Description = types.StringValue(room.Description)
	m.MaxUsers = types.Int64Value(int64(room.MaxUsers))
	m.Owner = types.StringValue(room.Owner)
	m.Custom = types.StringValue(room.Custom)
	m.Announcement = types.StringValue(ann.Text)
	switch {
	case room.MuteAll != nil:
		m.MuteAll = types.BoolValue(*room.MuteAll)
	case m.MuteAll.IsNull() || m.MuteAll.IsUnknown():
		m.MuteAll = types.BoolValue(false)
	}
	m.CreatedAt = rfc3339(room.Created)
}

// easemobStateRoomID checks the room id held in state; a malformed one is
// an error on id.
func easemobStateRoomID(id types.String, diags *diag.Diagnostics) (string, bool) {
	if err := easemobRoomID(id.ValueString()); err != nil {
		diags.AddAttributeError(path.Root("id"), "Invalid Easemob chatroom id in state", err.Error())
		return "", false
	}
	return id.ValueString(), true
}

package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ resource.Resource                = &chatroomResource{}
	_ resource.ResourceWithConfigure   = &chatroomResource{}
	_ resource.ResourceWithImportState = &chatroomResource{}
	_ resource.ResourceWithModifyPlan  = &chatroomResource{}
	_ resource.ResourceWithIdentity    = &chatroomResource{}
)

func NewChatroomResource() resource.Resource { return &chatroomResource{} }

type chatroomResource struct{ resourceBase }

type chatroomModel struct {
	ID                types.String     `tfsdk:"id"`
	Creator           types.String     `tfsdk:"creator"`
	Name              types.String     `tfsdk:"name"`
	Announcement      types.String     `tfsdk:"announcement"`
	BroadcastURL      types.String     `tfsdk:"broadcast_url"`
	Ext               types.String     `tfsdk:"ext"`
	QueueLevel        types.String     `tfsdk:"queue_level"`
	Muted             types.Bool       `tfsdk:"muted"`
	Open              types.Bool       `tfsdk:"open"`
	InOutNotification types.Bool       `tfsdk:"in_out_notification"`
	DelayClose        *delayCloseModel `tfsdk:"delay_close"`
	ClosedByPolicy    types.Bool       `tfsdk:"closed_by_delay_close"`
}

type delayCloseModel struct {
	Policy  types.String `tfsdk:"policy"`
	Seconds types.Int64  `tfsdk:"seconds"`
}

func (r *chatroomResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_chatroom"
}

func (r *chatroomResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A NIM chatroom (`chatroom/create`). The NIM API cannot delete a chatroom: " +
			"**destroy closes the room** (`chatroom/toggleCloseStat` with `valid=false`) and removes it from state.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("Room id (`roomid`)."),
			"creator": schema.StringAttribute{
				MarkdownDescription: "Account (accid) that owns the room (`creator`), 1 to 32 characters. " +
					"Also the operator of open/close and mute calls. Changing it replaces the room.",
				Required:      true,
				Validators:    []validator.String{lengthBetween(1, 32)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Room name (`name`), 1 to 128 characters.",
				Required:            true,
				Validators:          []validator.String{lengthBetween(1, 128)},
			},
			"announcement":  optionalString("Room announcement (`announcement`), at most 4096 characters.", 4096),
			"broadcast_url": optionalString("Live broadcast URL (`broadcasturl`), at most 1024 characters.", 1024),
			"ext":           optionalString("Extension data (`ext`), at most 4096 characters.", 4096),
			"queue_level": schema.StringAttribute{
				MarkdownDescription: "Who may change the room's queue (`queuelevel`): " + queueLevels.describe() + ". Default `anyone`.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("anyone"),
				Validators:          []validator.String{stringvalidator.OneOf(queueLevels.values()...)},
			},
			"muted": schema.BoolAttribute{
				MarkdownDescription: "Whether the whole room is muted, so only the creator and managers may speak (`chatroom/muteRoom`). Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"open": schema.BoolAttribute{
				MarkdownDescription: "Whether the room is open (`valid`, set with `chatroom/toggleCloseStat`). Closing kicks everyone online. " +
					"Default `true`, except for a room its own `delay_close` policy has closed (`closed_by_delay_close`): left " +
					"unset, `open` then follows the room and the room stays closed. Set `open = true` to reopen such a room " +
					"(which restarts a timed policy), `false` to keep any room closed.",
				Optional: true,
				Computed: true,
			},
			"closed_by_delay_close": schema.BoolAttribute{
				MarkdownDescription: "Whether the room was closed by its own `delay_close` policy (`delayInfo.status` 3, \"done\") " +
					"and has not been reopened since. While it is, an unset `open` plans no reopening.",
				Computed: true,
			},
			"in_out_notification": schema.BoolAttribute{
				MarkdownDescription: "Whether members entering and leaving raise notifications (`inOutNotification` on create, " +
					"`chatroom/updateInOutNotification` afterwards). Default `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"delay_close": schema.SingleNestedAttribute{
				MarkdownDescription: "Close the room automatically (`delayClosePolicy`, `delaySeconds` on create). Changing or " +
					"removing it changes the room in place (`chatroom/updateDelayClosePolicy`; removing sends policy 0): a timed " +
					"policy then counts from the change, or from the reopening of a closed room. The application must have the " +
					"delay-close feature enabled (otherwise code 13009). See `open` for a room the policy has closed.",
				Optional: true,
				Attributes: map[string]schema.Attribute{
					"policy": schema.StringAttribute{
						MarkdownDescription: "When to close: " + delayClosePolicies.describe() +
							"; `fixed` closes after `seconds` whoever is inside, `idle` closes `seconds` after the last member left.",
						Required:   true,
						Validators: []validator.String{stringvalidator.OneOf(delayClosePolicies.values()...)},
					},
					"seconds": schema.Int64Attribute{
						MarkdownDescription: "Delay in seconds (`delaySeconds`), 1 to 7200.",
						Required:            true,
						Validators:          []validator.Int64{int64validator.Between(1, 7200)},
					},
				},
			},
		},
	}
}

func (r *chatroomResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = chatroomIdentity.schema()
}

func (r *chatroomResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan chatroomModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	create := &client.CreateChatroomRequest{
		Creator:           plan.Creator.ValueString(),
		Name:              plan.Name.ValueString(),
		Announcement:      plan.Announcement.ValueStringPointer(),
		BroadcastURL:      plan.BroadcastURL.ValueStringPointer(),
		Ext:               plan.Ext.ValueStringPointer(),
		QueueLevel:        intPtr(queueLevels.wire(plan.QueueLevel.ValueString())),
		InOutNotification: plan.InOutNotification.ValueBoolPointer(),
	}
	if d := plan.DelayClose; d != nil {
		create.DelayClosePolicy = intPtr(delayClosePolicies.wire(d.Policy.ValueString()))
		create.DelaySeconds = d.Seconds.ValueInt64Pointer()
	}
	before, err := snapshotRooms(ctx, r.client, create.Creator)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot list the creator's chatrooms before creating one", err))
		return
	}
	room, err := client.CreateOrAdopt(ctx, client.DefaultCreateAttempts,
		func(ctx context.Context) (*client.Chatroom, error) { return r.client.Chatrooms.Create(ctx, create) },
		findNewRoom(r.client, create.Creator, create.Name, before))
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot create chatroom", err))
		return
	}

	// The room exists from here on: whatever fails next, the state must hold
	// it, so nothing is orphaned. The state records what was really applied.
	applied := plan
	applied.ID = idString(room.ID)
	applied.Muted = types.BoolValue(false)
	applied.Open = types.BoolValue(true)
	applied.ClosedByPolicy = types.BoolValue(false)
	// Deferred first so that it runs last, once the state below is written: the identity is copied from it.
	defer chatroomIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &applied)...) }()

	if plan.Muted.ValueBool() {
		if err := r.client.Chatrooms.SetMuted(ctx, room.ID, room.Creator, true); err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Chatroom created, but muting it failed", err))
			return
		}
		applied.Muted = types.BoolValue(true)
	}
	if !plan.Open.ValueBool() {
		if err := r.client.Chatrooms.SetOpen(ctx, room.ID, room.Creator, false); err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Chatroom created, but closing it failed", err))
			return
		}
		applied.Open = types.BoolValue(false)
	}
}

func (r *chatroomResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	chatroomIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	state, id, ok := loadRoomState(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	room, err := r.client.Chatrooms.Get(ctx, id)
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read chatroom", err))
		return
	}
	resp.Diagnostics.Append(state.fromAPI(room)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	chatroomIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *chatroomResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state chatroomModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, ok := stateRoomID(state.ID, &resp.Diagnostics)
	if !ok {
		return
	}
	operator := state.Creator.ValueString()

	// applied starts as the prior state and takes each change only once the
	// API confirmed it, so a failure half-way leaves an honest state and the
	// next plan shows exactly what is still to do.
	applied := state
	// Deferred first so that it runs last, once the state below is written: the identity is copied from it.
	defer chatroomIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &applied)...) }()

	// A closed room refuses updates (13002): reopen first, close last.
	if plan.Open.ValueBool() && !state.Open.ValueBool() {
		if err := r.client.Chatrooms.SetOpen(ctx, id, operator, true); err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot reopen chatroom", err))
			return
		}
		applied.Open = types.BoolValue(true)
	}

	upd := &client.UpdateChatroomRequest{ID: id}
	changed := false
	for _, f := range []struct {
		planned, prior types.String
		field          **string
	}{
		{plan.Name, state.Name, &upd.Name},
		{plan.Announcement, state.Announcement, &upd.Announcement},
		{plan.BroadcastURL, state.BroadcastURL, &upd.BroadcastURL},
		{plan.Ext, state.Ext, &upd.Ext},
	} {
		if !f.planned.Equal(f.prior) {
			*f.field = f.planned.ValueStringPointer()
			changed = true
		}
	}
	if !plan.QueueLevel.Equal(state.QueueLevel) {
		upd.QueueLevel = intPtr(queueLevels.wire(plan.QueueLevel.ValueString()))
		changed = true
	}
	if changed {
		if err := r.client.Chatrooms.Update(ctx, upd); err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot update chatroom", err))
			return
		}
		applied.Name, applied.Announcement, applied.BroadcastURL, applied.Ext, applied.QueueLevel =
			plan.Name, plan.Announcement, plan.BroadcastURL, plan.Ext, plan.QueueLevel
	}

	if !plan.Muted.Equal(state.Muted) {
		if err := r.client.Chatrooms.SetMuted(ctx, id, operator, plan.Muted.ValueBool()); err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot change the chatroom's mute state", err))
			return
		}
		applied.Muted = plan.Muted
	}
	if !plan.InOutNotification.Equal(state.InOutNotification) {
		if err := r.client.Chatrooms.SetInOutNotification(ctx, id, plan.InOutNotification.ValueBool()); err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot change the chatroom's in/out notifications", err))
			return
		}
		applied.InOutNotification = plan.InOutNotification
	}
	if !delayCloseEqual(plan.DelayClose, state.DelayClose) {
		policy, seconds := 0, int64(0)
		if d := plan.DelayClose; d != nil {
			policy, seconds = delayClosePolicies.wire(d.Policy.ValueString()), d.Seconds.ValueInt64()
		}
		if _, err := r.client.Chatrooms.UpdateDelayClosePolicy(ctx, id, policy, seconds); err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot change the chatroom's delay-close policy", err))
			return
		}
		applied.DelayClose = plan.DelayClose
	}
	if !plan.Open.ValueBool() && state.Open.ValueBool() {
		if err := r.client.Chatrooms.SetOpen(ctx, id, operator, false); err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot close chatroom", err))
			return
		}
		applied.Open = types.BoolValue(false)
	}
	applied.ClosedByPolicy = types.BoolValue(state.ClosedByPolicy.ValueBool() && !applied.Open.ValueBool())
}

// ModifyPlan plans open and closed_by_delay_close. An unset open means
// open, except for a room its own delay-close policy closed: reopening it
// on the next apply would defeat the policy, so it stays as it is.
func (r *chatroomResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var open, closedBy types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("open"), &open)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("closed_by_delay_close"), &closedBy)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	byPolicy := closedBy.ValueBool()
	if open.IsNull() {
		open = types.BoolValue(!byPolicy)
	}
	closedBy = types.BoolUnknown()
	if !open.IsUnknown() {
		closedBy = types.BoolValue(byPolicy && !open.ValueBool())
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("open"), open)...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("closed_by_delay_close"), closedBy)...)
}

func delayCloseEqual(a, b *delayCloseModel) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Policy.Equal(b.Policy) && a.Seconds.Equal(b.Seconds)
}

func (r *chatroomResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, id, ok := loadRoomState(ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	// Closing an already closed or vanished room is the goal reached.
	err := r.client.Chatrooms.SetOpen(ctx, id, state.Creator.ValueString(), false)
	if err != nil && !client.IsNotFound(err) && !client.IsDuplicate(err) && !client.IsRoomClosed(err) {
		resp.Diagnostics.Append(apiErrorDiag("Cannot close chatroom", err))
	}
}

func (r *chatroomResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = chatroomIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if _, err := parseID("chatroom import id", req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid import id",
			"Import a chatroom by its numeric room id, e.g. terraform import nim_chatroom.lobby 1600849145: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	chatroomIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// fromAPI overwrites the model with what the API answered. Fields that an
// answer may leave out (ionotify, delayInfo) keep their previous value.
func (m *chatroomModel) fromAPI(room *client.Chatroom) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = idString(room.ID)
	m.Creator = types.StringValue(room.Creator)
	m.Name = types.StringValue(room.Name)
	m.Announcement = types.StringValue(room.Announcement)
	m.BroadcastURL = types.StringValue(room.BroadcastURL)
	m.Ext = types.StringValue(room.Ext)
	level, err := queueLevels.name(room.QueueLevel)
	if err != nil {
		diags.AddAttributeError(path.Root("queue_level"), "Unexpected queue level from the API", err.Error())
	}
	m.QueueLevel = types.StringValue(level)
	m.Muted = types.BoolValue(room.Muted)
	m.Open = types.BoolValue(room.Valid)
	// Closed by its own policy: delayInfo.status 3 (done) on a closed room.
	// The mark stays until the room is open again, also when a changed
	// policy replaced the finished task (status 1) while it stayed closed.
	switch {
	case room.Valid:
		m.ClosedByPolicy = types.BoolValue(false)
	case room.Delay != nil && room.Delay.Status == 3:
		m.ClosedByPolicy = types.BoolValue(true)
	default:
		m.ClosedByPolicy = types.BoolValue(m.ClosedByPolicy.ValueBool())
	}
	if room.InOutNotification != nil {
		m.InOutNotification = types.BoolValue(*room.InOutNotification)
	} else if m.InOutNotification.IsNull() {
		m.InOutNotification = types.BoolValue(true) // the documented default
	}
	if room.Delay != nil {
		if room.Delay.Policy == 0 {
			m.DelayClose = nil
		} else {
			policy, err := delayClosePolicies.name(room.Delay.Policy)
			if err != nil {
				diags.AddAttributeError(path.Root("delay_close").AtName("policy"), "Unexpected delay-close policy from the API", err.Error())
			}
			m.DelayClose = &delayCloseModel{Policy: types.StringValue(policy), Seconds: types.Int64Value(room.Delay.Seconds)}
		}
	}
	return diags
}

// loadRoomState reads the prior state and its room id.
func loadRoomState(ctx context.Context, st tfsdk.State, diags *diag.Diagnostics) (chatroomModel, int64, bool) {
	var state chatroomModel
	diags.Append(st.Get(ctx, &state)...)
	if diags.HasError() {
		return state, 0, false
	}
	id, ok := stateRoomID(state.ID, diags)
	return state, id, ok
}

// stateRoomID parses the room id held in state; a malformed one is an error
// on id.
func stateRoomID(id types.String, diags *diag.Diagnostics) (int64, bool) {
	n, err := parseID("id", id.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("id"), "Invalid chatroom id in state", err.Error())
		return 0, false
	}
	return n, true
}

func snapshotRooms(ctx context.Context, c *client.Client, creator string) (idSnapshot, error) {
	ids, err := c.Chatrooms.ListIDsByCreator(ctx, creator)
	return snapshotOf(ids, func(id int64) int64 { return id }), err
}

func findNewRoom(c *client.Client, creator, name string, before idSnapshot) func(context.Context) (*client.Chatroom, bool, error) {
	return func(ctx context.Context) (*client.Chatroom, bool, error) {
		ids, err := c.Chatrooms.ListIDsByCreator(ctx, creator)
		if err != nil {
			return nil, false, err
		}
		ids = slices.DeleteFunc(ids, func(id int64) bool { return before[id] })
		if len(ids) == 0 {
			return nil, false, nil
		}
		res, err := c.Chatrooms.GetBatch(ctx, ids)
		if err != nil {
			return nil, false, err
		}
		rooms := make([]*client.Chatroom, 0, len(res.Rooms))
		for _, r := range res.Rooms {
			rooms = append(rooms, r)
		}
		room, ok := firstNew(rooms, before, func(r *client.Chatroom) int64 { return r.ID },
			func(r *client.Chatroom) bool { return r.Name == name && r.Creator == creator })
		return room, ok, nil
	}
}

package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

var (
	_ resource.ResourceWithConfigure   = &easemobMuteResource{}
	_ resource.ResourceWithImportState = &easemobMuteResource{}
	_ resource.ResourceWithIdentity    = &easemobMuteResource{}
	_ resource.ResourceWithModifyPlan  = &easemobMuteResource{}
)

// muteExpirySkew: a timed mute missing from the list this close before its
// end (by the server's clock) counts as run out, to allow for a server that
// lifts mutes a little early or a Date header of one second resolution.
const muteExpirySkew = time.Minute

func NewEasemobChatroomMuteResource() resource.Resource { return &easemobMuteResource{} }

type easemobMuteResource struct{ easemobResourceBase }

type easemobMuteModel struct {
	ID         types.String `tfsdk:"id"`
	RoomID     types.String `tfsdk:"room_id"`
	Username   types.String `tfsdk:"username"`
	DurationMS types.Int64  `tfsdk:"duration_ms"`
	ExpiresAt  types.String `tfsdk:"expires_at"`
}

func (r *easemobMuteResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_easemob_chatroom_mute"
}

func (r *easemobMuteResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One user's mute in an Easemob chatroom (`POST /chatrooms/{id}/mute` with `usernames` and " +
			"`mute_duration`, read with `GET /chatrooms/{id}/mute`, lifted with `DELETE /chatrooms/{id}/mute/{username}`). " +
			"The user must be a member when muted; the mute then survives leaving and rejoining. A timed mute that ran " +
			"its course stays in state as it was and is not renewed (change `duration_ms`, or replace the resource, to " +
			"mute again); a mute lifted by someone else before its end is drift, and apply mutes again. Destroy lifts " +
			"the mute.",
		Attributes: map[string]schema.Attribute{
			"id":       idAttribute("`<room_id>/<username>`, the import id."),
			"room_id":  easemobRoomAttribute(),
			"username": easemobUserAttribute("The muted user, a member of the room; not the owner."),
			"duration_ms": schema.Int64Attribute{
				MarkdownDescription: "How long the mute lasts, in **milliseconds** (`mute_duration`), counted from when it " +
					"is applied; `-1` (the default) mutes until the mute is removed. `0` is refused: the API would unmute. " +
					"A change mutes again for the new duration, from then.",
				Optional:   true,
				Computed:   true,
				Default:    int64default.StaticInt64(easemob.MuteForever),
				Validators: []validator.Int64{muteDuration{}},
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the mute ends (RFC 3339, UTC; the API's `expire`), null for a mute until removed.",
				Computed:            true,
			},
		},
	}
}

func (r *easemobMuteResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = easemobMuteIdentity.schema()
}

func (r *easemobMuteResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan easemobMuteModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	room, user := plan.RoomID.ValueString(), plan.Username.ValueString()
	plan.ID = types.StringValue(room + "/" + user)
	if m, err := findMute(ctx, r.client, room, user); err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read the mutes of the Easemob chatroom", err))
		return
	} else if m != nil {
		resp.Diagnostics.Append(alreadyExistsDiag("mute of "+user+" in chatroom "+room, plan.ID.ValueString()))
		return
	}
	if !r.checkMuteable(ctx, room, user, &resp.Diagnostics) {
		return
	}
	r.mute(ctx, &plan, nil, &resp.Diagnostics, &resp.State)
	easemobMuteIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *easemobMuteResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	easemobMuteIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state easemobMuteModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	l, err := r.client.Mutes.List(ctx, state.RoomID.ValueString())
	if easemob.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read the mutes of the Easemob chatroom", err))
		return
	}
	m := muteOf(l, state.Username.ValueString())
	if m == nil {
		if ranOut(state.ExpiresAt, l.ServerTime) {
			return // ran its course: kept as it was, not renewed
		}
		resp.State.RemoveResource(ctx) // lifted by someone else
		return
	}
	state.ID = types.StringValue(state.RoomID.ValueString() + "/" + state.Username.ValueString())
	state.ExpiresAt = expiresAt(m.Expire)
	if m.Expire.IsZero() {
		state.DurationMS = types.Int64Value(easemob.MuteForever)
	}
	// A timed mute's duration is not in the answer: the state keeps the one
	// it was made with (null after an import).
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	easemobMuteIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *easemobMuteResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state easemobMuteModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = state.ID
	// After an import the duration a timed mute was made with is unknown;
	// taking the configured one over leaves the mute as it is.
	if state.DurationMS.IsNull() {
		plan.ExpiresAt = state.ExpiresAt
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		easemobMuteIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
		return
	}
	if !r.checkMuteable(ctx, plan.RoomID.ValueString(), plan.Username.ValueString(), &resp.Diagnostics) {
		return
	}
	r.mute(ctx, &plan, &state.ExpiresAt, &resp.Diagnostics, &resp.State)
	easemobMuteIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *easemobMuteResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state easemobMuteModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	room, user := state.RoomID.ValueString(), state.Username.ValueString()
	// Lifting a mute that ran out is refused; look first.
	m, err := findMute(ctx, r.client, room, user)
	if err == nil && m != nil {
		_, err = r.client.Mutes.Remove(ctx, room, []string{user})
	}
	if err != nil && !easemob.IsNotFound(err) {
		resp.Diagnostics.Append(userErrorDiag("Cannot lift the mute in the Easemob chatroom", err))
	}
}

func (r *easemobMuteResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = easemobMuteIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	room, user, err := parseEasemobPairID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a chatroom mute as <room_id>/<username>: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), room+"/"+user)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("room_id"), room)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("username"), user)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	easemobMuteIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// ModifyPlan keeps expires_at when the configured duration is taken over
// after an import (the mute stays as it is). Any other change mutes again
// or replaces the mute, and expires_at is then known only after apply.
//
// A new mute of the room's owner is refused at plan when the owner after
// this plan is known (see ownerAfterPlan).
func (r *easemobMuteResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan easemobMuteModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		refuseOwnerAtPlan(ctx, r.client, plan.RoomID, plan.Username, muteOwnerDiag, &resp.Diagnostics)
		return
	}
	var state easemobMuteModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.RoomID.Equal(state.RoomID) || !plan.Username.Equal(state.Username) {
		refuseOwnerAtPlan(ctx, r.client, plan.RoomID, plan.Username, muteOwnerDiag, &resp.Diagnostics)
		return
	}
	if state.DurationMS.IsNull() && plan.RoomID.Equal(state.RoomID) && plan.Username.Equal(state.Username) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("expires_at"), state.ExpiresAt)...)
	}
}

// checkMuteable refuses, before sending anything, a user who is not a
// member (the API needs membership) and the owner (never muted).
func (r *easemobMuteResource) checkMuteable(ctx context.Context, room, user string, diags *diag.Diagnostics) bool {
	members, err := readMembers(ctx, r.client, room)
	switch {
	case err != nil:
		diags.Append(userErrorDiag("Cannot read the members of the Easemob chatroom", err))
		return false
	case members.owner == user:
		diags.Append(muteOwnerDiag(room, user, false))
		return false
	case !members.has(user):
		diags.Append(notMembersDiag("The user is not a member of the Easemob chatroom", room, []string{user}, "a mute"))
		return false
	}
	return true
}

// muteOwnerDiag refuses a mute of the room's owner.
func muteOwnerDiag(room, owner string, transfer bool) diag.Diagnostic {
	return ownerAtPlanDiag(path.Root("username"), "The chatroom's owner cannot be muted", room, owner, transfer,
		"The owner is never muted (the API refuses it).",
		"Set username to another member, or remove this nim_easemob_chatroom_mute.")
}

// mute sends the mute and records its end. After a lost answer the list
// tells whether it was applied: a mute that was not there (a create) or
// whose end moved from *prev (a new duration; prev is nil for a create)
// is this request's doing.
func (r *easemobMuteResource) mute(ctx context.Context, plan *easemobMuteModel, prev *types.String, diags *diag.Diagnostics, state *tfsdk.State) {
	room, user := plan.RoomID.ValueString(), plan.Username.ValueString()
	var end time.Time
	err, record := addOnce(ctx,
		func(ctx context.Context) error {
			res, err := r.client.Mutes.Add(ctx, room, []string{user}, plan.DurationMS.ValueInt64())
			if err == nil && len(res.Results) == 1 {
				end = res.Results[0].Expire
			}
			return err
		},
		func(ctx context.Context) (bool, error) {
			m, err := findMute(ctx, r.client, room, user)
			if m == nil || err != nil || prev != nil && expiresAt(m.Expire).Equal(*prev) {
				return false, err
			}
			end = m.Expire
			return true, nil
		})
	if err != nil {
		diags.Append(userErrorDiag("Cannot mute the user in the Easemob chatroom", err))
		if !record {
			return
		}
	}
	plan.ExpiresAt = expiresAt(end)
	diags.Append(state.Set(ctx, plan)...)
}

// findMute returns the user's current mute in the room, or nil.
func findMute(ctx context.Context, c *easemob.Client, room, user string) (*easemob.Mute, error) {
	l, err := c.Mutes.List(ctx, room)
	if err != nil {
		return nil, err
	}
	return muteOf(l, user), nil
}

// muteOf returns the user's mute on the list, or nil.
func muteOf(l *easemob.MuteList, user string) *easemob.Mute {
	for i := range l.Mutes {
		if lowerAll([]string{l.Mutes[i].User})[0] == user {
			return &l.Mutes[i]
		}
	}
	return nil
}

func expiresAt(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339Nano))
}

// ranOut tells whether a timed mute's end has come by serverNow, the
// server's clock when it answered the mute list (the clock that computed
// the end; the local one may be behind or ahead of it), or the local clock
// when the answer did not tell it.
func ranOut(expires types.String, serverNow time.Time) bool {
	if expires.IsNull() || expires.IsUnknown() {
		return false
	}
	if serverNow.IsZero() {
		serverNow = time.Now()
	}
	t, err := time.Parse(time.RFC3339Nano, expires.ValueString())
	return err == nil && !serverNow.Before(t.Add(-muteExpirySkew))
}

// muteDuration accepts -1 (until removed) or a positive number of
// milliseconds; 0 would unmute and below -1 the API refuses.
type muteDuration struct{}

func (muteDuration) Description(_ context.Context) string {
	return "-1 (until removed) or a positive number of milliseconds"
}
func (v muteDuration) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v muteDuration) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d := req.ConfigValue.ValueInt64(); d != easemob.MuteForever && d < 1 {
		why := "0 would unmute"
		if d < 0 {
			why = "no negative duration but -1"
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid mute duration",
			fmt.Sprintf("%s must be %s, got %d (%s).", req.Path, v.Description(ctx), d, why))
	}
}

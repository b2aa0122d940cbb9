package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

// The owner a room will have once a plan is applied. Resources that refuse
// the owner (admins, block list, mute, member) check at plan against it
// rather than against the owner the room has now: when the same plan moves
// the room to another owner, the current one would refuse a configuration
// that is right (moving the owner back after a transfer), or accept one that
// the transfer makes wrong.
//
// Terraform plans a resource only after those it refers to, so the room's
// nim_easemob_chatroom has noted its planned owner by the time a resource
// whose room_id refers to it (nim_easemob_chatroom.x.id) is planned. A room
// not managed in the same configuration, or referred to by a literal id,
// has no note, and its current owner is read from the API.

type plannedOwnerKey struct {
	client *easemob.Client // one per configured provider
	room   string
}

type plannedOwner struct {
	owner   types.String // the configured owner, unknown when computed at apply
	current string       // the owner in state before this plan
}

var plannedOwners sync.Map // plannedOwnerKey → plannedOwner

var _ resource.ResourceWithModifyPlan = &easemobChatroomResource{}

// ModifyPlan notes the owner this plan gives the room, for the resources of
// the room planned after it. Nothing else is changed.
func (r *easemobChatroomResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return // a room created in this plan has no id yet for others to refer to
	}
	var plan, state easemobChatroomModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || plan.ID.IsUnknown() || plan.ID.IsNull() {
		return
	}
	plannedOwners.Store(plannedOwnerKey{r.client, plan.ID.ValueString()},
		plannedOwner{owner: plan.Owner, current: strings.ToLower(state.Owner.ValueString())})
}

// ownerAfterPlan is the owner room will have after this plan, and whether
// it comes from a transfer this plan makes. known is false when it cannot
// be told at plan time (an owner known only at apply, or a room that cannot
// be read): apply then checks, before any change.
func ownerAfterPlan(ctx context.Context, c *easemob.Client, room string) (owner string, transfer, known bool) {
	if v, ok := plannedOwners.Load(plannedOwnerKey{c, room}); ok {
		p, _ := v.(plannedOwner) // the map holds nothing else
		if p.owner.IsUnknown() || p.owner.IsNull() {
			return "", false, false
		}
		owner = strings.ToLower(p.owner.ValueString())
		return owner, owner != p.current, true
	}
	r, err := c.Chatrooms.Get(ctx, room)
	if err != nil {
		return "", false, false // Read or apply reports what is wrong with the room
	}
	return strings.ToLower(r.Owner), false, true
}

// ownerAtPlanDiag refuses the owner on something the owner cannot be or
// have, at attribute at, naming what to change.
func ownerAtPlanDiag(at path.Path, summary, room, owner string, transfer bool, why, fix string) diag.Diagnostic {
	is := "is the owner"
	if transfer {
		is = "becomes the owner in this plan (the owner of nim_easemob_chatroom changes to " + owner + ")"
	}
	return diag.NewAttributeErrorDiagnostic(at, summary, fmt.Sprintf("%s %s of chatroom %s. %s %s", owner, is, room, why, fix))
}

// refuseOwnerAtPlan adds refusal(room, user, transfer) when user is the
// owner room will have after this plan. Unknown values, no client (a
// configuration being validated) and an owner not known at plan are left
// to apply.
func refuseOwnerAtPlan(ctx context.Context, c *easemob.Client, room, user types.String,
	refusal func(room, owner string, transfer bool) diag.Diagnostic, diags *diag.Diagnostics) {
	if c == nil || room.IsUnknown() || room.IsNull() || user.IsUnknown() || user.IsNull() {
		return
	}
	owner, transfer, known := ownerAfterPlan(ctx, c, room.ValueString())
	if known && owner == user.ValueString() {
		diags.Append(refusal(room.ValueString(), owner, transfer))
	}
}

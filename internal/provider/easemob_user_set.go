package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

// userSetKind describes one authoritative per-room user list of Easemob:
// the admins, the block list or the allow list. One resource type,
// userSetResource, manages all three from this description.
type userSetKind struct {
	typeSuffix  string // "_easemob_chatroom_admins"
	what        string // "the admin set", used in messages
	description string // the resource's MarkdownDescription
	usersDesc   string // the usernames attribute's description
	max         int    // most users on the list, 0 = no documented limit
	// ownerRefused: the API refuses the room's owner on this list.
	ownerRefused bool
	// membersOnly: only members may be added; the resource refuses to add
	// others and says which member resources to declare.
	membersOnly bool
	// joinFirst: only members may be added, and adding a user to the list
	// ends the membership, so the resource adds non-members as members first.
	joinFirst bool

	list   func(ctx context.Context, c *easemob.Client, room string) ([]string, error)
	add    func(ctx context.Context, c *easemob.Client, room string, users []string) (*easemob.BatchResult, error)
	remove func(ctx context.Context, c *easemob.Client, room string, users []string) (*easemob.BatchResult, error)
}

var (
	_ resource.ResourceWithConfigure   = &userSetResource{}
	_ resource.ResourceWithImportState = &userSetResource{}
	_ resource.ResourceWithIdentity    = &userSetResource{}
	_ resource.ResourceWithModifyPlan  = &userSetResource{}
)

type userSetResource struct {
	easemobResourceBase
	kind *userSetKind
}

type userSetModel struct {
	ID        types.String `tfsdk:"id"`
	RoomID    types.String `tfsdk:"room_id"`
	Usernames types.Set    `tfsdk:"usernames"`
}

func (r *userSetResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.kind.typeSuffix
}

func (r *userSetResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	validators := []validator.Set{setvalidator.ValueStringsAre(easemobUserValidator())}
	if r.kind.max > 0 {
		validators = append(validators, setvalidator.SizeAtMost(r.kind.max))
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: r.kind.description,
		Attributes: map[string]schema.Attribute{
			"id":      idAttribute("The room id, which is also the import id."),
			"room_id": easemobRoomAttribute(),
			"usernames": schema.SetAttribute{
				MarkdownDescription: r.kind.usersDesc + " Each is " + easemobUserRule + ". An empty set empties the list.",
				ElementType:         types.StringType,
				Required:            true,
				Validators:          validators,
			},
		},
	}
}

func (r *userSetResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = easemobUserSetIdentity.schema()
}

func (r *userSetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userSetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	room := plan.RoomID.ValueString()
	have, err := r.kind.list(ctx, r.client, room)
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read "+r.kind.what+" of the Easemob chatroom", err))
		return
	}
	// A list that holds users already is someone's: taking it over would
	// silently remove them.
	if len(have) > 0 {
		slices.Sort(have)
		// "Easemob admin set of chatroom X already exists"
		d := alreadyExistsDiag(strings.TrimPrefix(r.kind.what, "the ")+" of chatroom "+room, room)
		resp.Diagnostics.AddError(d.Summary(), fmt.Sprintf("It holds %v. %s", have, d.Detail()))
		return
	}
	// A create refused before any change leaves nothing to record.
	if sent := r.converge(ctx, &plan, have, &resp.Diagnostics); sent || !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		easemobUserSetIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	}
}

func (r *userSetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	easemobUserSetIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state userSetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	users, err := r.kind.list(ctx, r.client, state.RoomID.ValueString())
	if easemob.IsNotFound(err) { // the room is gone, and its lists with it
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read "+r.kind.what+" of the Easemob chatroom", err))
		return
	}
	state.ID = state.RoomID
	state.Usernames = stringSet(users)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	easemobUserSetIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *userSetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan userSetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The list as it is now, not as the state remembers it: with
	// -refresh=false, or a change since the refresh, the state would make
	// the resource send changes the API refuses ("already on the list").
	have, err := r.kind.list(ctx, r.client, plan.RoomID.ValueString())
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read "+r.kind.what+" of the Easemob chatroom", err))
		return
	}
	r.converge(ctx, &plan, have, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	easemobUserSetIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *userSetResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state userSetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	room := state.RoomID.ValueString()
	have, err := r.kind.list(ctx, r.client, room)
	if easemob.IsNotFound(err) {
		return
	}
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read "+r.kind.what+" of the Easemob chatroom", err))
		return
	}
	if len(have) == 0 {
		return
	}
	if _, err := r.kind.remove(ctx, r.client, room, have); err != nil && !easemob.IsNotFound(err) {
		resp.Diagnostics.Append(userErrorDiag("Cannot empty "+r.kind.what+" of the Easemob chatroom", err))
	}
}

func (r *userSetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = easemobUserSetIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !easemobRoomIDPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Import %s by the room id (%s), got %q.", r.kind.what, easemobRoomRule, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("room_id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("usernames"), stringSet(nil))...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	easemobUserSetIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// ModifyPlan refuses the room's owner on a list that cannot hold it when
// the owner after this plan is known (see ownerAfterPlan), so the plan
// fails rather than the apply: the room's current owner, or the owner its
// nim_easemob_chatroom moves it to in this plan. A room created in the same
// apply, or an owner known only at apply, is checked at apply, before any
// change.
func (r *userSetResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !r.kind.ownerRefused || req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var plan userSetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.RoomID.IsUnknown() || plan.Usernames.IsUnknown() {
		return
	}
	room := plan.RoomID.ValueString()
	owner, transfer, known := ownerAfterPlan(ctx, r.client, room)
	if known && slices.Contains(setStrings(plan.Usernames), owner) {
		resp.Diagnostics.Append(ownerRefusedDiag(r.kind.what, room, owner, transfer))
	}
}

func ownerRefusedDiag(what, room, owner string, transfer bool) diag.Diagnostic {
	return ownerAtPlanDiag(path.Root("usernames"), "The chatroom's owner cannot be on "+what, room, owner, transfer,
		"The owner can be neither blocked nor made an admin (the API answers forbidden_op \"forbidden operation on "+
			"group owner\", and a transfer drops the new owner from the admins); the owner has every right an admin has.",
		"Remove "+owner+" from usernames.")
}

// convergePasses is how many times converge sends what remains after
// answers were lost or the server failed; refusals are never sent again.
const convergePasses = 3

// converge makes the list what plan says, from have (the list as it is
// now): removals first, which frees places on a limited list, then
// additions, each in batches of at most 60 users. Nothing is sent when a
// check fails. When answers are lost or the server fails, the list is read
// back and what remains is sent again, up to convergePasses times in all.
// plan.Usernames ends as the list the API shows when anything failed, so
// the state never claims what did not happen. sent tells whether any
// change was sent.
func (r *userSetResource) converge(ctx context.Context, plan *userSetModel, have []string, diags *diag.Diagnostics) (sent bool) {
	room := plan.RoomID.ValueString()
	plan.ID = plan.RoomID
	planned, want := plan.Usernames, setStrings(plan.Usernames)
	add, remove := setDiff(want, have), setDiff(have, want)
	checked, ok := r.checkAdditions(ctx, room, add, diags)
	if !ok {
		plan.Usernames = stringSet(have)
		return false
	}
	// Users refused while being checked (the block list's joins) are not
	// sent; the refusal is reported already.
	refused := diags.HasError()
	target := setDiff(want, setDiff(add, checked))
	add = checked
	for pass := 1; ; pass++ {
		var errs diag.Diagnostics
		again := true
		send := func(change func(context.Context, *easemob.Client, string, []string) (*easemob.BatchResult, error), users []string, summary string) {
			if len(users) == 0 {
				return
			}
			if _, err := change(ctx, r.client, room, users); err != nil {
				errs.Append(userErrorDiag(summary, err))
				again = again && transient(err)
			}
		}
		send(r.kind.remove, remove, "Cannot remove users from "+r.kind.what+" of the Easemob chatroom")
		send(r.kind.add, add, "Cannot add users to "+r.kind.what+" of the Easemob chatroom")
		if !errs.HasError() && !refused {
			plan.Usernames = planned // an earlier pass may have read back less
			return true
		}
		now, err := r.kind.list(ctx, r.client, room)
		if err != nil {
			// The list is unknown: keep what was there before, so that the
			// next plan sends the whole difference again rather than nothing.
			diags.Append(errs...)
			diags.Append(userErrorDiag("Cannot read "+r.kind.what+" of the Easemob chatroom after a failed change", err))
			plan.Usernames = stringSet(have)
			return true
		}
		plan.Usernames = stringSet(now)
		add, remove = setDiff(target, now), setDiff(now, want)
		switch {
		case len(add) == 0 && len(remove) == 0:
			// Only answers were lost, and the changes were applied.
			return true
		case !errs.HasError():
			return true // only the refusals reported already
		case !again || pass == convergePasses:
			diags.Append(errs...)
			return true
		}
	}
}

// transient tells whether a failed change may succeed when sent again
// after reading back: lost answers and server failures, not refusals.
func transient(err error) bool {
	if be, ok := easemob.AsBatchError(err); ok {
		if len(be.Failed) > 0 || be.Cause == nil {
			return false
		}
		err = be.Cause
	}
	if easemob.IsOutcomeUnknown(err) {
		return true
	}
	var apiErr *easemob.APIError
	return errors.As(err, &apiErr) && (apiErr.StatusCode >= 500 || apiErr.StatusCode == 429)
}

// checkAdditions refuses, before anything is sent, an owner where the API
// refuses one and non-members where membership is needed; for a list
// that ends membership (the block list) it adds the non-members first, and
// returns the users that can then be added.
func (r *userSetResource) checkAdditions(ctx context.Context, room string, add []string, diags *diag.Diagnostics) ([]string, bool) {
	if len(add) == 0 || !r.kind.ownerRefused && !r.kind.membersOnly && !r.kind.joinFirst {
		return add, true
	}
	members, err := readMembers(ctx, r.client, room)
	if err != nil {
		diags.Append(userErrorDiag("Cannot read the members of the Easemob chatroom", err))
		return nil, false
	}
	if r.kind.ownerRefused && slices.Contains(add, members.owner) {
		diags.Append(ownerRefusedDiag(r.kind.what, room, members.owner, false))
		return nil, false
	}
	var outside []string
	for _, u := range add {
		if !members.has(u) {
			outside = append(outside, u)
		}
	}
	switch {
	case len(outside) == 0:
		return add, true
	case r.kind.membersOnly:
		diags.Append(notMembersDiag("Users are not members of the Easemob chatroom", room, outside, "being on "+r.kind.what))
		return nil, false
	}
	// joinFirst. After lost answers the member list tells who joined, and
	// only the others are sent again.
	_, err = r.client.Members.AddMany(ctx, room, outside)
	for pass := 1; err != nil && transient(err) && pass < convergePasses; pass++ {
		after, rerr := readMembers(ctx, r.client, room)
		if rerr != nil {
			break
		}
		outside = slices.DeleteFunc(outside, after.has)
		if len(outside) == 0 {
			err = nil
			break
		}
		_, err = r.client.Members.AddMany(ctx, room, outside)
	}
	if err == nil {
		return add, true
	}
	diags.Append(userErrorDiag("Cannot add users to the Easemob chatroom before blocking them", err))
	be, ok := easemob.AsBatchError(err)
	if !ok || be.Cause != nil {
		return nil, false
	}
	// Some users were refused (unknown, say): the others joined and are
	// blocked, so that no undeclared member stays behind.
	refused := map[string]bool{}
	for _, f := range be.Failed {
		refused[f.User] = true
	}
	return slices.DeleteFunc(add, func(u string) bool { return refused[u] }), true
}

// setDiff lists the users of a that are not in b, sorted.
func setDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, u := range b {
		in[u] = true
	}
	var out []string
	for _, u := range a {
		if !in[u] {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

// stringSet is a set value of the users, folded to lower case.
func stringSet(users []string) types.Set {
	users = lowerAll(users)
	slices.Sort(users)
	users = slices.Compact(users)
	elems := make([]attr.Value, len(users))
	for i, u := range users {
		elems[i] = types.StringValue(u)
	}
	return types.SetValueMust(types.StringType, elems)
}

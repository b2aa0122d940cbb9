package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

var (
	_ resource.ResourceWithConfigure   = &easemobMemberResource{}
	_ resource.ResourceWithImportState = &easemobMemberResource{}
	_ resource.ResourceWithModifyPlan  = &easemobMemberResource{}
	_ resource.ResourceWithIdentity    = &easemobMemberResource{}
)

func NewEasemobChatroomMemberResource() resource.Resource { return &easemobMemberResource{} }

type easemobMemberResource struct{ easemobResourceBase }

type easemobMemberModel struct {
	ID       types.String `tfsdk:"id"`
	RoomID   types.String `tfsdk:"room_id"`
	Username types.String `tfsdk:"username"`
}

func (r *easemobMemberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_easemob_chatroom_member"
}

func (r *easemobMemberResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One user's membership of an Easemob chatroom (`POST /chatrooms/{id}/users/{username}`, " +
			"read with `GET /chatrooms/{id}/users`, removed with `DELETE /chatrooms/{id}/users/{username}`). Ordinary " +
			"members who stay offline leave the room by themselves after a few minutes: such a member shows as drift " +
			"(a warning at refresh, and a plan to add the member again), and apply adds the member again. " +
			"Allow-listed users never leave that way. The owner is a member by being the owner and cannot be managed here: " +
			"a new membership of the owner is refused at plan when the owner is known then (the room's current owner, or " +
			"the one its `nim_easemob_chatroom` moves it to in the same plan). A member who becomes the owner stays in " +
			"state, with a warning at refresh; destroying it then leaves the owner in the room.",
		Attributes: map[string]schema.Attribute{
			"id":       idAttribute("`<room_id>/<username>`, the import id."),
			"room_id":  easemobRoomAttribute(),
			"username": easemobUserAttribute("The member's user id."),
		},
	}
}

func (r *easemobMemberResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = easemobMemberIdentity.schema()
}

func (r *easemobMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan easemobMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	room, user := plan.RoomID.ValueString(), plan.Username.ValueString()
	plan.ID = types.StringValue(room + "/" + user)
	members, err := readMembers(ctx, r.client, room)
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read the members of the Easemob chatroom", err))
		return
	}
	switch {
	case members.owner == user:
		resp.Diagnostics.Append(memberOwnerDiag(room, user, false))
		return
	case members.has(user):
		resp.Diagnostics.Append(alreadyExistsDiag("membership of "+user+" in chatroom "+room, plan.ID.ValueString()))
		return
	}
	err, record := addOnce(ctx,
		func(ctx context.Context) error { _, err := r.client.Members.Add(ctx, room, user); return err },
		func(ctx context.Context) (bool, error) {
			after, err := readMembers(ctx, r.client, room)
			return err == nil && after.has(user), err
		})
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot add the member to the Easemob chatroom", err))
		if !record {
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	easemobMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *easemobMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	easemobMemberIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state easemobMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	room, user := state.RoomID.ValueString(), state.Username.ValueString()
	members, err := readMembers(ctx, r.client, room)
	if easemob.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read the members of the Easemob chatroom", err))
		return
	}
	switch {
	case members.owner == user:
		// Still in the room, by being its owner: kept, so that moving the
		// owner back (the old owner stays an ordinary member) needs nothing.
		resp.Diagnostics.AddWarning("Easemob chatroom member is now the owner",
			fmt.Sprintf("%s is now the owner of chatroom %s, and a member by being the owner. This resource stays "+
				"in state; destroying it leaves the owner in the room. Remove it from the configuration (a removed "+
				"block keeps Terraform from touching it), or keep it if the room goes back to another owner.", user, room))
	case !members.has(user):
		resp.Diagnostics.AddWarning("Easemob chatroom member left",
			fmt.Sprintf("%s is no longer a member of chatroom %s: ordinary members who stay offline leave by "+
				"themselves, and blocking or removal also ends membership. The plan adds the member again. "+
				"Put users who must stay on the room's allow list (nim_easemob_chatroom_allow_list): allow-listed "+
				"users never leave by being offline.", user, room))
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(room + "/" + user)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	easemobMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// Update is never called, since every attribute replaces the resource;
// it would only record the plan.
func (r *easemobMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan easemobMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	easemobMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *easemobMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state easemobMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	room, user := state.RoomID.ValueString(), state.Username.ValueString()
	// Removing a user who already left is refused; look first.
	members, err := readMembers(ctx, r.client, room)
	if easemob.IsNotFound(err) {
		return
	}
	// The owner, who became it after this membership was made, stays.
	if err == nil && members.has(user) && members.owner != user {
		_, err = r.client.Members.Remove(ctx, room, user)
	}
	if err != nil && !easemob.IsNotFound(err) {
		resp.Diagnostics.Append(userErrorDiag("Cannot remove the member from the Easemob chatroom", err))
	}
}

func (r *easemobMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = easemobMemberIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	room, user, err := parseEasemobPairID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a chatroom member as <room_id>/<username>: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), room+"/"+user)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("room_id"), room)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("username"), user)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	easemobMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// ModifyPlan refuses a new membership of the room's owner at plan when the
// owner after this plan is known (see ownerAfterPlan).
func (r *easemobMemberResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan easemobMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !req.State.Raw.IsNull() {
		var state easemobMemberModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() || plan.RoomID.Equal(state.RoomID) && plan.Username.Equal(state.Username) {
			return // kept as it is, also when the member became the owner
		}
	}
	refuseOwnerAtPlan(ctx, r.client, plan.RoomID, plan.Username, memberOwnerDiag, &resp.Diagnostics)
}

// memberOwnerDiag refuses a membership of the room's owner.
func memberOwnerDiag(room, owner string, transfer bool) diag.Diagnostic {
	return ownerAtPlanDiag(path.Root("username"), "The owner is not managed as a member", room, owner, transfer,
		"The owner is a member by being the owner.", "Set username to another user, or remove this nim_easemob_chatroom_member.")
}

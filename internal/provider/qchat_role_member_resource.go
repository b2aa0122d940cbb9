package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = &qchatRoleMemberResource{}
	_ resource.ResourceWithImportState = &qchatRoleMemberResource{}
	_ resource.ResourceWithIdentity    = &qchatRoleMemberResource{}
)

func NewQChatRoleMemberResource() resource.Resource { return &qchatRoleMemberResource{} }

type qchatRoleMemberResource struct{ qchatResource }

type qchatRoleMemberModel struct {
	ID       types.String `tfsdk:"id"`
	ServerID types.String `tfsdk:"server_id"`
	RoleID   types.String `tfsdk:"role_id"`
	Accid    types.String `tfsdk:"accid"`
	Operator types.String `tfsdk:"operator"`
}

func (r *qchatRoleMemberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_role_member"
}

func (r *qchatRoleMemberResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One account holding one custom QChat role (`qchat/createServerIdentifyMember`, removed with " +
			"`deleteServerIdentifyMember`). The account must be a member of the server (see `nim_qchat_server_member`). " +
			"Membership of @everyone is implicit and cannot be managed.",
		Attributes: map[string]schema.Attribute{
			"id":        idAttribute("`<server_id>/<role_id>/<accid>`, the import id."),
			"server_id": parentIDAttribute("Id of the server (`serverId`)."),
			"role_id":   parentIDAttribute("Id of the custom role (`roleId`)."),
			"accid":     accidAttribute("The account given the role (`accids`)."),
			"operator":  operatorAttribute(),
		},
	}
}

func (r *qchatRoleMemberResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = qchatRoleMemberIdentity.schema()
}

func (r *qchatRoleMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan qchatRoleMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID, roleID, accid := mustID(plan.ServerID), mustID(plan.RoleID), plan.Accid.ValueString()
	operator, err := r.resolveOperator(ctx, plan.Operator, serverID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the role's QChat server", err))
		return
	}
	// Look before adding: an account that already holds the role was not
	// given it by this resource and is never taken over. Adding is
	// idempotent, so a retry after an unknown outcome needs no lookup.
	defer createLocks.lock(fmt.Sprintf("qchat_role_member/%d/%d/%s", serverID, roleID, accid))()
	held, err := r.client.QChat.ListMemberRoles(ctx, serverID, operator, accid)
	if err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the account's QChat roles", err))
		return
	}
	if slices.ContainsFunc(held, func(r client.ServerRole) bool { return r.ID == roleID }) {
		resp.Diagnostics.Append(alreadyExists("nim_qchat_role_member",
			fmt.Sprintf("Role %d of %s in server %d", roleID, accid, serverID), fmt.Sprintf("%d/%d/%s", serverID, roleID, accid)))
		return
	}
	res, err := r.client.QChat.AddRoleMembers(ctx, serverID, roleID, operator, []string{accid})
	if err != nil {
		// The addition may have landed before the error; the account did
		// not hold the role before, so holding it now is this create's doing.
		if held, ferr := r.client.QChat.ListMemberRoles(ctx, serverID, operator, accid); ferr == nil &&
			slices.ContainsFunc(held, func(r client.ServerRole) bool { return r.ID == roleID }) {
			res, err = &client.RoleMembersResult{}, nil
		}
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot add the account to the QChat role", err))
		return
	}
	if slices.Contains(res.Failed, accid) {
		resp.Diagnostics.AddAttributeError(path.Root("accid"), "Cannot add the account to the QChat role",
			fmt.Sprintf("NIM refused to give role %d of server %d to %s (it answered the account in failAccids). "+
				"Check that %s is a member of the server.", roleID, serverID, accid, accid))
		return
	}
	plan.Operator = types.StringValue(operator)
	plan.setID()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	qchatRoleMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatRoleMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	qchatRoleMemberIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state qchatRoleMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID, roleID := mustID(state.ServerID), mustID(state.RoleID)
	if !r.readOperator(ctx, &state.Operator, serverID, resp, "Cannot read the account's QChat roles") {
		return
	}
	roles, err := r.client.QChat.ListMemberRoles(ctx, serverID, state.Operator.ValueString(), state.Accid.ValueString())
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the account's QChat roles", err))
		return
	}
	if !slices.ContainsFunc(roles, func(r client.ServerRole) bool { return r.ID == roleID }) {
		resp.State.RemoveResource(ctx)
		return
	}
	state.setID()
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	qchatRoleMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// Update only ever changes operator, which touches nothing in NIM.
func (r *qchatRoleMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan qchatRoleMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	qchatRoleMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatRoleMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state qchatRoleMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	accid := state.Accid.ValueString()
	res, err := r.client.QChat.RemoveRoleMembers(ctx, mustID(state.ServerID), mustID(state.RoleID), state.Operator.ValueString(), []string{accid})
	if client.IsNotFound(err) {
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot remove the account from the QChat role", err))
		return
	}
	if !slices.Contains(res.Failed, accid) {
		return
	}
	// failAccids also names an account that no longer holds the role, which
	// is the goal reached: only an account that still holds it is an error.
	roles, err := r.client.QChat.ListMemberRoles(ctx, mustID(state.ServerID), state.Operator.ValueString(), accid)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot check the account's QChat roles", err))
		return
	}
	if slices.ContainsFunc(roles, func(role client.ServerRole) bool { return role.ID == mustID(state.RoleID) }) {
		resp.Diagnostics.AddError("Cannot remove the account from the QChat role",
			fmt.Sprintf("NIM refused to remove %s from role %s (it answered the account in failAccids).", accid, state.RoleID.ValueString()))
	}
}

func (r *qchatRoleMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = qchatRoleMemberIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ids, accid, err := parseAccidImportID(req.ID, "server_id", "role_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a QChat role member as <server_id>/<role_id>/<accid>: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), idString(ids[0]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("role_id"), idString(ids[1]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("accid"), accid)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	qchatRoleMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (m *qchatRoleMemberModel) setID() {
	m.ID = types.StringValue(fmt.Sprintf("%s/%s/%s", m.ServerID.ValueString(), m.RoleID.ValueString(), m.Accid.ValueString()))
}

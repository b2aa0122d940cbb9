package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = &qchatServerMemberResource{}
	_ resource.ResourceWithImportState = &qchatServerMemberResource{}
	_ resource.ResourceWithIdentity    = &qchatServerMemberResource{}
)

func NewQChatServerMemberResource() resource.Resource { return &qchatServerMemberResource{} }

type qchatServerMemberResource struct{ qchatResource }

type qchatServerMemberModel struct {
	ID       types.String `tfsdk:"id"`
	ServerID types.String `tfsdk:"server_id"`
	Accid    types.String `tfsdk:"accid"`
	Operator types.String `tfsdk:"operator"`
	Nick     types.String `tfsdk:"nick"`
	Avatar   types.String `tfsdk:"avatar"`
	Custom   types.String `tfsdk:"custom"`
}

func (r *qchatServerMemberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_server_member"
}

func (r *qchatServerMemberResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An account's membership of a QChat server. Create invites the account as `operator` " +
			"(`qchat/inviteServerMember`) and, when the server requires invitations to be accepted, accepts on the " +
			"member's behalf (`acceptServerInvite`), so the apply ends with a real member; an account that is already " +
			"a member makes the create fail, with the import command to use: a new resource never takes over a " +
			"membership it did not make. Destroy kicks the member (`kickServerMember`).",
		Attributes: map[string]schema.Attribute{
			"id":        idAttribute("`<server_id>/<accid>`, the import id."),
			"server_id": parentIDAttribute("Id of the server (`serverId`)."),
			"accid":     accidAttribute("The member's account (`invitedAccids`, `otherAccid`)."),
			"operator":  operatorAttribute(),
			"nick":      optionalString("The member's nickname in the server (`nick`), at most 64 characters.", 64),
			"avatar":    optionalString("The member's avatar URL in the server (`avatar`), at most 1024 characters.", 1024),
			"custom": optionalString("Custom extension data of the member (`custom`), at most 1024 characters. "+
				"Set with `updateServerMember` acting as the member, since `updateOtherServerMember` has no such parameter.", 1024),
		},
	}
}

func (r *qchatServerMemberResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = qchatServerMemberIdentity.schema()
}

func (r *qchatServerMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan qchatServerMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID, accid := mustID(plan.ServerID), plan.Accid.ValueString()
	srv, err := r.client.QChat.GetServer(ctx, serverID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the member's QChat server", err))
		return
	}
	if plan.Operator.IsUnknown() {
		plan.Operator = types.StringValue(srv.Owner)
	}
	operator := plan.Operator.ValueString()

	// Look before joining: a member that is already there was not added
	// by this resource and is never taken over.
	defer createLocks.lock(fmt.Sprintf("qchat_server_member/%d/%s", serverID, accid))()
	_, err = r.client.QChat.GetServerMember(ctx, serverID, accid)
	if err == nil {
		resp.Diagnostics.Append(alreadyExists("nim_qchat_server_member",
			fmt.Sprintf("Account %s as a member of server %d", accid, serverID), fmt.Sprintf("%d/%s", serverID, accid)))
		return
	}
	var member *client.ServerMember
	if client.IsNotFound(err) {
		member, err = r.join(ctx, srv, operator, accid)
		if err != nil {
			// The invitation or acceptance may have landed before the error
			// (a lost answer, a failed read afterwards). There was no
			// membership before, so one found now is this create's own.
			if m, ferr := r.client.QChat.GetServerMember(ctx, serverID, accid); ferr == nil {
				member, err = m, nil
			}
		}
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot add the QChat server member", err))
		return
	}

	// The membership exists from here on: the state must hold it.
	applied := plan
	applied.fromAPI(member)
	// Deferred first so that it runs last, once the state below is written: the identity is copied from it.
	defer qchatServerMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &applied)...) }()
	if err := r.update(ctx, &applied, &plan, serverID, operator); err != nil {
		resp.Diagnostics.Append(apiErrorDiag("QChat server member added, but setting its profile failed", err))
	}
}

func (r *qchatServerMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	qchatServerMemberIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state qchatServerMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID := mustID(state.ServerID)
	if !r.readOperator(ctx, &state.Operator, serverID, resp, "Cannot read QChat server member") {
		return
	}
	member, err := r.client.QChat.GetServerMember(ctx, serverID, state.Accid.ValueString())
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read QChat server member", err))
		return
	}
	state.fromAPI(member)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	qchatServerMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatServerMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state qchatServerMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	applied := state
	applied.Operator = plan.Operator
	// Deferred first so that it runs last, once the state below is written: the identity is copied from it.
	defer qchatServerMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &applied)...) }()
	if err := r.update(ctx, &applied, &plan, mustID(state.ServerID), plan.Operator.ValueString()); err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot update QChat server member", err))
	}
}

func (r *qchatServerMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state qchatServerMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.QChat.KickServerMember(ctx, mustID(state.ServerID), state.Operator.ValueString(), []string{state.Accid.ValueString()})
	if err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiag("Cannot remove QChat server member", err))
	}
}

func (r *qchatServerMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = qchatServerMemberIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID, accid, err := parseAccidImportID(req.ID, "server_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a QChat server member as <server_id>/<accid>: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), idString(serverID[0]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("accid"), accid)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	qchatServerMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (m *qchatServerMemberModel) fromAPI(mem *client.ServerMember) {
	m.ID = types.StringValue(fmt.Sprintf("%d/%s", mem.ServerID, mem.Accid))
	m.ServerID = idString(mem.ServerID)
	m.Accid = types.StringValue(mem.Accid)
	m.Nick = types.StringValue(mem.Nick)
	m.Avatar = types.StringValue(mem.Avatar)
	m.Custom = types.StringValue(mem.Custom)
}

// join invites accid and, where the server wants invitations accepted,
// accepts on its behalf, then reads the new membership.
func (r *qchatServerMemberResource) join(ctx context.Context, srv *client.Server, operator, accid string) (*client.ServerMember, error) {
	res, err := r.client.QChat.InviteServerMember(ctx, &client.InviteServerMemberRequest{
		ServerID: srv.ID, Operator: operator, Accids: []string{accid},
	})
	if client.IsOutcomeUnknown(err) {
		// The account was not a member before this invitation, so a
		// membership found now is the one it made.
		if m, ferr := r.client.QChat.GetServerMember(ctx, srv.ID, accid); ferr == nil {
			return m, nil
		}
		if srv.InviteMode != 0 {
			return nil, err
		}
		res, err = &client.InviteResult{}, nil // the invitation may be pending: accept it
	}
	if err != nil {
		return nil, err
	}
	for _, failed := range res.FailedAccids {
		if failed == accid {
			return nil, fmt.Errorf("NIM could not invite %s to server %d: %s", accid, srv.ID, res.FailMsg)
		}
	}
	if srv.InviteMode == 0 { // invitations need the invitee's consent
		accept := func() error { return r.client.QChat.AcceptServerInvite(ctx, srv.ID, accid, operator) }
		err := accept()
		if client.IsOutcomeUnknown(err) || client.IsNotFound(err) {
			// An acceptance whose answer was lost may have landed, and a
			// repeat then finds no invitation: the membership decides.
			if m, ferr := r.client.QChat.GetServerMember(ctx, srv.ID, accid); ferr == nil {
				return m, nil
			}
			if client.IsOutcomeUnknown(err) { // it did not land: once more
				err = accept()
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return r.client.QChat.GetServerMember(ctx, srv.ID, accid)
}

// update sends the profile fields whose planned value differs from applied
// and records in applied what NIM confirmed. nick and avatar are changed by
// the operator; custom only by the member itself (updateServerMember).
func (r *qchatServerMemberResource) update(ctx context.Context, applied, plan *qchatServerMemberModel, serverID int64, operator string) error {
	accid := plan.Accid.ValueString()
	nick, avatar := changedString(plan.Nick, applied.Nick), changedString(plan.Avatar, applied.Avatar)
	if nick != nil || avatar != nil {
		var m *client.ServerMember
		var err error
		if accid == operator {
			m, err = r.client.QChat.UpdateServerMember(ctx, &client.UpdateServerMemberRequest{ServerID: serverID, Accid: accid, Nick: nick, Avatar: avatar})
		} else {
			m, err = r.client.QChat.UpdateOtherServerMember(ctx, &client.UpdateOtherServerMemberRequest{
				ServerID: serverID, Operator: operator, Accid: accid, Nick: nick, Avatar: avatar,
			})
		}
		if err != nil {
			return err
		}
		applied.fromAPI(m)
	}
	if custom := changedString(plan.Custom, applied.Custom); custom != nil {
		m, err := r.client.QChat.UpdateServerMember(ctx, &client.UpdateServerMemberRequest{ServerID: serverID, Accid: accid, Custom: custom})
		if err != nil {
			return err
		}
		applied.fromAPI(m)
	}
	return nil
}

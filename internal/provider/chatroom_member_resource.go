package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ resource.ResourceWithConfigure      = &chatroomMemberResource{}
	_ resource.ResourceWithImportState    = &chatroomMemberResource{}
	_ resource.ResourceWithIdentity       = &chatroomMemberResource{}
	_ resource.ResourceWithValidateConfig = &chatroomMemberResource{}
)

func NewChatroomMemberResource() resource.Resource { return &chatroomMemberResource{} }

type chatroomMemberResource struct{ resourceBase }

type chatroomMemberModel struct {
	ID      types.String `tfsdk:"id"`
	RoomID  types.String `tfsdk:"room_id"`
	Accid   types.String `tfsdk:"accid"`
	Role    types.String `tfsdk:"role"`
	Blocked types.Bool   `tfsdk:"blocked"`
	Muted   types.Bool   `tfsdk:"muted"`
}

func (r *chatroomMemberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_chatroom_member"
}

func (r *chatroomMemberResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An account's role and restrictions in a chatroom (`chatroom/setMemberRole`, with the room's " +
			"creator as operator; read with `membersByPage`). Destroy removes the role and lifts the restrictions. " +
			"The room's creator cannot be managed this way. NIM reports a muted or blocked account that is not a " +
			"manager as `LIMITED`, which does not tell `member` from `none`; in that case the role in state is kept.",
		Attributes: map[string]schema.Attribute{
			"id":      idAttribute("`<room_id>/<accid>`, the import id."),
			"room_id": parentIDAttribute("Id of the chatroom (`roomid`)."),
			"accid":   accidAttribute("The account (`target`)."),
			"role": schema.StringAttribute{
				MarkdownDescription: "Fixed role in the room: `manager` (`opt` 1, set by the creator only), `member` " +
					"(`opt` 2, a fixed common member) or `none`. Default `none`.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString("none"),
				Validators: []validator.String{stringvalidator.OneOf(chatroomRoles.values()...)},
			},
			"blocked": schema.BoolAttribute{
				MarkdownDescription: "Whether the account is on the room's blacklist and cannot enter (`opt` -1). Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"muted": schema.BoolAttribute{
				MarkdownDescription: "Whether the account is muted in the room (`opt` -2). Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
		},
	}
}

func (r *chatroomMemberResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = chatroomMemberIdentity.schema()
}

func (r *chatroomMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan chatroomMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Look before setting anything: an account that already holds a role
	// or a restriction in the room got it elsewhere and is never taken
	// over. setMemberRole is idempotent, so a retry after an unknown
	// outcome needs no lookup.
	defer createLocks.lock("chatroom_member/" + plan.RoomID.ValueString() + "/" + plan.Accid.ValueString())()
	applied := plan
	mem, err := findChatroomMember(ctx, r.client, mustID(plan.RoomID), plan.Accid.ValueString())
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the chatroom's members", err))
		return
	}
	if mem != nil {
		role, importID := strings.ToLower(mem.Type), plan.RoomID.ValueString()+"/"+mem.Accid
		if strings.EqualFold(mem.Type, "LIMITED") {
			// NIM hides a restricted account's role: the import id must
			// name it, and the configured one is the user's to confirm.
			role = "hidden by NIM while blocked or muted"
			importID += "/" + plan.Role.ValueString()
		}
		resp.Diagnostics.Append(alreadyExists("nim_chatroom_member",
			fmt.Sprintf("Account %s in chatroom %s (role %s, blocked %t, muted %t)", mem.Accid, plan.RoomID.ValueString(),
				role, mem.Blacklisted, mem.Muted),
			importID))
		return
	}
	applied.fromAPI(mem)
	err = r.apply(ctx, &applied, &plan)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot set the chatroom member's role", err))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &applied)...)
	chatroomMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *chatroomMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	chatroomMemberIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state chatroomMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	mem, err := findChatroomMember(ctx, r.client, mustID(state.RoomID), state.Accid.ValueString())
	if client.IsNotFound(err) { // the room is gone
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the chatroom's members", err))
		return
	}
	if !state.fromAPI(mem) {
		resp.Diagnostics.AddError("Cannot tell the chatroom member's role",
			fmt.Sprintf("NIM lists %s in chatroom %s as LIMITED (blocked or muted), which does not say whether the "+
				"account is also a fixed member (role \"member\") or not (role \"none\"), and no other answer says it. "+
				"Import it with the role the configuration sets as the third part of the id, for example:\n\n"+
				"  terraform import ADDRESS %s/%s/member\n\nor id = \"%s/%s/none\" in an import block.",
				state.Accid.ValueString(), state.RoomID.ValueString(), state.RoomID.ValueString(), state.Accid.ValueString(),
				state.RoomID.ValueString(), state.Accid.ValueString()))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	chatroomMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *chatroomMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state chatroomMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	applied := state
	if err := r.apply(ctx, &applied, &plan); err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot change the chatroom member's role", err))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &applied)...)
	chatroomMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *chatroomMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state chatroomMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	none := state
	none.Role, none.Blocked, none.Muted = types.StringValue("none"), types.BoolValue(false), types.BoolValue(false)
	err := r.apply(ctx, &state, &none)
	// A room that is gone or closed keeps no member settings that matter.
	if err != nil && !client.IsNotFound(err) && !client.IsRoomClosed(err) {
		resp.Diagnostics.Append(apiErrorDiag("Cannot remove the chatroom member's role", err))
	}
}

func (r *chatroomMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = chatroomMemberIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// A restricted account's role is hidden by the API (LIMITED), so the id
	// may name it: <room_id>/<accid>/<role>.
	id, role := req.ID, ""
	if parts := strings.Split(id, "/"); len(parts) == 3 {
		if !slices.Contains(chatroomRoles.values(), parts[2]) {
			resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Import a chatroom member as <room_id>/<accid> or "+
				"<room_id>/<accid>/<role>, role one of %s: got role %q", chatroomRoles.describe(), parts[2]))
			return
		}
		id, role = parts[0]+"/"+parts[1], parts[2]
	}
	ids, accid, err := parseAccidImportID(id, "room_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a chatroom member as <room_id>/<accid> or <room_id>/<accid>/<role>: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("room_id"), idString(ids[0]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("accid"), accid)...)
	if role != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("role"), role)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), fmt.Sprintf("%d/%s", ids[0], accid))...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	chatroomMemberIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// ValidateConfig rejects a manager on the blacklist: a blacklisted account
// cannot enter the room it is meant to manage.
func (r *chatroomMemberResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m chatroomMemberModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.Role.ValueString() == "manager" && m.Blocked.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("blocked"), "Conflicting chatroom member settings",
			"A manager cannot be on the room's blacklist: a blacklisted account cannot enter the room. "+
				"Set role to \"member\" or \"none\", or blocked to false.")
	}
}

const (
	optBlacklist = -1
	optMute      = -2
)

// findChatroomMember pages through the room's fixed members for accid. An
// account with no role or restriction is not listed: it returns nil.
func findChatroomMember(ctx context.Context, c *client.Client, roomID int64, accid string) (*client.ChatroomMember, error) {
	var end int64
	for {
		page, err := c.Chatrooms.MembersByPage(ctx, roomID, 0, end, client.MaxMembersByPage)
		if err != nil {
			return nil, err
		}
		for i := range page {
			if page[i].Accid == accid {
				return &page[i], nil
			}
		}
		if len(page) < client.MaxMembersByPage {
			return nil, nil
		}
		next := page[len(page)-1].EnterTime
		if end != 0 && next >= end {
			return nil, fmt.Errorf("nim chatroom/membersByPage: the page anchor did not move (endtime %d)", end)
		}
		end = next
	}
}

// fromAPI sets role and restrictions from the room's member record. It
// reports false when the record hides the role (LIMITED) and the model
// holds none to keep (an import without the role in its id).
func (m *chatroomMemberModel) fromAPI(mem *client.ChatroomMember) bool {
	m.ID = types.StringValue(m.RoomID.ValueString() + "/" + m.Accid.ValueString())
	if mem == nil {
		m.Role, m.Blocked, m.Muted = types.StringValue("none"), types.BoolValue(false), types.BoolValue(false)
		return true
	}
	m.Blocked, m.Muted = types.BoolValue(mem.Blacklisted), types.BoolValue(mem.Muted)
	switch mem.Type {
	case "MANAGER":
		m.Role = types.StringValue("manager")
	case "COMMON":
		m.Role = types.StringValue("member")
	default: // LIMITED: member or none, NIM does not say which
		if m.Role.IsNull() || m.Role.IsUnknown() {
			return false // nothing known to keep: an import without the role
		}
		if r := m.Role.ValueString(); r != "member" && r != "none" {
			m.Role = types.StringValue("none") // not a manager any more: drift
		}
	}
	return true
}

// apply moves the account from the applied settings to the planned ones,
// recording each change in applied once NIM confirmed it.
func (r *chatroomMemberResource) apply(ctx context.Context, applied, plan *chatroomMemberModel) error {
	roomID := mustID(plan.RoomID)
	room, err := r.client.Chatrooms.Get(ctx, roomID)
	if err != nil {
		return err
	}
	set := func(opt int, value bool) error {
		_, err := r.client.Chatrooms.SetMemberRole(ctx, &client.SetMemberRoleRequest{
			RoomID: roomID, Operator: room.Creator, Target: plan.Accid.ValueString(), Opt: opt, OptValue: value,
		})
		return err
	}
	if from, to := applied.Role.ValueString(), plan.Role.ValueString(); from != to {
		if opt := chatroomRoles.wire(to); opt != 0 {
			err = set(opt, true) // a new role replaces the old one
		} else {
			err = set(chatroomRoles.wire(from), false)
		}
		if err != nil {
			return err
		}
		applied.Role = plan.Role
	}
	if !plan.Blocked.Equal(applied.Blocked) {
		if err := set(optBlacklist, plan.Blocked.ValueBool()); err != nil {
			return err
		}
		applied.Blocked = plan.Blocked
	}
	if !plan.Muted.Equal(applied.Muted) {
		if err := set(optMute, plan.Muted.ValueBool()); err != nil {
			return err
		}
		applied.Muted = plan.Muted
	}
	return nil
}

// Resource identity: the attributes that name a resource's object in NIM,
// which Terraform 1.12 and later keep beside the state, use in
// `import { identity = { … } }` blocks and receive from list resources.
package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// identityPart is one attribute of an identity. Every part is a string, as
// the state holds ids: a numeric id, an account, or one of a few words.
type identityPart struct {
	name        string             // the identity attribute
	state       string             // the top-level state attribute that holds its value
	description string             // shown in the docs
	account     bool               // an accid (1 to 32 characters) rather than a numeric id
	oneOf       []string           // when set, the value must be one of these words
	valid       func(string) error // when set, checks the value instead
}

// identitySpec is the identity of one resource type. Its parts are in the
// order of the resource's import id, so an identity reads as the import id
// it stands for.
type identitySpec []identityPart

// idPart is a numeric id held in state under the same name.
func idPart(name, description string) identityPart {
	return identityPart{name: name, state: name, description: description}
}

// accidPart is an account held in state as accid.
func accidPart(description string) identityPart {
	return identityPart{name: "accid", state: "accid", description: description, account: true}
}

// schema is the identity schema: every part is needed to import.
func (s identitySpec) schema() identityschema.Schema {
	attrs := make(map[string]identityschema.Attribute, len(s))
	for _, p := range s {
		attrs[p.name] = identityschema.StringAttribute{RequiredForImport: true, Description: p.description}
	}
	return identityschema.Schema{Attributes: attrs}
}

// set copies the identity out of the state that an operation has just
// written. It does nothing when the state is empty (the object is gone) or
// does not hold every part yet (an operation that stopped before the object
// existed), so an identity is never half set.
func (s identitySpec) set(ctx context.Context, st *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if identity == nil || st == nil || st.Raw.IsNull() {
		return
	}
	values := make([]types.String, len(s))
	for i, p := range s {
		if d := st.GetAttribute(ctx, path.Root(p.state), &values[i]); d.HasError() {
			diags.Append(d...)
			return
		}
		if values[i].IsNull() || values[i].IsUnknown() || values[i].ValueString() == "" {
			return
		}
	}
	for i, p := range s {
		diags.Append(identity.SetAttribute(ctx, path.Root(p.name), values[i])...)
	}
}

// importID gives the import id that an `import` block's identity stands
// for, so that ImportState has one path for both kinds of import. An import
// by id returns req.ID unchanged. Every part is checked first: a bad value is
// an error naming the identity attribute, before any API request.
func (s identitySpec) importID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) string {
	if req.ID != "" || req.Identity == nil {
		return req.ID
	}
	parts := make([]string, 0, len(s))
	for _, p := range s {
		var v types.String
		if d := req.Identity.GetAttribute(ctx, path.Root(p.name), &v); d.HasError() {
			diags.Append(d...)
			return ""
		}
		if err := p.check(v); err != nil {
			diags.AddError("Invalid import identity", fmt.Sprintf("identity attribute %s: %v", p.name, err))
			continue
		}
		parts = append(parts, v.ValueString())
	}
	return strings.Join(parts, "/")
}

// check validates one identity value the way the resource's import id is
// validated.
func (p identityPart) check(v types.String) error {
	if v.IsNull() || v.IsUnknown() {
		return fmt.Errorf("a value is required")
	}
	s := v.ValueString()
	switch {
	case p.valid != nil:
		return p.valid(s)
	case p.oneOf != nil:
		if !slices.Contains(p.oneOf, s) {
			return fmt.Errorf("must be one of %s, got %q", strings.Join(p.oneOf, ", "), s)
		}
	case p.account:
		if n := utf8.RuneCountInString(s); n < 1 || n > 32 {
			return fmt.Errorf("an accid is 1 to 32 characters, got %q", s)
		}
	default:
		if _, err := parseID(p.name, s); err != nil {
			return err
		}
	}
	return nil
}

// The identity of every resource, in the order of its import id.
var (
	chatroomIdentity = identitySpec{
		{name: "room_id", state: "id", description: "Room id (`roomid`)."},
	}
	chatroomMemberIdentity = identitySpec{
		idPart("room_id", "Room id (`roomid`)."),
		accidPart("The member's account (accid)."),
	}
	qchatServerIdentity = identitySpec{
		{name: "server_id", state: "id", description: "Server id (`serverId`)."},
	}
	qchatChannelIdentity = identitySpec{
		{name: "channel_id", state: "id", description: "Channel id (`channelId`), unique in the application."},
	}
	qchatRoleIdentity = identitySpec{
		idPart("server_id", "Id of the role's server (`serverId`)."),
		{name: "role_id", state: "id", description: "Role id (`roleId`)."},
	}
	qchatEveryoneRoleIdentity = identitySpec{
		idPart("server_id", "Id of the server whose @everyone role this is (`serverId`)."),
	}
	qchatChannelRoleIdentity = identitySpec{
		idPart("server_id", "Id of the server (`serverId`)."),
		idPart("channel_id", "Id of the channel (`channelId`)."),
		idPart("role_id", "Id of the channel role itself (`roleId`), not the server role's."),
	}
	qchatServerMemberIdentity = identitySpec{
		idPart("server_id", "Id of the server (`serverId`)."),
		accidPart("The member's account (accid)."),
	}
	qchatRoleMemberIdentity = identitySpec{
		idPart("server_id", "Id of the server (`serverId`)."),
		idPart("role_id", "Id of the custom role (`roleId`)."),
		accidPart("The account holding the role (accid)."),
	}
	qchatMemberPermissionsIdentity = identitySpec{
		idPart("server_id", "Id of the server (`serverId`)."),
		idPart("channel_id", "Id of the channel (`channelId`)."),
		accidPart("The account whose permissions are overridden (accid)."),
	}
	qchatAccessListIdentity = identitySpec{
		idPart("server_id", "Id of the server (`serverId`)."),
		idPart("channel_id", "Id of the channel (`channelId`)."),
		{name: "kind", state: "kind", description: "Which list: `allowlist` or `blocklist`.", oneOf: accessListKinds.values()},
	}

	easemobChatroomIdentity = identitySpec{
		{name: "room_id", state: "id", description: "Room id (`id`), as the API gives it.", valid: easemobRoomID},
	}
	easemobMemberIdentity = identitySpec{
		{name: "room_id", state: "room_id", description: "Room id.", valid: easemobRoomID},
		{name: "username", state: "username", description: "The member's user id.", valid: easemobUser},
	}
	easemobMuteIdentity = identitySpec{
		{name: "room_id", state: "room_id", description: "Room id.", valid: easemobRoomID},
		{name: "username", state: "username", description: "The muted user id.", valid: easemobUser},
	}
	// easemobUserSetIdentity is that of the admins, the allow list and the
	// block list: one of each per room.
	easemobUserSetIdentity = identitySpec{
		{name: "room_id", state: "room_id", description: "Room id.", valid: easemobRoomID},
	}
	easemobSuperAdminIdentity = identitySpec{
		{name: "username", state: "username", description: "The super admin's user id.", valid: easemobUser},
	}
)

// easemobUser checks an Easemob user id given in an identity.
func easemobUser(s string) error {
	if !easemobUserPattern.MatchString(s) {
		return fmt.Errorf("%q is not %s", s, easemobUserRule)
	}
	return nil
}

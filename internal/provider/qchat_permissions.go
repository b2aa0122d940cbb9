package provider

import (
	"context"
	"fmt"
	"strings"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// permission is one QChat permission: its attribute name, the API key, and
// whether it can be set inside a channel (channel roles, member overrides).
type permission struct {
	attr    string
	key     int
	channel bool
	desc    string
}

// permissions is the one table between attribute names and API keys.
var permissions = []permission{
	{"manage_server", 1, false, "manage the server"},
	{"manage_channel", 2, true, "manage channels"},
	{"manage_role", 3, true, "manage roles"},
	{"send_message", 4, true, "send messages"},
	{"edit_own_member_info", 5, false, "edit one's own member info in the server"},
	{"invite_member", 6, false, "invite others to the server"},
	{"kick_member", 7, false, "kick others from the server"},
	{"edit_member_info", 8, false, "edit others' member info"},
	{"recall_message", 9, true, "recall others' messages"},
	{"delete_message", 10, true, "delete others' messages"},
	{"mention_member", 11, true, "@ others"},
	{"mention_everyone", 12, true, "@ everyone"},
	{"manage_access_lists", 13, true, "manage channel allow and block lists"},
	{"ban_member", 14, false, "ban server members"},
	{"rtc_connect", 15, true, "connect to RTC (voice and video)"},
	{"rtc_disconnect_member", 16, true, "disconnect others from RTC"},
	{"rtc_microphone", 17, true, "open one's own microphone in RTC"},
	{"rtc_camera", 18, true, "open one's own camera in RTC"},
	{"rtc_mute_member_microphone", 19, true, "open or close others' microphones in RTC"},
	{"rtc_mute_member_camera", 20, true, "open or close others' cameras in RTC"},
	{"rtc_mute_everyone_microphone", 21, true, "open or close everyone's microphones in RTC"},
	{"rtc_mute_everyone_camera", 22, true, "open or close everyone's cameras in RTC"},
	{"rtc_screen_share", 23, true, "share the screen in RTC"},
	{"rtc_stop_member_screen_share", 24, true, "stop others' screen share in RTC"},
	{"handle_applications", 25, false, "handle applications to join the server"},
	{"view_invite_apply_history", 26, false, "query invite and apply history"},
}

// permissionScope selects the server-level or the channel-level permission
// set and the values they accept.
type permissionScope struct {
	channel bool
	values  enum
}

var (
	serverPermissions  = permissionScope{channel: false, values: serverPermissionValues}
	channelPermissions = permissionScope{channel: true, values: channelPermissionValues}
)

func (s permissionScope) list() []permission {
	var out []permission
	for _, p := range permissions {
		if !s.channel || p.channel {
			out = append(out, p)
		}
	}
	return out
}

func (s permissionScope) attrTypes() map[string]attr.Type {
	t := map[string]attr.Type{}
	for _, p := range s.list() {
		t[p.attr] = types.StringType
	}
	return t
}

// schema builds the permissions block. It is a block, not an object
// attribute, because Terraform silently drops unknown keys from an object
// value, so a misspelt permission would be ignored instead of rejected.
//
// What the block means:
//   - Without the block, or with an empty block (`permissions {}`), no
//     permission is managed: nothing is sent, nothing is stored (the
//     attributes are null) and nothing is ever shown as changing.
//   - A permission set in the block is managed: it is sent when it differs
//     from what NIM holds, and drift is shown.
//   - A permission left out of the block is not managed and never sent. It
//     keeps the value state already holds (null unless an import or an
//     earlier configuration recorded one), so leaving a permission out, or
//     adding the block with some permissions, plans exactly those and no
//     "known after apply" for the others.
//   - Removing the whole block stops managing every permission: Terraform
//     plans the block away (a nested block present in state but absent from
//     the configuration must plan as absent), nothing is sent and NIM keeps
//     the values.
//   - An import records every permission NIM holds, so that a configuration
//     that lists them (such as the one -generate-config-out writes) plans
//     no change.
func (s permissionScope) schema(what string) schema.SingleNestedBlock {
	attrs := map[string]schema.Attribute{}
	for _, p := range s.list() {
		attrs[p.attr] = schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("Permission to %s (API key `%d`): %s. Not managed when left out.",
				p.desc, p.key, s.values.describe()),
			Optional:      true,
			Computed:      true,
			Validators:    []validator.String{stringvalidator.OneOf(s.values.values()...)},
			PlanModifiers: []planmodifier.String{keepUnsetPermission{}},
		}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "Permissions of " + what + ", one attribute per permission, sent as the JSON `auths` map. " +
			"Only the permissions set here are managed and sent. A permission left out is never sent and keeps the " +
			"value state holds (null, unless an import recorded it). Without this block, or with an empty " +
			"`permissions {}`, no permission is managed, stored or sent. Removing the block stops managing the " +
			"permissions: the plan shows the block leaving the state, nothing is sent and NIM keeps the values.",
		Attributes: attrs,
	}
}

// keepUnsetPermission plans a permission left out of the configuration as
// the value state holds, or null when state holds none: never "known after
// apply", because an unmanaged permission is neither sent nor read back.
type keepUnsetPermission struct{}

func (keepUnsetPermission) Description(context.Context) string {
	return "A permission left out of the configuration keeps the value in state (null if there is none)."
}

func (m keepUnsetPermission) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepUnsetPermission) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.StateValue
		if resp.PlanValue.IsUnknown() {
			resp.PlanValue = types.StringNull()
		}
	}
}

// read returns the permissions to store after reading auths from the API.
// Only the permissions prior holds (managed ones, or ones recorded by an
// import) are read; the others stay null. Without a permissions block (a
// null prior value) nothing is stored, except right after an import, when
// every permission is recorded because nothing is known yet.
func (s permissionScope) read(prior types.Object, imported bool, auths client.Permissions) (types.Object, diag.Diagnostics) {
	if imported {
		return s.fromAPI(auths)
	}
	if prior.IsNull() || prior.IsUnknown() {
		return prior, nil
	}
	all, diags := s.fromAPI(auths)
	if diags.HasError() {
		return prior, diags
	}
	held, read := prior.Attributes(), all.Attributes()
	vals := map[string]attr.Value{}
	for _, p := range s.list() {
		if v, ok := held[p.attr]; ok && !v.IsNull() {
			vals[p.attr] = read[p.attr]
		} else {
			vals[p.attr] = types.StringNull()
		}
	}
	obj, d := types.ObjectValue(s.attrTypes(), vals)
	diags.Append(d...)
	return obj, diags
}

// noPermissionsSuffix ends an import id whose resource has no permissions
// block in the configuration. Terraform shows a provider no configuration
// during import, so only the id can say whether the permissions are to be
// recorded (for a configuration with the block, the default) or not.
const noPermissionsSuffix = "/no-permissions"

// importWithoutPermissions strips noPermissionsSuffix from an import id of
// parts parts (one more with the suffix) and reports whether it was there.
func importWithoutPermissions(id string, parts int) (string, bool) {
	if strings.Count(id, "/") == parts && strings.HasSuffix(id, noPermissionsSuffix) {
		return strings.TrimSuffix(id, noPermissionsSuffix), true
	}
	return id, false
}

// markImportedUnless marks an import that records the permissions: every
// import but one whose id ends with noPermissionsSuffix.
func markImportedUnless(ctx context.Context, without bool, p interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}) diag.Diagnostics {
	if without {
		return nil
	}
	return markImported(ctx, p)
}

// importedKey marks, in private state, a resource that was just imported.
const importedKey = "imported"

func markImported(ctx context.Context, p interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}) diag.Diagnostics {
	return p.SetKey(ctx, importedKey, []byte("true"))
}

// takeImported reports whether the resource was just imported and clears
// the mark, so later reads keep honouring an absent permissions block.
func takeImported(ctx context.Context, req interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}, resp interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}) bool {
	v, _ := req.GetKey(ctx, importedKey)
	if len(v) == 0 {
		return false
	}
	resp.SetKey(ctx, importedKey, nil)
	return true
}

// toAPI returns the permissions whose planned value differs from the prior
// one (prior may be null, e.g. on create): exactly what must be sent.
func (s permissionScope) toAPI(planned, prior types.Object) client.Permissions {
	if planned.IsNull() || planned.IsUnknown() {
		return nil
	}
	pa := planned.Attributes()
	var qa map[string]attr.Value
	if !prior.IsNull() && !prior.IsUnknown() {
		qa = prior.Attributes()
	}
	out := client.Permissions{}
	for _, p := range s.list() {
		v, ok := pa[p.attr].(types.String)
		if !ok || v.IsNull() || v.IsUnknown() {
			continue
		}
		if old, ok := qa[p.attr].(types.String); ok && old.Equal(v) {
			continue
		}
		out[p.key] = s.values.wire(v.ValueString())
	}
	return out
}

// fromAPI maps the API's auths to the permissions object. A key the API
// leaves out reads as "inherit" in a channel (the documented meaning of 0)
// and stays null at server level, where no default is documented.
func (s permissionScope) fromAPI(auths client.Permissions) (types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	vals := map[string]attr.Value{}
	for _, p := range s.list() {
		w, ok := auths[p.key]
		switch {
		case ok:
			name, err := s.values.name(w)
			if err != nil {
				diags.AddError("Unexpected permission value from the API", fmt.Sprintf("permission %s (key %d): %s", p.attr, p.key, err))
				vals[p.attr] = types.StringNull()
				continue
			}
			vals[p.attr] = types.StringValue(name)
		case s.channel:
			vals[p.attr] = types.StringValue("inherit")
		default:
			vals[p.attr] = types.StringNull()
		}
	}
	obj, d := types.ObjectValue(s.attrTypes(), vals)
	diags.Append(d...)
	return obj, diags
}

// dataSourceAttribute is the read-only permissions object of a data source:
// an attribute rather than a block, since nothing in it is configured.
func (s permissionScope) dataSourceAttribute(what string) dsschema.SingleNestedAttribute {
	missing := "null"
	if s.channel {
		missing = "`inherit`"
	}
	attrs := map[string]dsschema.Attribute{}
	for _, p := range s.list() {
		attrs[p.attr] = readString(fmt.Sprintf("Permission to %s (API key `%d`): %s.", p.desc, p.key, s.values.describe()))
	}
	return dsschema.SingleNestedAttribute{
		MarkdownDescription: "Permissions of " + what + " as NIM holds them (the JSON `auths` map), one attribute per " +
			"permission. A permission the API leaves out reads as " + missing + ".",
		Computed:   true,
		Attributes: attrs,
	}
}

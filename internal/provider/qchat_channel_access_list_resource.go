package provider

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = &qchatAccessListResource{}
	_ resource.ResourceWithImportState = &qchatAccessListResource{}
	_ resource.ResourceWithIdentity    = &qchatAccessListResource{}
)

func NewQChatChannelAccessListResource() resource.Resource { return &qchatAccessListResource{} }

type qchatAccessListResource struct{ qchatResource }

type qchatAccessListModel struct {
	ID        types.String `tfsdk:"id"`
	ServerID  types.String `tfsdk:"server_id"`
	ChannelID types.String `tfsdk:"channel_id"`
	Kind      types.String `tfsdk:"kind"`
	Operator  types.String `tfsdk:"operator"`
	RoleIDs   types.Set    `tfsdk:"role_ids"`
	Accids    types.Set    `tfsdk:"accids"`
}

func (r *qchatAccessListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_channel_access_list"
}

func (r *qchatAccessListResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The authoritative allow list of a private channel, or block list of a public one " +
			"(`qchat/updateWhiteBlackIdentify` for roles, `updateWhiteBlackIdentifyUser` for accounts). Entries added " +
			"outside Terraform show as drift and are removed on apply. Apply sends only the additions and removals, " +
			"accounts in batches of at most 100. Destroy removes the entries this resource holds.",
		Attributes: map[string]schema.Attribute{
			"id":         idAttribute("`<server_id>/<channel_id>/<kind>`, the import id."),
			"server_id":  parentIDAttribute("Id of the server (`serverId`)."),
			"channel_id": parentIDAttribute("Id of the channel (`channelId`)."),
			"kind": schema.StringAttribute{
				MarkdownDescription: "Which list (`type`): " + accessListKinds.describe() + ". It must fit the channel: " +
					"`allowlist` for a private channel, `blocklist` for a public one. Changing it replaces the resource.",
				Required:      true,
				Validators:    []validator.String{stringvalidator.OneOf(accessListKinds.values()...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"operator": operatorAttribute(),
			"role_ids": schema.SetAttribute{
				MarkdownDescription: fmt.Sprintf("Ids of the server roles on the list (`roleid`), at most %d. Default empty.", maxListRoles),
				ElementType:         types.StringType,
				Optional:            true,
				Computed:            true,
				Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
				Validators: []validator.Set{
					setvalidator.SizeAtMost(maxListRoles),
					setvalidator.ValueStringsAre(numericID{}),
				},
			},
			"accids": schema.SetAttribute{
				MarkdownDescription: fmt.Sprintf("Accounts on the list (`toAccids`), at most %d; they must be members of the server. Default empty.", maxListAccounts),
				ElementType:         types.StringType,
				Optional:            true,
				Computed:            true,
				Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
				Validators: []validator.Set{
					setvalidator.SizeAtMost(maxListAccounts),
					setvalidator.ValueStringsAre(lengthBetween(1, 32)),
				},
			},
		},
	}
}

func (r *qchatAccessListResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = qchatAccessListIdentity.schema()
}

func (r *qchatAccessListResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan qchatAccessListModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	operator, err := r.resolveOperator(ctx, plan.Operator, mustID(plan.ServerID))
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the channel's QChat server", err))
		return
	}
	plan.Operator = types.StringValue(operator)
	if resp.Diagnostics.Append(r.checkKind(ctx, &plan)...); resp.Diagnostics.HasError() {
		return
	}
	// The list exists with the channel. An empty one is taken as made
	// here; one that holds entries was filled by someone else (another
	// resource, or by hand) and is never taken over: that would remove
	// its entries.
	defer createLocks.lock("qchat_channel_access_list/" + plan.ChannelID.ValueString() + "/" + plan.Kind.ValueString())()
	haveRoles, haveAccids, err := r.readLists(ctx, plan.list())
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the channel access list", err))
		return
	}
	if len(haveRoles)+len(haveAccids) > 0 {
		resp.Diagnostics.Append(alreadyExists("nim_qchat_channel_access_list",
			fmt.Sprintf("The %s of channel %s (holding %d roles and %d accounts)", plan.Kind.ValueString(),
				plan.ChannelID.ValueString(), len(haveRoles), len(haveAccids)),
			fmt.Sprintf("%s/%s/%s", plan.ServerID.ValueString(), plan.ChannelID.ValueString(), plan.Kind.ValueString())))
		return
	}
	diags, _ := r.apply(ctx, &plan, haveRoles, haveAccids)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	qchatAccessListIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatAccessListResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	qchatAccessListIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state qchatAccessListModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.readOperator(ctx, &state.Operator, mustID(state.ServerID), resp, "Cannot read the channel access list") {
		return
	}
	var roles, accids []string
	_, err := r.client.QChat.GetChannel(ctx, mustID(state.ChannelID))
	if err == nil {
		roles, accids, err = r.readLists(ctx, state.list())
	}
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the channel access list", err))
		return
	}
	resp.Diagnostics.Append(state.setLists(roles, accids)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	qchatAccessListIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatAccessListResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state qchatAccessListModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if resp.Diagnostics.Append(r.checkKind(ctx, &plan)...); resp.Diagnostics.HasError() {
		return
	}
	diags, _ := r.apply(ctx, &plan, setStrings(state.RoleIDs), setStrings(state.Accids))
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	qchatAccessListIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatAccessListResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state qchatAccessListModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	empty := state
	empty.RoleIDs = types.SetValueMust(types.StringType, nil)
	empty.Accids = types.SetValueMust(types.StringType, nil)
	diags, err := r.apply(ctx, &empty, setStrings(state.RoleIDs), setStrings(state.Accids))
	if client.IsNotFound(err) { // a channel or server already gone took its list with it
		return
	}
	resp.Diagnostics.Append(diags...)
}

func (r *qchatAccessListResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = qchatAccessListIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	i := strings.LastIndex(req.ID, "/")
	var ids []int64
	var err error
	kind := ""
	if i < 0 {
		err = fmt.Errorf("expected <server_id>/<channel_id>/<kind>, got %q", req.ID)
	} else if kind = req.ID[i+1:]; kind != "allowlist" && kind != "blocklist" {
		err = fmt.Errorf("kind must be allowlist or blocklist, got %q", kind)
	} else {
		ids, err = parseImportID(req.ID[:i], "server_id", "channel_id")
	}
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a channel access list as <server_id>/<channel_id>/<kind>: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), idString(ids[0]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("channel_id"), idString(ids[1]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("kind"), kind)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("role_ids"), types.SetValueMust(types.StringType, []attr.Value{}))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("accids"), types.SetValueMust(types.StringType, []attr.Value{}))...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	qchatAccessListIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

const (
	maxListRoles    = 20
	maxListAccounts = 1000
)

func (m *qchatAccessListModel) list() client.WhiteBlackListRef {
	return client.WhiteBlackListRef{
		ServerID: mustID(m.ServerID), ChannelID: mustID(m.ChannelID),
		Operator: m.Operator.ValueString(), Type: accessListKinds.wire(m.Kind.ValueString()),
	}
}

// checkKind refuses a list that the channel's visibility does not apply.
func (r *qchatAccessListResource) checkKind(ctx context.Context, m *qchatAccessListModel) diag.Diagnostics {
	var diags diag.Diagnostics
	ch, err := r.client.QChat.GetChannel(ctx, mustID(m.ChannelID))
	if err != nil {
		diags.Append(apiErrorDiag("Cannot read the channel of the access list", err))
		return diags
	}
	kind := m.Kind.ValueString()
	if want := accessListVisibility.wire(kind); ch.ViewMode != want {
		vis, _ := channelVisibilities.name(ch.ViewMode)
		other := "allowlist"
		if kind == "allowlist" {
			other = "blocklist"
		}
		diags.AddAttributeError(path.Root("kind"), "Access list does not fit the channel",
			fmt.Sprintf("Channel %d is %s, so NIM ignores its %s. Use kind = %q, or change the channel's visibility.",
				ch.ID, vis, kind, other))
	}
	return diags
}

// readLists returns the role ids and accounts on the list now.
func (r *qchatAccessListResource) readLists(ctx context.Context, list client.WhiteBlackListRef) ([]string, []string, error) {
	roles, err := r.client.QChat.ListWhiteBlackRoles(ctx, list)
	if err != nil {
		return nil, nil, err
	}
	users, err := r.client.QChat.ListWhiteBlackUsers(ctx, list)
	if err != nil {
		return nil, nil, err
	}
	roleIDs := make([]string, 0, len(roles))
	for _, role := range roles {
		roleIDs = append(roleIDs, strconv.FormatInt(role.ID, 10))
	}
	accids := make([]string, 0, len(users))
	for _, u := range users {
		accids = append(accids, u.Accid)
	}
	return roleIDs, accids, nil
}

func (m *qchatAccessListModel) setLists(roleIDs, accids []string) diag.Diagnostics {
	var diags, d diag.Diagnostics
	m.RoleIDs, d = types.SetValueFrom(context.Background(), types.StringType, roleIDs)
	diags.Append(d...)
	m.Accids, d = types.SetValueFrom(context.Background(), types.StringType, accids)
	diags.Append(d...)
	m.ID = types.StringValue(fmt.Sprintf("%s/%s/%s", m.ServerID.ValueString(), m.ChannelID.ValueString(), m.Kind.ValueString()))
	return diags
}

func setStrings(s types.Set) []string {
	out := make([]string, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		if v, ok := e.(types.String); ok && !v.IsNull() && !v.IsUnknown() {
			out = append(out, v.ValueString())
		}
	}
	sort.Strings(out)
	return out
}

// diff returns what is in want but not in have, and what is in have but not in want.
func diff(want, have []string) (add, remove []string) {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	w, h := in(want), in(have)
	for _, x := range want {
		if !h[x] {
			add = append(add, x)
		}
	}
	for _, x := range have {
		if !w[x] {
			remove = append(remove, x)
		}
	}
	return add, remove
}

// apply moves the list from have to the planned sets, sending only the
// changes. On failure the list is read again, so the state records exactly
// what is on it and nothing half-applied goes unseen.
func (r *qchatAccessListResource) apply(ctx context.Context, plan *qchatAccessListModel, haveRoles, haveAccids []string) (diag.Diagnostics, error) {
	var diags diag.Diagnostics
	list := plan.list()
	addRoles, removeRoles := diff(setStrings(plan.RoleIDs), haveRoles)
	addAccids, removeAccids := diff(setStrings(plan.Accids), haveAccids)
	err := func() error {
		// Removals first, so a full list has room for the additions.
		for _, id := range removeRoles {
			if err := r.client.QChat.UpdateWhiteBlackRole(ctx, list, client.OpeRemove, idOf(id)); err != nil {
				return err
			}
		}
		if len(removeAccids) > 0 {
			if err := r.client.QChat.UpdateWhiteBlackUsers(ctx, list, client.OpeRemove, removeAccids); err != nil {
				return err
			}
		}
		for _, id := range addRoles {
			if err := r.client.QChat.UpdateWhiteBlackRole(ctx, list, client.OpeAdd, idOf(id)); err != nil {
				return err
			}
		}
		if len(addAccids) > 0 {
			return r.client.QChat.UpdateWhiteBlackUsers(ctx, list, client.OpeAdd, addAccids)
		}
		return nil
	}()
	if err == nil {
		diags.Append(plan.setLists(setStrings(plan.RoleIDs), setStrings(plan.Accids))...)
		return diags, nil
	}
	diags.Append(apiErrorDiag("Cannot update the channel access list", err))
	roles, accids, rerr := r.readLists(ctx, list)
	if rerr != nil {
		roles, accids = haveRoles, haveAccids
		diags.AddWarning("The access list could not be read back", "The state may not match NIM until the next refresh: "+rerr.Error())
	}
	diags.Append(plan.setLists(roles, accids)...)
	return diags, err
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = &qchatRoleResource{}
	_ resource.ResourceWithImportState = &qchatRoleResource{}
	_ resource.ResourceWithIdentity    = &qchatRoleResource{}
)

func NewQChatRoleResource() resource.Resource { return &qchatRoleResource{} }

type qchatRoleResource struct{ qchatResource }

type qchatRoleModel struct {
	ID          types.String `tfsdk:"id"`
	ServerID    types.String `tfsdk:"server_id"`
	Operator    types.String `tfsdk:"operator"`
	Name        types.String `tfsdk:"name"`
	Icon        types.String `tfsdk:"icon"`
	Ext         types.String `tfsdk:"ext"`
	Priority    types.Int64  `tfsdk:"priority"`
	Permissions types.Object `tfsdk:"permissions"`
}

func (r *qchatRoleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_role"
}

func (r *qchatRoleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A custom server role of a QChat server (`qchat/createServerIdentify`, identify `type` 2). " +
			"A new role starts from the @everyone role's permissions; `permissions` then sets those it manages " +
			"(`updateServerIdentify`). Use `nim_qchat_everyone_role` for the @everyone role itself.",
		Attributes: map[string]schema.Attribute{
			"id":        idAttribute("Role id (`roleId`)."),
			"server_id": parentIDAttribute("Id of the server (`serverId`)."),
			"operator":  operatorAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "Role name (`name`), 1 to 64 characters.",
				Required:            true,
				Validators:          []validator.String{lengthBetween(1, 64)},
			},
			"icon": optionalString("Icon URL (`icon`), at most 1024 characters.", 1024),
			"ext":  optionalString("Custom extension data (`ext`), at most 1024 characters.", 1024),
			"priority": schema.Int64Attribute{
				MarkdownDescription: "Priority (`priority`): a smaller number is a higher priority, 1 the highest " +
					"(@everyone is 0 and not compared). Chosen by NIM when left out. The API cannot change it, so a " +
					"new value replaces the role.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), int64planmodifier.RequiresReplace()},
			},
		},
		Blocks: map[string]schema.Block{"permissions": serverPermissions.schema("the role")},
	}
}

func (r *qchatRoleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = qchatRoleIdentity.schema()
}

func (r *qchatRoleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan qchatRoleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID := mustID(plan.ServerID)
	operator, err := r.resolveOperator(ctx, plan.Operator, serverID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the role's QChat server", err))
		return
	}
	plan.Operator = types.StringValue(operator)
	create := &client.CreateServerRoleRequest{
		ServerID: serverID,
		Operator: operator,
		Name:     plan.Name.ValueString(),
		Icon:     plan.Icon.ValueStringPointer(),
		Ext:      plan.Ext.ValueStringPointer(),
	}
	if !plan.Priority.IsUnknown() {
		create.Priority = plan.Priority.ValueInt64Pointer()
	}
	before, err := snapshotRoles(ctx, r.client, serverID, operator)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot list the server's roles before creating one", err))
		return
	}
	role, err := client.CreateOrAdopt(ctx, client.DefaultCreateAttempts,
		func(ctx context.Context) (*client.ServerRole, error) {
			return r.client.QChat.CreateServerRole(ctx, create)
		},
		findNewRole(r.client, serverID, operator, create.Name, create.Priority, before))
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot create QChat role", err))
		return
	}
	wanted := plan.Permissions
	// From here the role exists: the state must hold it whatever fails next.
	resp.Diagnostics.Append(plan.fromAPI(role, false)...)
	// Deferred first so that it runs last, once the state below is written: the identity is copied from it.
	defer qchatRoleIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...) }()

	auths := serverPermissions.toAPI(wanted, plan.Permissions)
	if len(auths) == 0 || resp.Diagnostics.HasError() {
		return
	}
	role, err = r.client.QChat.UpdateServerRole(ctx, &client.UpdateServerRoleRequest{
		ServerID: serverID, RoleID: role.ID, Operator: operator, Auths: auths,
	})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("QChat role created, but setting its permissions failed", err))
		return
	}
	resp.Diagnostics.Append(plan.fromAPI(role, false)...)
}

func (r *qchatRoleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	qchatRoleIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state qchatRoleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID, roleID := mustID(state.ServerID), mustID(state.ID)
	if !r.readOperator(ctx, &state.Operator, serverID, resp, "Cannot read the role's QChat server") {
		return
	}
	role, err := r.client.QChat.GetServerRole(ctx, serverID, roleID, state.Operator.ValueString())
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read QChat role", err))
		return
	}
	if role.Type == client.ServerRoleTypeEveryone {
		resp.Diagnostics.AddError("Not a custom role",
			fmt.Sprintf("Role %d is the @everyone role of server %d; manage it with nim_qchat_everyone_role.", roleID, serverID))
		return
	}
	resp.Diagnostics.Append(state.fromAPI(role, takeImported(ctx, req.Private, resp.Private))...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	qchatRoleIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatRoleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state qchatRoleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	auths := serverPermissions.toAPI(plan.Permissions, state.Permissions)
	upd := &client.UpdateServerRoleRequest{
		ServerID: mustID(state.ServerID),
		RoleID:   mustID(state.ID),
		Operator: plan.Operator.ValueString(),
		Name:     changedString(plan.Name, state.Name),
		Icon:     changedString(plan.Icon, state.Icon),
		Ext:      changedString(plan.Ext, state.Ext),
	}
	if len(auths) > 0 {
		upd.Auths = auths
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if upd.Name != nil || upd.Icon != nil || upd.Ext != nil || upd.Auths != nil {
		role, err := r.client.QChat.UpdateServerRole(ctx, upd)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot update QChat role", err))
			return
		}
		resp.Diagnostics.Append(plan.fromAPI(role, false)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	qchatRoleIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatRoleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state qchatRoleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.QChat.RemoveServerRole(ctx, mustID(state.ServerID), mustID(state.ID), state.Operator.ValueString())
	if err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiag("Cannot remove QChat role", err))
	}
}

func (r *qchatRoleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = qchatRoleIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	id, without := importWithoutPermissions(req.ID, 2)
	ids, err := parseImportID(id, "server_id", "role_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a QChat role as <server_id>/<role_id> (add /no-permissions at the end when the configuration has no permissions block): "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), idString(ids[0]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), idString(ids[1]))...)
	resp.Diagnostics.Append(markImportedUnless(ctx, without, resp.Private)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	qchatRoleIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (m *qchatRoleModel) fromAPI(role *client.ServerRole, imported bool) diag.Diagnostics {
	m.ID = idString(role.ID)
	m.ServerID = idString(role.ServerID)
	m.Name = types.StringValue(role.Name)
	m.Icon = types.StringValue(role.Icon)
	m.Ext = types.StringValue(role.Ext)
	m.Priority = types.Int64Value(role.Priority)
	perms, diags := serverPermissions.read(m.Permissions, imported, role.Auths)
	m.Permissions = perms
	return diags
}

func snapshotRoles(ctx context.Context, c *client.Client, serverID int64, operator string) (idSnapshot, error) {
	roles, err := c.QChat.ListServerRoles(ctx, serverID, operator)
	return snapshotOf(roles, func(r client.ServerRole) int64 { return r.ID }), err
}

func findNewRole(c *client.Client, serverID int64, operator, name string, priority *int64, before idSnapshot) func(context.Context) (*client.ServerRole, bool, error) {
	return func(ctx context.Context) (*client.ServerRole, bool, error) {
		roles, err := c.QChat.ListServerRoles(ctx, serverID, operator)
		if err != nil {
			return nil, false, err
		}
		r, ok := firstNew(roles, before, func(r client.ServerRole) int64 { return r.ID },
			func(r client.ServerRole) bool {
				return r.Type == client.ServerRoleTypeCustom && r.Name == name && (priority == nil || r.Priority == *priority)
			})
		return &r, ok, nil
	}
}

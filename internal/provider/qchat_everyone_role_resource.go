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
	_ resource.ResourceWithConfigure   = &qchatEveryoneRoleResource{}
	_ resource.ResourceWithImportState = &qchatEveryoneRoleResource{}
	_ resource.ResourceWithIdentity    = &qchatEveryoneRoleResource{}
)

func NewQChatEveryoneRoleResource() resource.Resource { return &qchatEveryoneRoleResource{} }

type qchatEveryoneRoleResource struct{ qchatResource }

type qchatEveryoneRoleModel struct {
	ID          types.String `tfsdk:"id"`
	ServerID    types.String `tfsdk:"server_id"`
	Operator    types.String `tfsdk:"operator"`
	RoleID      types.String `tfsdk:"role_id"`
	Permissions types.Object `tfsdk:"permissions"`
}

func (r *qchatEveryoneRoleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_everyone_role"
}

func (r *qchatEveryoneRoleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Adopts the @everyone role of a QChat server (identify `type` 1, priority 0), which NIM " +
			"creates with the server and which cannot be deleted, renamed or reprioritised: only its permissions " +
			"can change, and only by the server's owner. **Destroy only removes it from Terraform state** (with a " +
			"warning); the role and its permissions stay as they are.",
		Attributes: map[string]schema.Attribute{
			"id":        idAttribute("The server id; the resource stands for the one @everyone role of that server."),
			"server_id": parentIDAttribute("Id of the server (`serverId`)."),
			"operator":  operatorAttribute(),
			"role_id":   idAttribute("Id of the @everyone role (`roleId`)."),
		},
		Blocks: map[string]schema.Block{"permissions": serverPermissions.schema("everyone in the server")},
	}
}

func (r *qchatEveryoneRoleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = qchatEveryoneRoleIdentity.schema()
}

func (r *qchatEveryoneRoleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan qchatEveryoneRoleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if summary, err := r.apply(ctx, &plan, plan.Permissions); err != nil {
		resp.Diagnostics.Append(apiErrorDiag(summary, err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	qchatEveryoneRoleIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatEveryoneRoleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	qchatEveryoneRoleIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state qchatEveryoneRoleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID := mustID(state.ServerID)
	if !r.readOperator(ctx, &state.Operator, serverID, resp, "Cannot read the @everyone role") {
		return
	}
	role, err := r.client.QChat.GetEveryoneRole(ctx, serverID, state.Operator.ValueString())
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read the @everyone role", err))
		return
	}
	if err := state.fromAPI(serverID, role, takeImported(ctx, req.Private, resp.Private)); err != nil {
		resp.Diagnostics.AddError("Unexpected @everyone role from the API", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	qchatEveryoneRoleIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatEveryoneRoleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state qchatEveryoneRoleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	auths := serverPermissions.toAPI(plan.Permissions, state.Permissions)
	if len(auths) > 0 {
		role, err := r.client.QChat.UpdateServerRole(ctx, &client.UpdateServerRoleRequest{
			ServerID: mustID(state.ServerID), RoleID: mustID(state.RoleID), Operator: plan.Operator.ValueString(), Auths: auths,
		})
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot update the @everyone role's permissions", err))
			return
		}
		if err := plan.fromAPI(mustID(state.ServerID), role, false); err != nil {
			resp.Diagnostics.AddError("Unexpected @everyone role from the API", err.Error())
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	qchatEveryoneRoleIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatEveryoneRoleResource) Delete(_ context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddWarning("The @everyone role was only removed from Terraform state",
		"NIM cannot delete a server's @everyone role. It keeps its current permissions; destroy the server to remove it.")
}

func (r *qchatEveryoneRoleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = qchatEveryoneRoleIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	id, without := importWithoutPermissions(req.ID, 1)
	ids, err := parseImportID(id, "server_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a server's @everyone role by the server id (add /no-permissions at the end when the configuration has no permissions block): "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("server_id"), idString(ids[0]))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), idString(ids[0]))...)
	resp.Diagnostics.Append(markImportedUnless(ctx, without, resp.Private)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	qchatEveryoneRoleIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (m *qchatEveryoneRoleModel) fromAPI(serverID int64, role *client.ServerRole, imported bool) error {
	m.ID = idString(serverID)
	m.ServerID = idString(serverID)
	m.RoleID = idString(role.ID)
	perms, diags := serverPermissions.read(m.Permissions, imported, role.Auths)
	if diags.HasError() {
		return fmt.Errorf("%v", diags)
	}
	m.Permissions = perms
	return nil
}

// apply reads the @everyone role, sends the permissions that differ from
// the wanted ones, and records the result in m.
func (r *qchatEveryoneRoleResource) apply(ctx context.Context, m *qchatEveryoneRoleModel, wanted types.Object) (string, error) {
	serverID := mustID(m.ServerID)
	operator, err := r.resolveOperator(ctx, m.Operator, serverID)
	if err != nil {
		return "Cannot read the QChat server", err
	}
	m.Operator = types.StringValue(operator)
	role, err := r.client.QChat.GetEveryoneRole(ctx, serverID, operator)
	if err != nil {
		return "Cannot read the @everyone role", err
	}
	current, _ := serverPermissions.fromAPI(role.Auths)
	auths := serverPermissions.toAPI(wanted, current)
	if len(auths) > 0 {
		role, err = r.client.QChat.UpdateServerRole(ctx, &client.UpdateServerRoleRequest{
			ServerID: serverID, RoleID: role.ID, Operator: operator, Auths: auths,
		})
		if err != nil {
			return "Cannot update the @everyone role's permissions", err
		}
	}
	if err := m.fromAPI(serverID, role, false); err != nil {
		return "Unexpected @everyone role from the API", err
	}
	return "", nil
}

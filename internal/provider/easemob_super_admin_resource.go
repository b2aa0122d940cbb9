package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

var (
	_ resource.ResourceWithConfigure   = &easemobSuperAdminResource{}
	_ resource.ResourceWithImportState = &easemobSuperAdminResource{}
	_ resource.ResourceWithIdentity    = &easemobSuperAdminResource{}
)

func NewEasemobSuperAdminResource() resource.Resource { return &easemobSuperAdminResource{} }

type easemobSuperAdminResource struct{ easemobResourceBase }

type easemobSuperAdminModel struct {
	ID       types.String `tfsdk:"id"`
	Username types.String `tfsdk:"username"`
}

func (r *easemobSuperAdminResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_easemob_super_admin"
}

func (r *easemobSuperAdminResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One app-wide chatroom super admin of the Easemob application, a user who may create " +
			"chatrooms from the client SDKs (`POST /chatrooms/super_admin`, read with `GET /chatrooms/super_admin`, " +
			"removed with `DELETE /chatrooms/super_admin/{username}`). A super admin removed outside Terraform is drift, " +
			"and apply adds it again. Destroy removes the right; the user stays.",
		Attributes: map[string]schema.Attribute{
			"id":       idAttribute("The username, which is also the import id."),
			"username": easemobUserAttribute("The user."),
		},
	}
}

func (r *easemobSuperAdminResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = easemobSuperAdminIdentity.schema()
}

func (r *easemobSuperAdminResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan easemobSuperAdminModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	user := plan.Username.ValueString()
	plan.ID = plan.Username
	if is, err := r.isSuperAdmin(ctx, user); err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read the Easemob super admins", err))
		return
	} else if is {
		resp.Diagnostics.Append(alreadyExistsDiag("super admin "+user, user))
		return
	}
	err, record := addOnce(ctx,
		func(ctx context.Context) error { _, err := r.client.SuperAdmins.Add(ctx, user); return err },
		func(ctx context.Context) (bool, error) { return r.isSuperAdmin(ctx, user) })
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot add the Easemob super admin", err))
		if !record {
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	easemobSuperAdminIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *easemobSuperAdminResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	easemobSuperAdminIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state easemobSuperAdminModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	is, err := r.isSuperAdmin(ctx, state.Username.ValueString())
	if err != nil {
		resp.Diagnostics.Append(userErrorDiag("Cannot read the Easemob super admins", err))
		return
	}
	if !is {
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = state.Username
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	easemobSuperAdminIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// Update is never called, since every attribute replaces the resource;
// it would only record the plan.
func (r *easemobSuperAdminResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan easemobSuperAdminModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	easemobSuperAdminIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *easemobSuperAdminResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state easemobSuperAdminModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// 404: the user is no super admin (any more), or no longer exists.
	if _, err := r.client.SuperAdmins.Remove(ctx, state.Username.ValueString()); err != nil && !easemob.IsNotFound(err) {
		resp.Diagnostics.Append(userErrorDiag("Cannot remove the Easemob super admin", err))
	}
}

func (r *easemobSuperAdminResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = easemobSuperAdminIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !easemobUserPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import id", "Import a super admin by the username, "+easemobUserRule+"; got "+req.ID)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("username"), req.ID)...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	easemobSuperAdminIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *easemobSuperAdminResource) isSuperAdmin(ctx context.Context, user string) (bool, error) {
	l, err := r.client.SuperAdmins.ListAll(ctx)
	if err != nil {
		return false, err
	}
	return slices.Contains(lowerAll(l.Users), user), nil
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = &qchatServerResource{}
	_ resource.ResourceWithImportState = &qchatServerResource{}
	_ resource.ResourceWithIdentity    = &qchatServerResource{}
)

func NewQChatServerResource() resource.Resource { return &qchatServerResource{} }

type qchatServerResource struct{ qchatResource }

type qchatServerModel struct {
	ID                     types.String `tfsdk:"id"`
	Owner                  types.String `tfsdk:"owner"`
	Operator               types.String `tfsdk:"operator"`
	Name                   types.String `tfsdk:"name"`
	Icon                   types.String `tfsdk:"icon"`
	Custom                 types.String `tfsdk:"custom"`
	InviteRequiresApproval types.Bool   `tfsdk:"invite_requires_approval"`
	ApplyRequiresApproval  types.Bool   `tfsdk:"apply_requires_approval"`
	EveryoneRoleID         types.String `tfsdk:"everyone_role_id"`
}

func (r *qchatServerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_server"
}

func (r *qchatServerResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A QChat (圈组) server (`qchat/createServer`). Creating it also creates the server's " +
			"@everyone role, whose id is exported as `everyone_role_id`; manage its permissions with `nim_qchat_everyone_role`. " +
			"Destroying the server removes its channels and roles too.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("Server id (`serverId`)."),
			"owner": schema.StringAttribute{
				MarkdownDescription: "Account (accid) that creates and owns the server (`accid` of `createServer`). Changing it replaces the server.",
				Required:            true,
				Validators:          []validator.String{lengthBetween(1, 32)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"operator": schema.StringAttribute{
				MarkdownDescription: "Account (accid) that performs updates and the removal (`accid`). Defaults to `owner`. " +
					"Changing it changes no object in NIM.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{lengthBetween(1, 32)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Server name (`name`), 1 to 64 characters.",
				Required:            true,
				Validators:          []validator.String{lengthBetween(1, 64)},
			},
			"icon":   optionalString("Icon URL (`icon`), at most 1024 characters.", 1024),
			"custom": optionalString("Custom extension data (`custom`), at most 1024 characters.", 1024),
			"invite_requires_approval": schema.BoolAttribute{
				MarkdownDescription: "Whether an invited account must accept before joining (`inviteMode`: `true` = 0, `false` = 1). Default `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"apply_requires_approval": schema.BoolAttribute{
				MarkdownDescription: "Whether an application to join must be approved (`applyMode`: `false` = 0, `true` = 1). Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"everyone_role_id": idAttribute("Id of the server's @everyone role (identify `type` 1), created with the server."),
		},
	}
}

func (r *qchatServerResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = qchatServerIdentity.schema()
}

func (r *qchatServerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan qchatServerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	owner, name := plan.Owner.ValueString(), plan.Name.ValueString()
	before, err := snapshotServers(ctx, r.client, owner)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot list the owner's QChat servers before creating one", err))
		return
	}
	create := &client.CreateServerRequest{
		Owner:      owner,
		Name:       &name,
		Icon:       plan.Icon.ValueStringPointer(),
		Custom:     plan.Custom.ValueStringPointer(),
		InviteMode: intPtr(inviteMode(plan.InviteRequiresApproval.ValueBool())),
		ApplyMode:  intPtr(applyMode(plan.ApplyRequiresApproval.ValueBool())),
	}
	srv, err := client.CreateOrAdopt(ctx, client.DefaultCreateAttempts,
		func(ctx context.Context) (*client.Server, error) { return r.client.QChat.CreateServer(ctx, create) },
		findNewServer(r.client, owner, name, before))
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot create QChat server", err))
		return
	}
	plan.fromAPI(srv)
	plan.EveryoneRoleID = types.StringNull()
	// Deferred first so that it runs last, once the state below is written: the identity is copied from it.
	defer qchatServerIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...) }()

	id, err := r.everyoneRoleID(ctx, srv.ID, plan.Operator.ValueString())
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("QChat server created, but its @everyone role could not be read", err))
		return
	}
	plan.EveryoneRoleID = idString(id)
}

func (r *qchatServerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	qchatServerIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state qchatServerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	srv, err := r.client.QChat.GetServer(ctx, mustID(state.ID))
	if client.IsNotFound(err) || (err == nil && srv.ValidFlag == 0) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read QChat server", err))
		return
	}
	state.fromAPI(srv)
	if state.EveryoneRoleID.IsNull() { // after import, or a create that stopped half-way
		id, err := r.everyoneRoleID(ctx, srv.ID, state.Operator.ValueString())
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot read the QChat server's @everyone role", err))
			return
		}
		state.EveryoneRoleID = idString(id)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	qchatServerIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatServerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state qchatServerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	upd := &client.UpdateServerRequest{
		ServerID: mustID(state.ID),
		Operator: plan.Operator.ValueString(),
		Name:     changedString(plan.Name, state.Name),
		Icon:     changedString(plan.Icon, state.Icon),
		Custom:   changedString(plan.Custom, state.Custom),
	}
	if !plan.InviteRequiresApproval.Equal(state.InviteRequiresApproval) {
		upd.InviteMode = intPtr(inviteMode(plan.InviteRequiresApproval.ValueBool()))
	}
	if !plan.ApplyRequiresApproval.Equal(state.ApplyRequiresApproval) {
		upd.ApplyMode = intPtr(applyMode(plan.ApplyRequiresApproval.ValueBool()))
	}
	if upd.Name != nil || upd.Icon != nil || upd.Custom != nil || upd.InviteMode != nil || upd.ApplyMode != nil {
		srv, err := r.client.QChat.UpdateServer(ctx, upd)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot update QChat server", err))
			return
		}
		plan.fromAPI(srv)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	qchatServerIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatServerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state qchatServerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.QChat.RemoveServer(ctx, mustID(state.ID), state.Operator.ValueString())
	if err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiag("Cannot remove QChat server", err))
	}
}

func (r *qchatServerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = qchatServerIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ids, err := parseImportID(req.ID, "server_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a QChat server by its server id: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), idString(ids[0]))...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	qchatServerIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// inviteMode and applyMode map the readable booleans to the API's numbers.
func inviteMode(requiresApproval bool) int {
	if requiresApproval {
		return 0
	}
	return 1
}

func applyMode(requiresApproval bool) int {
	if requiresApproval {
		return 1
	}
	return 0
}

func (m *qchatServerModel) fromAPI(s *client.Server) {
	m.ID = idString(s.ID)
	m.Owner = types.StringValue(s.Owner)
	m.Name = types.StringValue(s.Name)
	m.Icon = types.StringValue(s.Icon)
	m.Custom = types.StringValue(s.Custom)
	m.InviteRequiresApproval = types.BoolValue(s.InviteMode == 0)
	m.ApplyRequiresApproval = types.BoolValue(s.ApplyMode == 1)
	if m.Operator.IsNull() || m.Operator.IsUnknown() {
		m.Operator = types.StringValue(s.Owner)
	}
}

func (r *qchatServerResource) everyoneRoleID(ctx context.Context, serverID int64, operator string) (int64, error) {
	role, err := r.client.QChat.GetEveryoneRole(ctx, serverID, operator)
	if err != nil {
		return 0, err
	}
	return role.ID, nil
}

func snapshotServers(ctx context.Context, c *client.Client, owner string) (idSnapshot, error) {
	servers, err := c.QChat.ListServers(ctx, owner)
	return snapshotOf(servers, func(s client.Server) int64 { return s.ID }), err
}

func findNewServer(c *client.Client, owner, name string, before idSnapshot) func(context.Context) (*client.Server, bool, error) {
	return func(ctx context.Context) (*client.Server, bool, error) {
		servers, err := c.QChat.ListServers(ctx, owner)
		if err != nil {
			return nil, false, err
		}
		s, ok := firstNew(servers, before, func(s client.Server) int64 { return s.ID },
			func(s client.Server) bool { return s.Owner == owner && s.Name == name && s.ValidFlag != 0 })
		return &s, ok, nil
	}
}

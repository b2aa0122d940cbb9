package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = &qchatChannelResource{}
	_ resource.ResourceWithImportState = &qchatChannelResource{}
	_ resource.ResourceWithIdentity    = &qchatChannelResource{}
)

func NewQChatChannelResource() resource.Resource { return &qchatChannelResource{} }

type qchatChannelResource struct{ qchatResource }

type qchatChannelModel struct {
	ID         types.String `tfsdk:"id"`
	ServerID   types.String `tfsdk:"server_id"`
	Operator   types.String `tfsdk:"operator"`
	Owner      types.String `tfsdk:"owner"`
	Name       types.String `tfsdk:"name"`
	Topic      types.String `tfsdk:"topic"`
	Custom     types.String `tfsdk:"custom"`
	Type       types.String `tfsdk:"type"`
	Visibility types.String `tfsdk:"visibility"`
}

func (r *qchatChannelResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_qchat_channel"
}

func (r *qchatChannelResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A channel of a QChat server (`qchat/createChannel`). A public channel is visible to every " +
			"member except those on its block list; a private one only to those on its allow list.",
		Attributes: map[string]schema.Attribute{
			"id":        idAttribute("Channel id (`channelId`)."),
			"server_id": parentIDAttribute("Id of the server the channel belongs to (`serverId`)."),
			"operator":  operatorAttribute(),
			"owner": schema.StringAttribute{
				MarkdownDescription: "Account (accid) that creates and owns the channel (`accid` of `createChannel`). " +
					"Defaults to the server's owner. Changing it replaces the channel.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{lengthBetween(1, 32)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Channel name (`name`), 1 to 64 characters.",
				Required:            true,
				Validators:          []validator.String{lengthBetween(1, 64)},
			},
			"topic":  optionalString("Channel topic (`topic`), at most 64 characters.", 64),
			"custom": optionalString("Custom extension data (`custom`), at most 1024 characters.", 1024),
			"type": schema.StringAttribute{
				MarkdownDescription: "Channel type (`type`): " + channelTypes.describe() + ". Default `message`. Changing it replaces the channel.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("message"),
				Validators:          []validator.String{stringvalidator.OneOf(channelTypes.values()...)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"visibility": schema.StringAttribute{
				MarkdownDescription: "Who can see the channel (`viewMode`): " + channelVisibilities.describe() +
					". A public channel applies its block list, a private one its allow list. Default `public`.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString("public"),
				Validators: []validator.String{stringvalidator.OneOf(channelVisibilities.values()...)},
			},
		},
	}
}

func (r *qchatChannelResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = qchatChannelIdentity.schema()
}

func (r *qchatChannelResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan qchatChannelModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serverID := mustID(plan.ServerID)
	if plan.Operator.IsUnknown() || plan.Owner.IsUnknown() {
		owner, err := r.resolveOperator(ctx, types.StringNull(), serverID)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot read the channel's QChat server", err))
			return
		}
		if plan.Operator.IsUnknown() {
			plan.Operator = types.StringValue(owner)
		}
		if plan.Owner.IsUnknown() {
			plan.Owner = types.StringValue(owner)
		}
	}
	before, err := snapshotChannels(ctx, r.client, serverID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot list the server's channels before creating one", err))
		return
	}
	create := &client.CreateChannelRequest{
		ServerID: serverID,
		Operator: plan.Owner.ValueString(),
		Type:     channelTypes.wire(plan.Type.ValueString()),
		Name:     plan.Name.ValueStringPointer(),
		Topic:    plan.Topic.ValueStringPointer(),
		Custom:   plan.Custom.ValueStringPointer(),
		ViewMode: intPtr(channelVisibilities.wire(plan.Visibility.ValueString())),
	}
	ch, err := client.CreateOrAdopt(ctx, client.DefaultCreateAttempts,
		func(ctx context.Context) (*client.Channel, error) { return r.client.QChat.CreateChannel(ctx, create) },
		findNewChannel(r.client, serverID, plan.Name.ValueString(), create.Type, before))
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot create QChat channel", err))
		return
	}
	resp.Diagnostics.Append(plan.fromAPI(ch)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	qchatChannelIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatChannelResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	qchatChannelIdentity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	var state qchatChannelModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ch, err := r.client.QChat.GetChannel(ctx, mustID(state.ID))
	if client.IsNotFound(err) || (err == nil && ch.ValidFlag == 0) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag("Cannot read QChat channel", err))
		return
	}
	resp.Diagnostics.Append(state.fromAPI(ch)...)
	if !r.readOperator(ctx, &state.Operator, ch.ServerID, resp, "Cannot read the channel's QChat server") {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	qchatChannelIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatChannelResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state qchatChannelModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	upd := &client.UpdateChannelRequest{
		ChannelID: mustID(state.ID),
		Operator:  plan.Operator.ValueString(),
		Name:      changedString(plan.Name, state.Name),
		Topic:     changedString(plan.Topic, state.Topic),
		Custom:    changedString(plan.Custom, state.Custom),
	}
	if !plan.Visibility.Equal(state.Visibility) {
		upd.ViewMode = intPtr(channelVisibilities.wire(plan.Visibility.ValueString()))
	}
	if upd.Name != nil || upd.Topic != nil || upd.Custom != nil || upd.ViewMode != nil {
		ch, err := r.client.QChat.UpdateChannel(ctx, upd)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag("Cannot update QChat channel", err))
			return
		}
		resp.Diagnostics.Append(plan.fromAPI(ch)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	qchatChannelIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *qchatChannelResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state qchatChannelModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.client.QChat.RemoveChannel(ctx, mustID(state.ID), state.Operator.ValueString())
	if err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiag("Cannot remove QChat channel", err))
	}
}

func (r *qchatChannelResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	req.ID = qchatChannelIdentity.importID(ctx, req, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ids, err := parseImportID(req.ID, "channel_id")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", "Import a QChat channel by its channel id: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), idString(ids[0]))...)
	// Import by id sets the identity too: a Read that then finds no object
	// still answers one, which the framework requires of every Read.
	qchatChannelIdentity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (m *qchatChannelModel) fromAPI(ch *client.Channel) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = idString(ch.ID)
	m.ServerID = idString(ch.ServerID)
	m.Owner = types.StringValue(ch.Owner)
	m.Name = types.StringValue(ch.Name)
	m.Topic = types.StringValue(ch.Topic)
	m.Custom = types.StringValue(ch.Custom)
	typ, err := channelTypes.name(ch.Type)
	if err != nil {
		diags.AddAttributeError(path.Root("type"), "Unexpected channel type from the API", err.Error())
	}
	m.Type = types.StringValue(typ)
	vis, err := channelVisibilities.name(ch.ViewMode)
	if err != nil {
		diags.AddAttributeError(path.Root("visibility"), "Unexpected channel view mode from the API", err.Error())
	}
	m.Visibility = types.StringValue(vis)
	return diags
}

func snapshotChannels(ctx context.Context, c *client.Client, serverID int64) (idSnapshot, error) {
	channels, err := c.QChat.ListChannels(ctx, serverID)
	return snapshotOf(channels, func(ch client.Channel) int64 { return ch.ID }), err
}

func findNewChannel(c *client.Client, serverID int64, name string, typ int, before idSnapshot) func(context.Context) (*client.Channel, bool, error) {
	return func(ctx context.Context) (*client.Channel, bool, error) {
		channels, err := c.QChat.ListChannels(ctx, serverID)
		if err != nil {
			return nil, false, err
		}
		ch, ok := firstNew(channels, before, func(ch client.Channel) int64 { return ch.ID },
			func(ch client.Channel) bool { return ch.Name == name && ch.Type == typ && ch.ValidFlag != 0 })
		return &ch, ok, nil
	}
}

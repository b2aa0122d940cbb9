package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// channelOverrideResource is the shared core of the resources that override
// permissions inside one QChat channel: nim_qchat_channel_role (for a server
// role) and nim_qchat_channel_member_permissions (for an account). Both
// create the override (failing when one exists already, adopting only
// after their own create had an unknown outcome), send only the
// permissions whose planned value differs, read it back from the channel's
// listing and delete it; they differ only in the API calls (ops) and the
// words of their diagnostics (text).
//
// T is the API object, M the resource's model and PM a pointer to it.
type channelOverrideResource[T any, M any, PM channelOverrideModel[T, M]] struct {
	qchatResource
	ops  func(c *client.Client, m PM) channelOverrideOps[T]
	text channelOverrideText
	// identity is the resource's identity, copied from the state that
	// Create, Read and Update write.
	identity identitySpec
}

// channelOverrideModel is what the shared core needs of a model.
type channelOverrideModel[T any, M any] interface {
	*M
	serverID() int64
	operator() *types.String
	permissions() *types.Object
	fromAPI(o *T, imported bool) diag.Diagnostics
	// existing names the override the model holds, and its import id, for
	// the error of a create that finds it already there.
	existing() (what, importID string)
	// lockKey names the override before it exists (createLocks).
	lockKey() string
}

// channelOverrideOps are the API calls of one override. They read the ids
// and the operator from the model when they run, so that they see what
// Create has learned by then (the operator, the new override's id).
type channelOverrideOps[T any] struct {
	create func(context.Context) (*T, error)
	find   func(context.Context) (*T, error) // the override of the key: looked up before Create, adopted only after an unknown outcome
	get    func(context.Context) (*T, error) // the override state holds
	update func(context.Context, client.Permissions) (*T, error)
	remove func(context.Context) error
}

// channelOverrideText are the summaries of the diagnostics of one resource.
type channelOverrideText struct {
	typeName                                            string
	server, create, createdNotSet, read, update, delete string
}

func (r *channelOverrideResource[T, M, PM]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan := PM(new(M))
	resp.Diagnostics.Append(req.Plan.Get(ctx, plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	operator, err := r.resolveOperator(ctx, *plan.operator(), plan.serverID())
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(r.text.server, err))
		return
	}
	*plan.operator() = types.StringValue(operator)
	ops := r.ops(r.client, plan)
	// Look before creating: an override that is already there was not made
	// by this resource and is never taken over.
	defer createLocks.lock(r.text.typeName + "/" + plan.lockKey())()
	if o, err := ops.find(ctx); err == nil {
		resp.Diagnostics.Append(r.existsDiag(plan, o))
		return
	} else if !client.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiag(r.text.read, err))
		return
	}
	o, err := createUnique(ctx, ops.create, ops.find)
	if client.IsDuplicate(err) { // made by someone else since the lookup
		if found, ferr := ops.find(ctx); ferr == nil {
			resp.Diagnostics.Append(r.existsDiag(plan, found))
			return
		}
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(r.text.create, err))
		return
	}
	wanted := *plan.permissions()
	resp.Diagnostics.Append(plan.fromAPI(o, false)...)
	// Deferred first so that it runs last, once the state below is written: the identity is copied from it.
	defer r.identity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
	defer func() { resp.Diagnostics.Append(resp.State.Set(ctx, plan)...) }()

	auths := channelPermissions.toAPI(wanted, *plan.permissions())
	if len(auths) == 0 || resp.Diagnostics.HasError() {
		return
	}
	o, err = ops.update(ctx, auths)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(r.text.createdNotSet, err))
		return
	}
	resp.Diagnostics.Append(plan.fromAPI(o, false)...)
}

// existsDiag is the error of a create that found the override o there.
func (r *channelOverrideResource[T, M, PM]) existsDiag(plan PM, o *T) diag.Diagnostic {
	found := PM(new(M))
	*found = *plan
	found.fromAPI(o, false)
	what, id := found.existing()
	return alreadyExists(r.text.typeName, what, id)
}

func (r *channelOverrideResource[T, M, PM]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The identity of the object in state, first: a Read that finds it gone
	// must still answer one, and Terraform before 1.12 sends none.
	r.identity.set(ctx, &req.State, resp.Identity, &resp.Diagnostics)
	state := PM(new(M))
	resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.readOperator(ctx, state.operator(), state.serverID(), resp, r.text.read) {
		return
	}
	o, err := r.ops(r.client, state).get(ctx)
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(r.text.read, err))
		return
	}
	resp.Diagnostics.Append(state.fromAPI(o, takeImported(ctx, req.Private, resp.Private))...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	r.identity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// Update sends the changed permissions. The operator is the planned one,
// the ids the state's (they never change in place).
func (r *channelOverrideResource[T, M, PM]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, state := PM(new(M)), PM(new(M))
	resp.Diagnostics.Append(req.Plan.Get(ctx, plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	auths := channelPermissions.toAPI(*plan.permissions(), *state.permissions())
	if resp.Diagnostics.HasError() {
		return
	}
	if len(auths) > 0 {
		*state.operator() = *plan.operator()
		o, err := r.ops(r.client, state).update(ctx, auths)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag(r.text.update, err))
			return
		}
		planned := *plan
		resp.Diagnostics.Append(plan.fromAPI(o, false)...)
		if k, ok := any(plan).(plannedKeeper[M]); ok {
			k.keepPlanned(&planned)
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	r.identity.set(ctx, &resp.State, resp.Identity, &resp.Diagnostics)
}

// plannedKeeper is a model with computed values planned from state that
// apply must return as planned, even when the API's answer already shows a
// change made by another resource in the same apply (the next refresh
// reads it).
type plannedKeeper[M any] interface {
	keepPlanned(planned *M)
}

func (r *channelOverrideResource[T, M, PM]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state := PM(new(M))
	resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.ops(r.client, state).remove(ctx); err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiag(r.text.delete, err))
	}
}

// Command floorprovider is the framework's own floor for nimbench: a
// plugin-framework provider with exactly the provider schema and the
// nim_chatroom schema of terraform-provider-nim (the same attributes,
// defaults, validators and plan modifiers, taken from internal/provider),
// served the same way, whose Read does no I/O and leaves the state as it is.
// Refreshing a workspace with it costs what Terraform and the framework cost
// for those resources; what the real provider takes beyond that and the
// API's latency is its own code's share.
//
// nimbench builds it as terraform-provider-nim into a directory of its own
// and points a dev_overrides CLI configuration at it, so that the very
// workspace and state of the real provider are planned with it.
package main

import (
	"context"
	"log"
	"os"
	"strconv"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"golang.org/x/time/rate"

	"github.com/nimtf/terraform-provider-nim/internal/pluginserve"
	nim "github.com/nimtf/terraform-provider-nim/internal/provider"
)

func main() {
	// Served by the code that serves the real provider, so that both log
	// (or stay quiet) alike.
	err := pluginserve.Serve(context.Background(), func() provider.Provider { return &floorProvider{real: nim.New("floor")()} },
		"registry.terraform.io/nimtf/nim", false)
	if err != nil {
		log.Fatal(err.Error())
	}
}

type floorProvider struct{ real provider.Provider }

func (p *floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "nim"
}

func (p *floorProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	p.real.Schema(ctx, req, resp)
}

// Configure builds no client: nothing is ever called.
func (p *floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource {
		withIdentity, ok := nim.NewChatroomResource().(resource.ResourceWithIdentity)
		if !ok {
			panic("nim_chatroom has no identity schema")
		}
		return &floorChatroom{real: withIdentity}
	}}
}

func (p *floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// floorChatroom has the schema and the identity schema of nim_chatroom and
// does no I/O. The identity matters on Terraform 1.12 and later, which keep
// it in the state: without it the floor would cost Terraform less than ours.
type floorChatroom struct{ real resource.ResourceWithIdentity }

var _ resource.ResourceWithIdentity = &floorChatroom{}

var lastID atomic.Int64

// pace is the bucket creates wait on, when NIMBENCH_FLOOR_RPS is set.
var pace = func() *rate.Limiter {
	rps, err := strconv.Atoi(os.Getenv("NIMBENCH_FLOOR_RPS"))
	if err != nil || rps <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(rps), 1)
}()

func (r *floorChatroom) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_chatroom"
}

func (r *floorChatroom) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.real.Schema(ctx, req, resp)
}

func (r *floorChatroom) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.real.IdentitySchema(ctx, req, resp)
}

// Read leaves the state and the identity as Terraform sent them (the
// framework copies both).
func (r *floorChatroom) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Create answers the plan with every value left unknown made known (the
// zero value of its type) and a new id, without I/O, and sets the identity
// as nim_chatroom does: room_id is the id.
//
// With NIMBENCH_FLOOR_RPS=r set, creates are paced at exactly r per second,
// one at a time (a bucket that holds one token), so that no one-second window
// holds more than r of them: the apply then shows the least time a provider
// that sends one request per create, at the API's documented limit and never
// above it, could take.
func (r *floorChatroom) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if pace != nil {
		if err := pace.Wait(ctx); err != nil {
			resp.Diagnostics.AddError("floor provider", err.Error())
			return
		}
	}
	raw, err := tftypes.Transform(req.Plan.Raw, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch t := v.Type(); {
		case t.Is(tftypes.String):
			return tftypes.NewValue(t, ""), nil
		case t.Is(tftypes.Number):
			return tftypes.NewValue(t, 0), nil
		case t.Is(tftypes.Bool):
			return tftypes.NewValue(t, false), nil
		default:
			return tftypes.NewValue(t, nil), nil
		}
	})
	if err != nil {
		resp.Diagnostics.AddError("floor provider", err.Error())
		return
	}
	resp.State.Raw = raw
	id := types.StringValue(strconv.FormatInt(lastID.Add(1), 10))
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if resp.Identity != nil {
		resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root("room_id"), id)...)
	}
}

func (r *floorChatroom) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
}

func (r *floorChatroom) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

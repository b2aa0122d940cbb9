// Package provider holds the Terraform semantics of the NIM provider:
// schemas, plan modifiers, validators, CRUD mapping, import and diagnostics.
// Every call to the NIM API goes through internal/client, every call to the
// Easemob API through internal/easemob.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

// Environment variables read when the matching provider attribute is unset.
const (
	EnvAppKey    = "NIM_APP_KEY"
	EnvAppSecret = "NIM_APP_SECRET"
	EnvEndpoint  = "NIM_ENDPOINT"

	EnvEasemobHost         = "EASEMOB_HOST"
	EnvEasemobOrgName      = "EASEMOB_ORG_NAME"
	EnvEasemobAppName      = "EASEMOB_APP_NAME"
	EnvEasemobClientID     = "EASEMOB_CLIENT_ID"
	EnvEasemobClientSecret = "EASEMOB_CLIENT_SECRET"
)

// easemobSettings are the attributes of the provider's easemob block, in
// the order diagnostics name them, with the environment variable each falls
// back to.
var easemobSettings = []struct{ attr, env string }{
	{"host", EnvEasemobHost},
	{"org_name", EnvEasemobOrgName},
	{"app_name", EnvEasemobAppName},
	{"client_id", EnvEasemobClientID},
	{"client_secret", EnvEasemobClientSecret},
}

var _ provider.Provider = &nimProvider{}

// New returns a constructor for the provider, as providerserver and the
// acceptance tests expect.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &nimProvider{version: version} }
}

type nimProvider struct {
	version string
}

type providerModel struct {
	AppKey            types.String  `tfsdk:"app_key"`
	AppSecret         types.String  `tfsdk:"app_secret"`
	Endpoint          types.String  `tfsdk:"endpoint"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	RequestTimeout    types.String  `tfsdk:"request_timeout"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
	BatchReads        types.Bool    `tfsdk:"batch_reads"`
	Easemob           types.Object  `tfsdk:"easemob"`
}

// easemobConfigModel is the provider's easemob block.
type easemobConfigModel struct {
	Host         types.String `tfsdk:"host"`
	OrgName      types.String `tfsdk:"org_name"`
	AppName      types.String `tfsdk:"app_name"`
	ClientID     types.String `tfsdk:"client_id"`
	ClientSecret types.String `tfsdk:"client_secret"`
}

func (m easemobConfigModel) byAttr() map[string]types.String {
	return map[string]types.String{
		"host": m.Host, "org_name": m.OrgName, "app_name": m.AppName,
		"client_id": m.ClientID, "client_secret": m.ClientSecret,
	}
}

func (p *nimProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "nim"
	resp.Version = p.version
}

func (p *nimProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages NetEase Yunxin IM (NIM) chatrooms and QChat servers, channels and roles " +
			"through the NIM server API, and Easemob (环信) chatrooms through the Easemob REST API. Either vendor " +
			"may be configured alone: a configuration that uses only Easemob resources needs no NIM credentials, " +
			"and the reverse.",
		Attributes: map[string]schema.Attribute{
			"app_key": schema.StringAttribute{
				MarkdownDescription: "NIM application key (`AppKey` header). Falls back to the `" + EnvAppKey + "` environment variable. " +
					"Needed, with `app_secret`, only by NIM resources and data sources.",
				Optional: true,
			},
			"app_secret": schema.StringAttribute{
				MarkdownDescription: "NIM application secret, used only to sign requests and never sent, logged or stored. " +
					"Falls back to the `" + EnvAppSecret + "` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the NIM server API. Defaults to `" + client.DefaultEndpoint +
					"`; falls back to the `" + EnvEndpoint + "` environment variable. Plain `http://` is accepted only " +
					"for loopback hosts, such as a local `nimsim` simulator.",
				Optional:   true,
				Validators: []validator.String{endpointValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a failed request is retried (server busy, network "+
					"errors) before the error surfaces, for both vendors. Default %d. Refusals for the rate limit are not "+
					"counted: they are waited out (see `requests_per_second`).", client.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Timeout of one HTTP attempt, as a Go duration such as `30s`, for both vendors. Default `" +
					client.DefaultRequestTimeout.String() + "`.",
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: fmt.Sprintf("Ceiling of the API request rate, in requests per second, shared by "+
					"all resources of a vendor; each vendor's client has its own ceiling of this rate. Default %g for NIM "+
					"(bursts of at most 5 keep any one-second window at or under NIM's limit of 100 requests per "+
					"application, so a lone apply runs close to it) and %g for Easemob (below its limit of 50/s for "+
					"creating and listing chatrooms). Other clients of the same application spend the limit too: when "+
					"the API refuses a request for its rate (NIM code 416, Easemob HTTP 429 `reach_limit`), the provider "+
					"halves its rate, waits out the block of that endpoint (~10 s for NIM; for Easemob, which documents "+
					"none, 1 s of the refused rate class: creating and listing rooms, tokens, or the other calls), and "+
					"raises the rate again while requests succeed, never above this ceiling. A refused request is not "+
					"counted against `max_retries`; it is sent again for up to 2 minutes. Easemob's 429 "+
					"`resource_limited` (the plan's quota) is not a rate and fails at once.",
					client.DefaultRequestsPerSecond, easemob.DefaultRequestsPerSecond),
				Optional:   true,
				Validators: []validator.Float64{float64validator.Between(0.1, 1000)},
			},
			"batch_reads": schema.BoolAttribute{
				MarkdownDescription: "Serve reads that Terraform runs at the same time (a plan's refresh) with the API's " +
					"batch reads: up to 20 chatrooms per `chatroom/getBatch`, up to 200 QChat servers or channels per " +
					"`getServers` / `getChannels`, one role listing per QChat server or channel, and up to 100 Easemob " +
					"chatrooms per `GET /chatrooms/{id,id,...}`. Nothing is " +
					"cached: a batch only gathers reads that wait at the same time, for at most 50 ms. Set `false` " +
					"to make one API call per resource, for comparison or debugging. Default `true`.",
				Optional: true,
			},
		},
		Blocks: map[string]schema.Block{
			"easemob": schema.SingleNestedBlock{
				MarkdownDescription: "The Easemob (环信) application that `nim_easemob_*` resources and data sources manage. " +
					"Every attribute falls back to its environment variable; Easemob counts as configured when this block " +
					"or any of the variables is present, and then all five values are required.",
				Attributes: map[string]schema.Attribute{
					"host": schema.StringAttribute{
						MarkdownDescription: "REST base URL of the app's data centre, as the console shows it, such as " +
							"`https://a1.easemob.com` (China 1) or `https://a1-sgp.easemob.com` (Singapore 1); scheme and host " +
							"only. There is no default: a wrong data centre refuses the app. Plain `http://` is accepted only " +
							"for loopback hosts, such as a local `nimsim` simulator. Falls back to `" + EnvEasemobHost + "`.",
						Optional:   true,
						Validators: []validator.String{easemobHostValidator{}},
					},
					"org_name": schema.StringAttribute{
						MarkdownDescription: "Organisation name, the part of the app key before `#`. Falls back to `" + EnvEasemobOrgName + "`.",
						Optional:            true,
						Validators:          []validator.String{urlSegmentValidator{}},
					},
					"app_name": schema.StringAttribute{
						MarkdownDescription: "App name, the part of the app key after `#`. Falls back to `" + EnvEasemobAppName + "`.",
						Optional:            true,
						Validators:          []validator.String{urlSegmentValidator{}},
					},
					"client_id": schema.StringAttribute{
						MarkdownDescription: "Client ID of the app, used to request the app token. Falls back to `" + EnvEasemobClientID + "`.",
						Optional:            true,
					},
					"client_secret": schema.StringAttribute{
						MarkdownDescription: "Client secret of the app. It is sent only in the token request, and neither it " +
							"nor the token is logged or stored; the token lives in memory only. Falls back to `" +
							EnvEasemobClientSecret + "`.",
						Optional:  true,
						Sensitive: true,
					},
				},
			},
		},
	}
}

func (p *nimProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for attr, v := range map[string]types.String{"app_key": cfg.AppKey, "app_secret": cfg.AppSecret, "endpoint": cfg.Endpoint} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Unknown provider configuration",
				"The provider cannot be configured while "+attr+" is unknown. Set it from a value known at plan time, "+
					"or use the matching environment variable.")
		}
	}
	var em *easemobConfigModel
	switch {
	case cfg.Easemob.IsUnknown():
		resp.Diagnostics.AddAttributeError(path.Root("easemob"), "Unknown provider configuration",
			"The provider cannot be configured while the easemob block is unknown.")
	case !cfg.Easemob.IsNull():
		em = &easemobConfigModel{}
		resp.Diagnostics.Append(cfg.Easemob.As(ctx, em, basetypes.ObjectAsOptions{})...)
		if resp.Diagnostics.HasError() {
			return
		}
		for _, s := range easemobSettings {
			if em.byAttr()[s.attr].IsUnknown() {
				resp.Diagnostics.AddAttributeError(path.Root("easemob").AtName(s.attr), "Unknown provider configuration",
					"The provider cannot be configured while easemob."+s.attr+" is unknown. Set it from a value known "+
						"at plan time, or use the "+s.env+" environment variable.")
			}
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	timeout := client.DefaultRequestTimeout
	if !cfg.RequestTimeout.IsNull() {
		timeout, _ = time.ParseDuration(cfg.RequestTimeout.ValueString())
	}
	retries := int64(client.DefaultMaxRetries)
	if !cfg.MaxRetries.IsNull() {
		retries = cfg.MaxRetries.ValueInt64()
	}
	batchReads := cfg.BatchReads.IsNull() || cfg.BatchReads.IsUnknown() || cfg.BatchReads.ValueBool()
	logger := func(ctx context.Context, msg string, fields map[string]any) {
		tflog.Debug(ctx, msg, readableFields(fields))
	}
	data := &providerData{}

	// Each vendor's client is built only when that vendor is configured;
	// the resources of the other one fail with their accessor's diagnostic.
	appKey := stringOrEnv(cfg.AppKey, EnvAppKey)
	appSecret := stringOrEnv(cfg.AppSecret, EnvAppSecret)
	if appKey != "" || appSecret != "" {
		if appKey == "" || appSecret == "" {
			resp.Diagnostics.AddError("Incomplete NIM credentials",
				"NIM needs both an application key and its secret. Set app_key and app_secret in the provider block, "+
					"or the "+EnvAppKey+" and "+EnvAppSecret+" environment variables.")
			return
		}
		endpoint := stringOrEnv(cfg.Endpoint, EnvEndpoint)
		if endpoint == "" {
			endpoint = client.DefaultEndpoint
		}
		if err := checkEndpoint(endpoint); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid NIM endpoint", err.Error())
			return
		}
		rps := client.DefaultRequestsPerSecond
		if !cfg.RequestsPerSecond.IsNull() {
			rps = cfg.RequestsPerSecond.ValueFloat64()
		}
		c, err := client.New(appKey, appSecret,
			client.WithEndpoint(endpoint),
			client.WithRequestTimeout(timeout),
			client.WithMaxRetries(int(retries)),
			client.WithRequestsPerSecond(rps),
			client.WithBatchReads(batchReads),
			client.WithUserAgent("terraform-provider-nim/"+p.version),
			client.WithLogger(logger),
		)
		if err != nil {
			resp.Diagnostics.AddError("Cannot configure the NIM client", err.Error())
			return
		}
		data.nim = c
	}

	if emCfg, configured := easemobConfig(em, &resp.Diagnostics); configured && !resp.Diagnostics.HasError() {
		rps := easemob.DefaultRequestsPerSecond
		if !cfg.RequestsPerSecond.IsNull() {
			rps = cfg.RequestsPerSecond.ValueFloat64()
		}
		c, err := easemob.New(emCfg,
			easemob.WithRequestTimeout(timeout),
			easemob.WithMaxRetries(int(retries)),
			easemob.WithRequestsPerSecond(rps),
			easemob.WithBatchReads(batchReads),
			easemob.WithUserAgent("terraform-provider-nim/"+p.version),
			easemob.WithLogger(logger),
		)
		if err != nil {
			resp.Diagnostics.AddError("Cannot configure the Easemob client", err.Error())
			return
		}
		data.easemob = c
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// easemobConfig resolves the easemob block (nil when absent) against the
// EASEMOB_* environment variables. Easemob is configured when the block or
// any variable is present; then every value must resolve, and the missing
// ones are reported together, each named both ways.
func easemobConfig(block *easemobConfigModel, diags *diag.Diagnostics) (easemob.Config, bool) {
	var attrs map[string]types.String
	if block != nil {
		attrs = block.byAttr()
	}
	values := map[string]string{}
	var missing []string
	for _, s := range easemobSettings {
		v, ok := attrs[s.attr]
		if !ok {
			v = types.StringNull()
		}
		values[s.attr] = strings.TrimSpace(stringOrEnv(v, s.env))
		if values[s.attr] == "" {
			missing = append(missing, fmt.Sprintf("%s (%s)", s.attr, s.env))
		}
	}
	if block == nil && len(missing) == len(easemobSettings) {
		return easemob.Config{}, false
	}
	if len(missing) > 0 {
		diags.AddAttributeError(path.Root("easemob"), "Incomplete Easemob configuration",
			"Easemob needs host, org_name, app_name, client_id and client_secret, set in the provider's easemob block "+
				"or with the "+EnvEasemobHost+", "+EnvEasemobOrgName+", "+EnvEasemobAppName+", "+EnvEasemobClientID+" and "+
				EnvEasemobClientSecret+" environment variables. Missing: "+strings.Join(missing, ", ")+".")
		return easemob.Config{}, true
	}
	if err := checkEasemobHost(values["host"]); err != nil {
		diags.AddAttributeError(path.Root("easemob").AtName("host"), "Invalid Easemob host", err.Error())
		return easemob.Config{}, true
	}
	return easemob.Config{
		Host: values["host"], OrgName: values["org_name"], AppName: values["app_name"],
		ClientID: values["client_id"], ClientSecret: values["client_secret"],
	}, true
}

func (p *nimProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewChatroomResource,
		NewQChatServerResource,
		NewQChatChannelResource,
		NewQChatRoleResource,
		NewQChatEveryoneRoleResource,
		NewQChatChannelRoleResource,
		NewQChatServerMemberResource,
		NewQChatRoleMemberResource,
		NewQChatChannelMemberPermissionsResource,
		NewQChatChannelAccessListResource,
		NewChatroomMemberResource,
		NewEasemobChatroomResource,
		NewEasemobChatroomMemberResource,
		NewEasemobChatroomAdminsResource,
		NewEasemobChatroomBlockListResource,
		NewEasemobChatroomAllowListResource,
		NewEasemobChatroomMuteResource,
		NewEasemobSuperAdminResource,
	}
}

func (p *nimProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewChatroomDataSource,
		NewQChatServerDataSource,
		NewQChatChannelsDataSource,
		NewQChatRolesDataSource,
		NewQChatRoleDataSource,
		NewEasemobChatroomDataSource,
		NewEasemobChatroomsDataSource,
		NewEasemobChatroomMembersDataSource,
		NewEasemobSuperAdminsDataSource,
	}
}

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// readableFields returns the fields of a client's log line with durations
// written as Go durations, to the microsecond below a second and to the
// millisecond above ("572.971µs", "10s"): the JSON of a log line would
// otherwise carry them as bare nanoseconds.
func readableFields(fields map[string]any) map[string]any {
	out := make(map[string]any, len(fields))
	for k, v := range fields {
		if d, ok := v.(time.Duration); ok {
			unit := time.Microsecond
			if d >= time.Second {
				unit = time.Millisecond
			}
			v = d.Round(unit).String()
		}
		out[k] = v
	}
	return out
}

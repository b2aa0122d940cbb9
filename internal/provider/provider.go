// Package provider holds the Terraform semantics of the NIM provider:
// schemas, plan modifiers, validators, CRUD mapping, import and diagnostics.
// Every call to the NIM API goes through internal/client.
package provider

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// Environment variables read when the matching provider attribute is unset.
const (
	EnvAppKey    = "NIM_APP_KEY"
	EnvAppSecret = "NIM_APP_SECRET"
	EnvEndpoint  = "NIM_ENDPOINT"
)

const (
	defaultMaxRetries        = 5
	defaultRequestTimeout    = "30s"
	defaultRequestsPerSecond = client.DefaultRequestsPerSecond
)

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
}

func (p *nimProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "nim"
	resp.Version = p.version
}

func (p *nimProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages NetEase Yunxin IM (NIM) chatrooms and QChat servers, channels and roles " +
			"through the NIM server API.",
		Attributes: map[string]schema.Attribute{
			"app_key": schema.StringAttribute{
				MarkdownDescription: "NIM application key (`AppKey` header). Falls back to the `" + EnvAppKey + "` environment variable.",
				Optional:            true,
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
					"errors) before the error surfaces. Default %d. Refusals for the rate limit are not counted: they "+
					"are waited out (see `requests_per_second`).", defaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Timeout of one HTTP attempt, as a Go duration such as `30s`. Default `" + defaultRequestTimeout + "`.",
				Optional:            true,
				Validators:          []validator.String{durationValidator{}},
			},
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: fmt.Sprintf("Ceiling of the API request rate, in requests per second, shared by "+
					"all resources. The default, %g (bursts of at most 5), keeps any one-second window at or under NIM's "+
					"limit of 100 requests per application, so a lone apply runs close to that limit. Other clients of "+
					"the same application (other pipelines, the application's own servers) spend the limit too: when NIM "+
					"refuses a request for its rate (code 416), the provider halves its rate, waits out the ~10 s block "+
					"of that endpoint, and raises the rate again while requests succeed, never above this ceiling. A "+
					"refused request is not counted against `max_retries`; it is sent again for up to 2 minutes.",
					defaultRequestsPerSecond),
				Optional:   true,
				Validators: []validator.Float64{float64validator.Between(0.1, 1000)},
			},
			"batch_reads": schema.BoolAttribute{
				MarkdownDescription: "Serve reads that Terraform runs at the same time (a plan's refresh) with the API's " +
					"batch reads: up to 20 chatrooms per `chatroom/getBatch`, up to 200 QChat servers or channels per " +
					"`getServers` / `getChannels`, and one role listing per QChat server or channel. Nothing is " +
					"cached: a batch only gathers reads that wait at the same time, for at most 50 ms. Set `false` " +
					"to make one API call per resource, for comparison or debugging. Default `true`.",
				Optional: true,
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
	if resp.Diagnostics.HasError() {
		return
	}

	appKey := stringOrEnv(cfg.AppKey, EnvAppKey)
	appSecret := stringOrEnv(cfg.AppSecret, EnvAppSecret)
	endpoint := stringOrEnv(cfg.Endpoint, EnvEndpoint)
	if endpoint == "" {
		endpoint = client.DefaultEndpoint
	}
	if appKey == "" || appSecret == "" {
		resp.Diagnostics.AddError("Missing NIM credentials",
			"The provider needs an application key and secret. Set app_key and app_secret in the provider block, "+
				"or the "+EnvAppKey+" and "+EnvAppSecret+" environment variables.")
		return
	}
	if err := checkEndpoint(endpoint); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid NIM endpoint", err.Error())
		return
	}

	timeout, _ := time.ParseDuration(defaultRequestTimeout)
	if !cfg.RequestTimeout.IsNull() {
		timeout, _ = time.ParseDuration(cfg.RequestTimeout.ValueString())
	}
	retries := int64(defaultMaxRetries)
	if !cfg.MaxRetries.IsNull() {
		retries = cfg.MaxRetries.ValueInt64()
	}
	rps := defaultRequestsPerSecond
	if !cfg.RequestsPerSecond.IsNull() {
		rps = cfg.RequestsPerSecond.ValueFloat64()
	}
	batchReads := cfg.BatchReads.IsNull() || cfg.BatchReads.IsUnknown() || cfg.BatchReads.ValueBool()

	c, err := client.New(appKey, appSecret,
		client.WithEndpoint(endpoint),
		client.WithRequestTimeout(timeout),
		client.WithMaxRetries(int(retries)),
		client.WithRequestsPerSecond(rps),
		client.WithBatchReads(batchReads),
		client.WithUserAgent("terraform-provider-nim/"+p.version),
		client.WithLogger(func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Debug(ctx, msg, fields)
		}),
	)
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the NIM client", err.Error())
		return
	}
	resp.ResourceData = c
	resp.DataSourceData = c
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
	}
}

func (p *nimProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewChatroomDataSource,
		NewQChatServerDataSource,
		NewQChatChannelsDataSource,
		NewQChatRolesDataSource,
		NewQChatRoleDataSource,
	}
}

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// checkEndpoint refuses plain http anywhere but loopback: the CheckSum is
// replayable for five minutes, so it must not cross a network in clear text.
func checkEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("endpoint %q is not an absolute URL such as %s", raw, client.DefaultEndpoint)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("endpoint %q uses plain http to a non-loopback host; use https "+
			"(plain http is accepted only for 127.0.0.1, ::1 or localhost, e.g. a local nimsim)", raw)
	default:
		return fmt.Errorf("endpoint %q must use https (or http on a loopback host)", raw)
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

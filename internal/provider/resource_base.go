package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// providerData is what the provider's Configure hands to every resource and
// data source: one API client per vendor. A vendor whose credentials were
// not configured has a nil client, and only the resources of that vendor
// fail, with the diagnostic of its accessor.
type providerData struct {
	nim *client.Client
}

// nimClient returns the NIM client, or nil with an error naming the missing
// configuration.
func (d *providerData) nimClient(diags *diag.Diagnostics) *client.Client {
	if d.nim == nil {
		diags.AddError("NIM is not configured",
			"This resource manages NIM objects, but the provider has no NIM client. Set app_key and app_secret "+
				"in the provider block, or the "+EnvAppKey+" and "+EnvAppSecret+" environment variables.")
		return nil
	}
	return d.nim
}

// providerDataFrom takes what the provider's Configure built. It is nil
// while Terraform validates a configuration before the provider is
// configured; resources then have no client and are not called to act.
func providerDataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return d
}

// resourceBase is embedded by every resource: the one Configure, and the
// NIM client it takes from the provider.
type resourceBase struct {
	client *client.Client
}

func (b *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := providerDataFrom(req.ProviderData, &resp.Diagnostics); d != nil {
		b.client = d.nimClient(&resp.Diagnostics)
	}
}

// dataSourceBase is embedded by every data source: the one Configure of
// data sources, and the NIM client it takes from the provider.
type dataSourceBase struct {
	client *client.Client
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if d := providerDataFrom(req.ProviderData, &resp.Diagnostics); d != nil {
		b.client = d.nimClient(&resp.Diagnostics)
	}
}

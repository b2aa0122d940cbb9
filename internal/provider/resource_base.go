package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/easemob"
)

// providerData is what the provider's Configure hands to every resource and
// data source: one API client per vendor. A vendor that was not configured
// has a nil client, and only the resources of that vendor fail, with the
// diagnostic of its accessor.
type providerData struct {
	nim     *client.Client
	easemob *easemob.Client
}

// nimClient returns the NIM client, or nil with an error naming the missing
// configuration.
func (d *providerData) nimClient(diags *diag.Diagnostics) *client.Client {
	if d.nim == nil {
		diags.AddError("NIM is not configured",
			"This resource or data source manages NIM objects, but the provider has no NIM client. Set app_key and app_secret "+
				"in the provider block, or the "+EnvAppKey+" and "+EnvAppSecret+" environment variables.")
		return nil
	}
	return d.nim
}

// easemobClient returns the Easemob client, or nil with an error naming the
// missing configuration.
func (d *providerData) easemobClient(diags *diag.Diagnostics) *easemob.Client {
	if d.easemob == nil {
		diags.AddError("Easemob is not configured",
			"This resource or data source manages Easemob objects, but the provider has no Easemob client. Set host, org_name, "+
				"app_name, client_id and client_secret in the provider's easemob block, or the "+EnvEasemobHost+", "+
				EnvEasemobOrgName+", "+EnvEasemobAppName+", "+EnvEasemobClientID+" and "+EnvEasemobClientSecret+
				" environment variables.")
		return nil
	}
	return d.easemob
}

// vendorClient is the API client of one vendor.
type vendorClient interface {
	*client.Client | *easemob.Client
}

// clientOf picks the client of the vendor C from what Configure built.
func clientOf[C vendorClient](d *providerData, diags *diag.Diagnostics) C {
	var c C
	switch p := any(&c).(type) {
	case **client.Client:
		*p = d.nimClient(diags)
	case **easemob.Client:
		*p = d.easemobClient(diags)
	}
	return c
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

// vendorResourceBase is embedded by every resource, through the alias of
// its vendor: the one Configure, and the client of that vendor.
type vendorResourceBase[C vendorClient] struct {
	client C
}

// resourceBase is embedded by NIM resources, easemobResourceBase by Easemob ones.
type (
	resourceBase        = vendorResourceBase[*client.Client]
	easemobResourceBase = vendorResourceBase[*easemob.Client]
)

func (b *vendorResourceBase[C]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := providerDataFrom(req.ProviderData, &resp.Diagnostics); d != nil {
		b.client = clientOf[C](d, &resp.Diagnostics)
	}
}

// vendorDataSourceBase is embedded by every data source, through the alias
// of its vendor: the one Configure of data sources, and the client of that
// vendor.
type vendorDataSourceBase[C vendorClient] struct {
	client C
}

// dataSourceBase is embedded by NIM data sources, easemobDataSourceBase by
// Easemob ones.
type (
	dataSourceBase        = vendorDataSourceBase[*client.Client]
	easemobDataSourceBase = vendorDataSourceBase[*easemob.Client]
)

func (b *vendorDataSourceBase[C]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if d := providerDataFrom(req.ProviderData, &resp.Diagnostics); d != nil {
		b.client = clientOf[C](d, &resp.Diagnostics)
	}
}

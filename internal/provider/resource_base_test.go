package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/nimtf/terraform-provider-nim/internal/client"
)

// The one Configure of resources and data sources takes the NIM client from
// providerData, has none before the provider is configured, and fails with
// a diagnostic naming the missing configuration when NIM has no client.
func TestResourceBaseConfigure(t *testing.T) {
	c, err := client.New("key", "secret")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		data    any
		want    *client.Client
		wantErr string
	}{
		{"configured", &providerData{nim: c}, c, ""},
		{"not configured yet", nil, nil, ""},
		{"NIM not configured", &providerData{}, nil, "NIM is not configured"},
		{"wrong type", c, nil, "Unexpected provider data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r resourceBase
			var rresp resource.ConfigureResponse
			r.Configure(context.Background(), resource.ConfigureRequest{ProviderData: tc.data}, &rresp)
			var d dataSourceBase
			var dresp datasource.ConfigureResponse
			d.Configure(context.Background(), datasource.ConfigureRequest{ProviderData: tc.data}, &dresp)
			for what, got := range map[string]*client.Client{"resource": r.client, "data source": d.client} {
				if got != tc.want {
					t.Errorf("%s client = %p, want %p", what, got, tc.want)
				}
			}
			for what, diags := range map[string]string{"resource": diagText(rresp.Diagnostics.Errors()), "data source": diagText(dresp.Diagnostics.Errors())} {
				if tc.wantErr == "" && diags != "" || !strings.Contains(diags, tc.wantErr) {
					t.Errorf("%s diagnostics = %q, want %q", what, diags, tc.wantErr)
				}
			}
		})
	}
}

// diagText joins the summaries of diagnostics.
func diagText(diags diag.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		parts = append(parts, d.Summary())
	}
	return strings.Join(parts, "; ")
}

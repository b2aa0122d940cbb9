package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// errorText matches phrases, in order, in Terraform's error output, which
// wraps long lines: any space in a phrase may be a line break there.
func errorText(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// permissionsFrom is the permissions object a data source must show for
// the auths the simulator holds: every server permission, by its API key.
func permissionsFrom(auths map[int]int) knownvalue.Check {
	names := map[int]string{1: "allow", -1: "deny"}
	want := map[string]knownvalue.Check{}
	for _, p := range serverPermissions.list() {
		if v, ok := auths[p.key]; ok {
			want[p.attr] = knownvalue.StringExact(names[v])
		} else {
			want[p.attr] = knownvalue.Null()
		}
	}
	return knownvalue.ObjectExact(want)
}

// Malformed ids and names fail at plan time, before any API request.
func TestDataSourceInvalidConfig(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	cases := []struct {
		name, config, err string
	}{
		{"chatroom id not a number", `data "nim_chatroom" "x" { id = "lobby" }`,
			`(?s)Invalid id.*data\.nim_chatroom\.x.*id must be a positive integer, got "lobby"`},
		{"chatroom id zero", `data "nim_chatroom" "x" { id = "0" }`,
			`(?s)Invalid id.*id must be a positive integer, got "0"`},
		{"server id negative", `data "nim_qchat_server" "x" { id = "-5" }`,
			`(?s)Invalid id.*data\.nim_qchat_server\.x.*id must be a positive integer, got "-5"`},
		{"channels server id", `data "nim_qchat_channels" "x" { server_id = "12ab" }`,
			`(?s)Invalid id.*data\.nim_qchat_channels\.x.*server_id must be a positive integer, got "12ab"`},
		{"roles server id", `data "nim_qchat_roles" "x" { server_id = "1.5" }`,
			`(?s)Invalid id.*data\.nim_qchat_roles\.x.*server_id must be a positive integer, got "1\.5"`},
		{"roles operator too long", `data "nim_qchat_roles" "x" {
  server_id = "4000000001"
  operator  = "` + longString(33) + `"
}`, `(?s)operator must be between 1 and 32 characters, got 33`},
		{"role server id", `data "nim_qchat_role" "x" {
  server_id = ""
  name      = "mods"
}`, `(?s)Invalid id.*data\.nim_qchat_role\.x.*server_id must be a positive integer, got ""`},
		{"role name empty", `data "nim_qchat_role" "x" {
  server_id = "4000000001"
  name      = ""
}`, `(?s)name must be between 1 and 64 characters, got 0`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      env.config(tc.config),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.err),
				}},
			})
		})
	}
	env.expectNoAPICalls(t)
}

package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// TestQChatChannelListResource: the channels of a server are found, public
// and private.
func TestQChatChannelListResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	app := makeExistingApp(t, env.client)
	general, staff := itoa(app.channels[0]), itoa(app.channels[1])
	checks := []querycheck.QueryResultCheck{querycheck.ExpectLength("nim_qchat_channel.guild", 2)}
	checks = append(checks, expectFound("nim_qchat_channel.guild", identity("channel_id", general), "general ("+general+")",
		map[string]knownvalue.Check{
			"server_id":  knownvalue.StringExact(itoa(app.server)),
			"name":       knownvalue.StringExact("general"),
			"topic":      knownvalue.StringExact("about general"),
			"visibility": knownvalue.StringExact("public"),
			"operator":   knownvalue.StringExact("boss"),
		})...)
	checks = append(checks, expectFound("nim_qchat_channel.guild", identity("channel_id", staff), "staff ("+staff+")",
		map[string]knownvalue.Check{"visibility": knownvalue.StringExact("private")})...)
	queryTest(t, env, listConfig("nim_qchat_channel", "guild", "", `server_id = "`+itoa(app.server)+`"`), checks...)
}

// TestQChatListResources_badFilter: a filter that cannot name a server
// fails with an error naming the attribute, before any API request; a
// server that does not exist is an error, not an empty list.
func TestQChatListResources_badFilter(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	for _, typ := range []string{"nim_qchat_channel", "nim_qchat_role", "nim_qchat_server_member", "nim_qchat_role_member"} {
		resource.UnitTest(t, resource.TestCase{
			TerraformVersionChecks:   skipQueryBelow114,
			ProtoV6ProviderFactories: testProviders,
			Steps: []resource.TestStep{
				{Config: env.config("")},
				{
					Query:       true,
					Config:      listConfig(typ, "x", "", `server_id = "guild"`),
					ExpectError: regexp.MustCompile(`(?s)Invalid id.*server_id must be a positive integer`),
				},
			},
		})
	}
	env.expectNoAPICalls(t)
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   skipQueryBelow114,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: env.config("")},
			{
				Query:       true,
				Config:      listConfig("nim_qchat_channel", "x", "", `server_id = "4999999999"`),
				ExpectError: regexp.MustCompile(`(?s)QChat server not found`),
			},
		},
	})
}

package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// roleMembership is a server with members, a role and the role given to alice.
func roleMembership(env *simEnv, who string) string {
	return env.config(guild + fmt.Sprintf(`
resource "nim_qchat_server_member" "alice" {
  server_id = nim_qchat_server.guild.id
  accid     = "alice"
}

resource "nim_qchat_role" "mods" {
  server_id = nim_qchat_server.guild.id
  name      = "mods"
}

resource "nim_qchat_role_member" "test" {
  server_id = nim_qchat_server.guild.id
  role_id   = nim_qchat_role.mods.id
  accid     = %s
}
`, who))
}

func TestQChatRoleMemberResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	holds := func(accid string) bool {
		return slices.ContainsFunc(env.sim.Objects().QChatRoleMembers, func(m nimsim.QChatRoleMember) bool { return m.Accid == accid })
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{
				Config: roleMembership(env, "nim_qchat_server_member.alice.accid"),
				Check: func(*terraform.State) error {
					if !holds("alice") {
						return fmt.Errorf("alice does not hold the role")
					}
					return nil
				},
			},
			{ResourceName: "nim_qchat_role_member.test", ImportState: true, ImportStateVerify: true},
			{Config: roleMembership(env, "nim_qchat_server_member.alice.accid"), PlanOnly: true},
			{ // removed behind Terraform's back: given again
				PreConfig: func() {
					var roleID int64
					for _, r := range env.sim.Objects().QChatServerRoles {
						if r.Name == "mods" {
							roleID = r.RoleID
						}
					}
					env.outOfBand(t, "take the role away", func(ctx context.Context, c *client.Client) error {
						_, err := c.QChat.RemoveRoleMembers(ctx, mustParse(env.mustStateServerID()), roleID, "boss", []string{"alice"})
						return err
					})()
				},
				Config: roleMembership(env, "nim_qchat_server_member.alice.accid"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("nim_qchat_role_member.test", plancheck.ResourceActionCreate),
				}},
				Check: func(*terraform.State) error {
					if !holds("alice") {
						return fmt.Errorf("alice did not get the role back")
					}
					return nil
				},
			},
			{ // an account NIM refuses (not a member) is an error naming it, not a silent success
				Config:      roleMembership(env, `"mallory"`),
				ExpectError: regexp.MustCompile(`(?s)accid.*NIM refused to give role \d+ of server \d+ to mallory`),
			},
			{ // destroy removes the membership
				Config: roleMembership(env, "nim_qchat_server_member.alice.accid"),
				Check: func(*terraform.State) error {
					if holds("mallory") {
						return fmt.Errorf("mallory holds the role")
					}
					return nil
				},
			},
		},
	})
}

// Bad input fails at plan time (or import), before any API request.
func TestQChatRoleMemberResource_badInput(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"role member accid too long", `resource "nim_qchat_role_member" "m" {
  server_id = "1"
  role_id   = "2"
  accid     = "` + longString(33) + `"
}`, `accid must be between 1 and 32`},
		{"role member role id not numeric", `resource "nim_qchat_role_member" "m" {
  server_id = "1"
  role_id   = "mods"
  accid     = "alice"
}`, `(?s)Invalid id.*role_id must be a positive integer`},
	}, []badImport{
		{"role member with a bad role id", `resource "nim_qchat_role_member" "x" {
  server_id = "1"
  role_id   = "2"
  accid     = "a"
}`, "1/mods/alice", `(?s)Invalid import id.*role_id must be a positive integer`},
	})
}

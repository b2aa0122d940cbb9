package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

const everyoneAddr = "nim_qchat_everyone_role.test"

func TestQChatEveryoneRoleResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	cfg := func(perms string) string {
		return env.config(guild + fmt.Sprintf(`
resource "nim_qchat_everyone_role" "test" {
  server_id = nim_qchat_server.guild.id
  permissions {
%s
  }
}
`, perms))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoQChatObjects,
		Steps: []resource.TestStep{
			{
				Config: cfg(`    send_message = "deny"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(everyoneAddr, tfjsonpath.New("role_id"), "nim_qchat_server.guild", tfjsonpath.New("everyone_role_id"), compareEqual),
				},
				Check: env.checkServerRole(everyoneAddr, func(r nimsim.QChatServerRole) error {
					if r.Type != 1 {
						return fmt.Errorf("adopted role is not @everyone: %+v", r)
					}
					return expectAuths(r.Auths, map[int]int{4: -1})
				}),
			},
			{
				Config: cfg(`    send_message = "allow"
    invite_member = "deny"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					permissionDiff(everyoneAddr, map[string][2]any{"send_message": {"deny", "allow"}, "invite_member": {nil, "deny"}}),
				}},
				Check: env.checkServerRole(everyoneAddr, func(r nimsim.QChatServerRole) error {
					return expectAuths(r.Auths, map[int]int{4: 1, 6: -1})
				}),
			},
			{ResourceName: everyoneAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				Config: cfg(`    send_message = "allow"
    invite_member = "deny"`)},
			{Config: cfg(`    send_message = "allow"
    invite_member = "deny"`), PlanOnly: true},
			{ // destroy forgets the role but leaves it, and its permissions, in place
				Config: env.config(guild),
				Check: func(s *terraform.State) error {
					id, _ := stateAttr(s, "nim_qchat_server.guild", "everyone_role_id")
					r, ok := env.serverRole(id)
					if !ok {
						return fmt.Errorf("@everyone role %s vanished", id)
					}
					return expectAuths(r.Auths, map[int]int{4: 1, 6: -1})
				},
			},
		},
	})
}

// Bad input fails at plan time (or import), before any API request.
func TestQChatEveryoneRoleResource_badInput(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"everyone role bad value", `resource "nim_qchat_everyone_role" "e" {
  server_id   = "1"
  permissions {
    send_message = "maybe"
  }
}`, `Attribute permissions.send_message value must be one of`},
	}, []badImport{
		{"everyone role id not numeric", `resource "nim_qchat_everyone_role" "x" {
  server_id = "1"
}`, "1/x", `(?s)Invalid import id`},
	})
}

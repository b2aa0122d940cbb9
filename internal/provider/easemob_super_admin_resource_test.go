package provider

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

const emSuperAddr = "nim_easemob_super_admin.ops"

func TestEasemobSuperAdminResource(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	env.change(t, "adding a super admin", func(ctx context.Context, c *easemob.Client) error {
		_, err := c.SuperAdmins.Add(ctx, "boss")
		return err
	})
	cfg := env.config(`
resource "nim_easemob_super_admin" "ops" {
  username = "ops01"
}
`)
	isSuper := func(want bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			got := env.sim.Objects().SuperAdmins
			if slices.Contains(got, "ops01") != want || !slices.Contains(got, "boss") {
				return fmt.Errorf("super admins %v: want ops01 %v, and boss untouched", got, want)
			}
			return nil
		}
	}
	var since int
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             isSuper(false),
		Steps: []resource.TestStep{
			{Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(
				isSuper(true), resource.TestCheckResourceAttr(emSuperAddr, "id", "ops01"))},
			{ResourceName: emSuperAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg, PlanOnly: true},
			{ // removed outside Terraform: drift, added again
				PreConfig: func() {
					env.change(t, "removing ops01", func(ctx context.Context, c *easemob.Client) error {
						_, err := c.SuperAdmins.Remove(ctx, "ops01")
						return err
					})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(emSuperAddr, plancheck.ResourceActionCreate),
				}},
				Check: isSuper(true),
			},
			{ // an existing super admin is not taken over
				PreConfig: func() { since = env.mark() },
				Config: env.config(`
resource "nim_easemob_super_admin" "ops" {
  username = "ops01"
}

resource "nim_easemob_super_admin" "boss" {
  username = "boss"
}
`),
				ExpectError: existsError("boss"),
			},
			{Config: cfg, Check: env.expectWrites(&since)},
		},
	})
}

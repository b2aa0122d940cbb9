package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

const emAllowAddr = "nim_easemob_chatroom_allow_list.vips"

func allowListConfig(env *emEnv, room string, us []string) string {
	return env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_allow_list" "vips" {
  room_id   = %q
  usernames = %s
}
`, room, hclList(us)))
}

func TestEasemobChatroomAllowListResource(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{MemberIdleLeave: 5 * time.Minute})
	room := env.newRoom(t, users("v", 1, 75)...)
	allowed := func(want []string) func() error {
		return func() error { return expectUsers("allow list", env.roomNow(t, room).Allow, want...) }
	}
	check := func(want []string) resource.TestCheckFunc {
		return env.inRoom(t, room, func(r easemobsim.Room) error { return allowed(want)() })
	}
	var since int
	markNow := func() { since = env.mark() }
	first := users("v", 1, 65)
	second := append(users("v", 4, 70), "owner")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             check(nil),
		Steps: []resource.TestStep{
			{
				PreConfig: markNow,
				Config:    allowListConfig(env, room, first),
				Check: resource.ComposeAggregateTestCheckFunc(
					check(first),
					env.expectBatches(&since, "POST chatrooms/{id}/white/users", batchUsers, first),
				),
			},
			{ // exactly v01..v03 removed, v66..v70 and the owner added
				PreConfig: markNow,
				Config:    allowListConfig(env, room, second),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(emAllowAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					check(second),
					env.expectBatches(&since, "POST chatrooms/{id}/white/users", batchUsers, append(users("v", 66, 70), "owner")),
					env.expectBatches(&since, "DELETE chatrooms/{id}/white/users/{usernames}", pathUsersOf, users("v", 1, 3)),
				),
			},
			{ResourceName: emAllowAddr, ImportState: true, ImportStateVerify: true},
			{Config: allowListConfig(env, room, second), PlanOnly: true},
			{ // added and removed outside Terraform: both undone
				PreConfig: func() {
					env.change(t, "changing the allow list", func(ctx context.Context, c *easemob.Client) error {
						if _, err := c.AllowList.Add(ctx, room, "v72"); err != nil {
							return err
						}
						_, err := c.AllowList.Remove(ctx, room, "v10")
						return err
					})
					markNow()
				},
				Config: allowListConfig(env, room, second),
				Check: resource.ComposeAggregateTestCheckFunc(
					check(second),
					env.expectWrites(&since, "POST chatrooms/"+room+"/white/users", "DELETE chatrooms/"+room+"/white/users/v72"),
				),
			},
			{ // a user who is not a member: nothing is sent, the error says what to declare
				PreConfig:   markNow,
				Config:      allowListConfig(env, room, append(second, "stranger", "visitor")),
				ExpectError: errorText("stranger, visitor are not members of chatroom "+room, "nim_easemob_chatroom_member", "depends_on"),
			},
			{ // v73 leaves between the check and the batch: the API refuses it alone, with its reason
				PreConfig: func() {
					env.beforeRequest("POST chatrooms/{id}/white/users", func() {
						env.change(t, "removing v73", func(ctx context.Context, c *easemob.Client) error {
							_, err := c.Members.Remove(ctx, room, "v73")
							return err
						})
					})
				},
				Config:      allowListConfig(env, room, append(second, "v73", "v74")),
				ExpectError: errorText("v73: refused: users [v73] are not members of this group"),
			},
			{ // v74 was added and is in state: nothing remains to do without v73
				Config: allowListConfig(env, room, append(second, "v74")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

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

const emBlocksAddr = "nim_easemob_chatroom_block_list.trolls"

func blockListConfig(env *emEnv, room string, us []string) string {
	return env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_block_list" "trolls" {
  room_id   = %q
  usernames = %s
}
`, room, hclList(us)))
}

// expectBatches checks that the requests on a route carried at most 60
// users each, and exactly want together.
func (e *emEnv) expectBatches(since *int, route string, usersOf func(emRequest) []string, want []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var all []string
		var sizes []int
		for _, r := range e.sentOn(*since, route) {
			us := usersOf(r)
			if len(us) > easemob.MaxUsersPerBatch {
				return fmt.Errorf("%s carried %d users, more than %d", route, len(us), easemob.MaxUsersPerBatch)
			}
			sizes = append(sizes, len(us))
			all = append(all, us...)
		}
		if err := expectUsers(route+" users", all, want...); err != nil {
			return fmt.Errorf("%w (batches of %v)", err, sizes)
		}
		return nil
	}
}

func pathUsersOf(r emRequest) []string { return unescapedUsers(r.path) }

func TestEasemobChatroomBlockListResource(t *testing.T) {
	t.Parallel()
	registry := append(users("b", 1, 80), "owner", "m01")
	env := newEmEnv(t, easemobsim.Config{Users: registry})
	room := env.newRoom(t, "m01")
	blocks := func(want []string) resource.TestCheckFunc {
		return env.inRoom(t, room, func(r easemobsim.Room) error {
			if err := expectUsers("blocked", r.Blocks, want...); err != nil {
				return err
			}
			for _, u := range want {
				if slices.Contains(memberNames(r), u) {
					return fmt.Errorf("%s is blocked and still a member", u)
				}
			}
			return nil
		})
	}
	var since int
	markNow := func() { since = env.mark() }
	first := users("b", 1, 70)
	second := append(users("b", 6, 73), "b75")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             blocks(nil),
		Steps: []resource.TestStep{
			{ // 70 users who are not members: added to the room, then blocked, 60 at most per call
				PreConfig: markNow,
				Config:    blockListConfig(env, room, first),
				Check: resource.ComposeAggregateTestCheckFunc(
					blocks(first),
					env.expectBatches(&since, "POST chatrooms/{id}/users", batchUsers, first),
					env.expectBatches(&since, "POST chatrooms/{id}/blocks/users", batchUsers, first),
					func(*terraform.State) error {
						if n := len(env.sentOn(since, "POST chatrooms/{id}/blocks/users")); n != 2 {
							return fmt.Errorf("70 users blocked in %d calls, want 2", n)
						}
						return nil
					},
				),
			},
			{ // exactly b01..b05 unblocked, b71..b73 and b75 blocked; b75 leaves the room just before the block
				PreConfig: func() {
					markNow()
					env.beforeRequest("POST chatrooms/{id}/blocks/users", func() {
						env.change(t, "removing b75", func(ctx context.Context, c *easemob.Client) error {
							_, err := c.Members.Remove(ctx, room, "b75")
							return err
						})
					})
				},
				Config:      blockListConfig(env, room, second),
				ExpectError: errorText("b75: refused: user: b75 doesn't exist in chatroom", "The users not listed were changed"),
			},
			{ // the state holds what was applied: only b75 remains to do
				Config: blockListConfig(env, room, second),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(emBlocksAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					blocks(second),
					env.expectBatches(&since, "DELETE chatrooms/{id}/blocks/users/{usernames}", pathUsersOf, users("b", 1, 5)),
					env.expectBatches(&since, "POST chatrooms/{id}/blocks/users", batchUsers, []string{"b71", "b72", "b73", "b75", "b75"}),
				),
			},
			{ResourceName: emBlocksAddr, ImportState: true, ImportStateVerify: true},
			{Config: blockListConfig(env, room, second), PlanOnly: true},
			{ // one unblocked and one blocked outside Terraform: both undone
				PreConfig: func() {
					env.change(t, "changing blocks", func(ctx context.Context, c *easemob.Client) error {
						if _, err := c.BlockList.Remove(ctx, room, "b10"); err != nil {
							return err
						}
						if _, err := c.Members.Add(ctx, room, "b78"); err != nil {
							return err
						}
						_, err := c.BlockList.Add(ctx, room, "b78")
						return err
					})
					markNow()
				},
				Config: blockListConfig(env, room, second),
				Check: resource.ComposeAggregateTestCheckFunc(
					blocks(second),
					env.expectWrites(&since, "POST chatrooms/"+room+"/users", "POST chatrooms/"+room+"/blocks/users",
						"DELETE chatrooms/"+room+"/blocks/users/b78"),
				),
			},
			{ // the owner is refused at plan
				PreConfig:   markNow,
				Config:      blockListConfig(env, room, append(second, "owner")),
				PlanOnly:    true,
				ExpectError: errorText("owner cannot be on the block list"),
			},
			{ // a user unknown to the app is reported with the API's reason, and nothing is blocked
				Config:      blockListConfig(env, room, append(second, "ghost")),
				ExpectError: errorText("ghost: refused: not among the added members"),
			},
			{
				Config: blockListConfig(env, room, second),
				Check: resource.ComposeAggregateTestCheckFunc(
					blocks(second),
					env.expectWrites(&since, "POST chatrooms/"+room+"/users"), // only the refused join of ghost
				),
			},
		},
	})
}

// TestEasemobChatroomBlockListOwnerAtApply: when the room is not known at
// plan, the owner is refused at apply, before any change.
func TestEasemobChatroomBlockListOwnerAtApply(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t)
	since := env.mark()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
resource "terraform_data" "room" {
  input = %q
}

resource "nim_easemob_chatroom_block_list" "trolls" {
  room_id   = terraform_data.room.output
  usernames = ["troll", "owner"]
}
`, room)),
			ExpectError: errorText("owner cannot be on the block list", "owner is the owner of chatroom "+room),
		}},
	})
	if w := env.writesSince(since); len(w) != 0 {
		t.Errorf("the refused apply sent writes: %v", w)
	}
}

// TestEasemobChatroomBlockListExisting: a create never takes over a block
// list that holds users.
func TestEasemobChatroomBlockListExisting(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t, "troll")
	env.change(t, "blocking", func(ctx context.Context, c *easemob.Client) error {
		_, err := c.BlockList.Add(ctx, room, "troll")
		return err
	})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      blockListConfig(env, room, []string{"spammer"}),
			ExpectError: errorText("It holds [troll]", "terraform import ADDRESS "+room, "moved block"),
		}},
	})
}

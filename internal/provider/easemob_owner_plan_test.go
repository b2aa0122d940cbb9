package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// ownerMoveConfig is a room with members ann and bob, both admins, and the
// given owner.
func ownerMoveConfig(env *emEnv, owner string, admins ...string) string {
	return env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom" "r" {
  name        = "owner moves"
  description = "owner moves"
  owner       = %q
}

resource "nim_easemob_chatroom_member" "ann" {
  room_id  = nim_easemob_chatroom.r.id
  username = "ann"
}

resource "nim_easemob_chatroom_member" "bob" {
  room_id  = nim_easemob_chatroom.r.id
  username = "bob"
}

resource "nim_easemob_chatroom_admins" "mods" {
  room_id    = nim_easemob_chatroom.r.id
  usernames  = %s
  depends_on = [nim_easemob_chatroom_member.ann, nim_easemob_chatroom_member.bob]
}
`, owner, hclList(admins)))
}

// TestEasemobOwnerMovesToAdmin: the admins and member resources judge the
// owner by what the plan makes it. Moving the owner to an admin is refused
// at plan; after such a move made outside Terraform, moving the owner back
// plans and applies, and the member who became the owner is kept.
func TestEasemobOwnerMovesToAdmin(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	var room string
	var since int
	roomIs := func(owner string, admins ...string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			room = s.RootModule().Resources["nim_easemob_chatroom.r"].Primary.ID
			r, ok := env.room(room)
			if !ok {
				return fmt.Errorf("room %s not found", room)
			}
			if r.Owner != owner {
				return fmt.Errorf("owner: got %s, want %s", r.Owner, owner)
			}
			return expectUsers("admins", r.Admins, admins...)
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: ownerMoveConfig(env, "founder", "ann", "bob"), Check: roomIs("founder", "ann", "bob")},
			{ // the move would drop ann from the admins: refused at plan, nothing sent
				PreConfig: func() { since = env.mark() },
				Config:    ownerMoveConfig(env, "ann", "ann", "bob"),
				PlanOnly:  true,
				ExpectError: errorText("owner cannot be on the admin set",
					"ann becomes the owner in this plan", "Remove ann from usernames"),
			},
			{ // the room moved to ann outside Terraform; moving it back plans and applies
				PreConfig: func() {
					if w := env.writesSince(since); len(w) != 0 {
						t.Errorf("a refused plan sent writes: %v", w)
					}
					env.change(t, "moving the owner to ann", func(ctx context.Context, c *easemob.Client) error {
						_, err := c.Chatrooms.TransferOwner(ctx, room, "ann")
						return err
					})
				},
				Config: ownerMoveConfig(env, "founder", "ann", "bob"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("nim_easemob_chatroom.r", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("nim_easemob_chatroom_member.ann", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(emAdminsAddr, plancheck.ResourceActionUpdate),
				}},
				Check: roomIs("founder", "ann", "bob"),
			},
			{Config: ownerMoveConfig(env, "founder", "ann", "bob"), PlanOnly: true},
			{ // a move to ann with ann out of the admins applies; ann's member resource stays
				Config: ownerMoveConfig(env, "ann", "bob"),
				Check:  roomIs("ann", "bob"),
			},
			{Config: ownerMoveConfig(env, "ann", "bob"), PlanOnly: true},
		},
	})
}

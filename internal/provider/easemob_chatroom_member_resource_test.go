package provider

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

const emMemberAddr = "nim_easemob_chatroom_member.alice"

func TestEasemobChatroomMemberResource(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{MemberIdleLeave: 5 * time.Minute})
	room := env.newRoom(t)
	cfg := env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_member" "alice" {
  room_id  = %q
  username = "alice"
}
`, room))
	isMember := func(want bool) resource.TestCheckFunc {
		return env.inRoom(t, room, func(r easemobsim.Room) error {
			if got := slices.Contains(memberNames(r), "alice"); got != want {
				return fmt.Errorf("alice a member: %v, want %v (members %v)", got, want, memberNames(r))
			}
			return nil
		})
	}
	var since int
	recreated := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(emMemberAddr, plancheck.ResourceActionCreate),
	}}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             isMember(false),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(emMemberAddr, "id", room+"/alice"),
					isMember(true),
				),
			},
			{ResourceName: emMemberAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg, PlanOnly: true}, // no diff after the import
			{ // the member went offline and left by the platform's rule: drift, added again
				PreConfig: func() {
					env.sim.Advance(6 * time.Minute)
					since = env.mark()
				},
				Config:           cfg,
				ConfigPlanChecks: recreated,
				Check: resource.ComposeAggregateTestCheckFunc(
					isMember(true),
					env.expectWrites(&since, "POST chatrooms/"+room+"/users/alice"),
				),
			},
			{ // removed by someone else: drift, added again
				PreConfig: func() {
					env.change(t, "removing alice", func(ctx context.Context, c *easemob.Client) error {
						_, err := c.Members.Remove(ctx, room, "alice")
						return err
					})
				},
				Config:           cfg,
				ConfigPlanChecks: recreated,
				Check:            isMember(true),
			},
		},
	})
}

// TestEasemobChatroomMemberExists checks that a create never takes over a
// membership that exists already, and that the owner is refused.
func TestEasemobChatroomMemberExists(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t, "bob")
	since := env.mark()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_member" "bob" {
  room_id  = %q
  username = "bob"
}`, room)),
				ExpectError: existsError(room + "/bob"),
			},
			{
				Config: env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_member" "owner" {
  room_id  = %q
  username = "owner"
}`, room)),
				ExpectError: errorText("owner of chatroom " + room),
			},
		},
	})
	if w := env.writesSince(since); len(w) != 0 {
		t.Errorf("refused creates sent writes: %v", w)
	}
}

// TestEasemobChatroomMemberRoomDeleted: a room deleted outside Terraform
// takes its members with it, and destroy then has nothing to do.
func TestEasemobChatroomMemberRoomDeleted(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t)
	cfg := env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_member" "alice" {
  room_id  = %q
  username = "alice"
}`, room))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:          func() { env.sim.DeleteRoom(room) },
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true, // the room took the member with it
			},
		},
	})
}

// TestEasemobMemberImportUpperCase: user ids are case-insensitive, so an
// import id in upper case is accepted, and the state holds lower case.
func TestEasemobMemberImportUpperCase(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t, "ann")
	cfg := env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_member" "ann" {
  room_id  = %q
  username = "ann"
}
`, room))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config:             cfg,
				ResourceName:       "nim_easemob_chatroom_member.ann",
				ImportState:        true,
				ImportStateId:      room + "/ANN",
				ImportStatePersist: true,
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					if len(s) != 1 || s[0].Attributes["username"] != "ann" || s[0].ID != room+"/ann" {
						return fmt.Errorf("imported %+v, want username ann and id %s/ann", s, room)
					}
					return nil
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

const emAdminsAddr = "nim_easemob_chatroom_admins.mods"

func adminsConfig(env *emEnv, room string, us ...string) string {
	return env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_admins" "mods" {
  room_id   = %q
  usernames = %s
}
`, room, hclList(us)))
}

func TestEasemobChatroomAdminsResource(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t, users("m", 1, 6)...)
	admins := func(want ...string) resource.TestCheckFunc {
		return env.inRoom(t, room, func(r easemobsim.Room) error { return expectUsers("admins", r.Admins, want...) })
	}
	var since int
	markNow := func() { since = env.mark() }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             admins(),
		Steps: []resource.TestStep{
			{
				PreConfig: markNow,
				Config:    adminsConfig(env, room, "m01", "m02"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(emAdminsAddr, "id", room),
					admins("m01", "m02"),
					env.expectWrites(&since, "POST chatrooms/"+room+"/admin", "POST chatrooms/"+room+"/admin"),
				),
			},
			{ // exactly m03 and m04 added, m01 removed
				PreConfig: markNow,
				Config:    adminsConfig(env, room, "m02", "m03", "m04"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(emAdminsAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					admins("m02", "m03", "m04"),
					env.expectWrites(&since, "POST chatrooms/"+room+"/admin", "POST chatrooms/"+room+"/admin",
						"DELETE chatrooms/"+room+"/admin/m01"),
					func(*terraform.State) error {
						var got []string
						for _, r := range env.sentOn(since, "POST chatrooms/{id}/admin") {
							var b struct{ NewAdmin string }
							_ = json.Unmarshal(r.body, &b)
							got = append(got, b.NewAdmin)
						}
						return expectUsers("new admins sent", got, "m03", "m04")
					},
				),
			},
			{ResourceName: emAdminsAddr, ImportState: true, ImportStateVerify: true},
			{Config: adminsConfig(env, room, "m02", "m03", "m04"), PlanOnly: true},
			{ // an admin added and one removed outside Terraform: both drift, both undone
				PreConfig: func() {
					env.change(t, "changing admins", func(ctx context.Context, c *easemob.Client) error {
						if _, err := c.Admins.Add(ctx, room, "m05"); err != nil {
							return err
						}
						_, err := c.Admins.Remove(ctx, room, "m03")
						return err
					})
					markNow()
				},
				Config: adminsConfig(env, room, "m02", "m03", "m04"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(emAdminsAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					admins("m02", "m03", "m04"),
					env.expectWrites(&since, "POST chatrooms/"+room+"/admin", "DELETE chatrooms/"+room+"/admin/m05"),
				),
			},
			{ // the owner is refused at plan, the room being known
				PreConfig:   markNow,
				Config:      adminsConfig(env, room, "m02", "owner"),
				PlanOnly:    true,
				ExpectError: errorText("owner cannot be on the admin set", "owner is the owner of chatroom "+room),
			},
			{ // a user who is not a member: nothing is sent, the error says what to declare
				Config:      adminsConfig(env, room, "m02", "m03", "m04", "stranger"),
				ExpectError: errorText("stranger is not a member of chatroom "+room, "nim_easemob_chatroom_member", "depends_on"),
			},
			{
				Config: adminsConfig(env, room, "m02", "m03", "m04"),
				Check:  env.expectWrites(&since), // the refused steps sent nothing
			},
		},
	})
}

// TestEasemobChatroomAdminsMembersFirst: admins need membership, which
// ordinary members lose when they stay offline. With depends_on on the
// member resources, one apply adds the members back and then the admins.
func TestEasemobChatroomAdminsMembersFirst(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{MemberIdleLeave: 5 * time.Minute})
	room := env.newRoom(t)
	cfg := env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_member" "ann" {
  room_id  = %q
  username = "ann"
}

resource "nim_easemob_chatroom_member" "bob" {
  room_id  = %[1]q
  username = "bob"
}

resource "nim_easemob_chatroom_admins" "mods" {
  room_id    = %[1]q
  usernames  = ["ann", "bob"]
  depends_on = [nim_easemob_chatroom_member.ann, nim_easemob_chatroom_member.bob]
}
`, room))
	check := env.inRoom(t, room, func(r easemobsim.Room) error {
		if err := expectUsers("members", memberNames(r), "ann", "bob"); err != nil {
			return err
		}
		return expectUsers("admins", r.Admins, "ann", "bob")
	})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: cfg, Check: check},
			{
				PreConfig: func() { env.sim.Advance(6 * time.Minute) }, // both left, and their admin rights with them
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("nim_easemob_chatroom_member.ann", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(emAdminsAddr, plancheck.ResourceActionUpdate),
				}},
				Check: check,
			},
		},
	})
}

// TestEasemobChatroomAdminsExisting: a create never takes over a room's
// admins.
func TestEasemobChatroomAdminsExisting(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t, "m01", "m02")
	env.change(t, "adding an admin", func(ctx context.Context, c *easemob.Client) error {
		_, err := c.Admins.Add(ctx, room, "m01")
		return err
	})
	since := env.mark()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config:      adminsConfig(env, room, "m02"),
				ExpectError: errorText("Easemob admin set of chatroom "+room+" already exists", "terraform import ADDRESS "+room),
			},
		},
	})
	if w := env.writesSince(since); len(w) != 0 {
		t.Errorf("a refused create sent writes: %v", w)
	}
}

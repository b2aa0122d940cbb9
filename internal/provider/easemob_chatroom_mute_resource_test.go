package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

const (
	emTimedAddr   = "nim_easemob_chatroom_mute.noisy"
	emForeverAddr = "nim_easemob_chatroom_mute.troll"
)

// The simulator's clock moves ahead of the provider's: expiry is judged by
// the server's clock, which its answers tell.
func TestEasemobChatroomMuteResource(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t, "noisy", "troll")
	cfg := func(duration int64) string {
		return env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_mute" "noisy" {
  room_id     = %q
  username    = "noisy"
  duration_ms = %d
}

resource "nim_easemob_chatroom_mute" "troll" {
  room_id  = %[1]q
  username = "troll"
}
`, room, duration))
	}
	// mutes checks the simulator's mutes: user -> expiry in ms from now
	// (within a second), or -1.
	mutes := func(want map[string]int64) resource.TestCheckFunc {
		return env.inRoom(t, room, func(r easemobsim.Room) error {
			now := env.sim.Advance(0).UnixMilli()
			if len(r.Mutes) != len(want) {
				return fmt.Errorf("mutes %+v, want %v", r.Mutes, want)
			}
			for _, m := range r.Mutes {
				w, ok := want[m.User]
				switch {
				case !ok:
					return fmt.Errorf("%s is muted, want %v", m.User, want)
				case w == -1 && m.Expire != -1, w != -1 && (m.Expire-now > w || m.Expire-now < w-1000):
					return fmt.Errorf("%s muted until %d (now %d), want %d ms from now", m.User, m.Expire, now, w)
				}
			}
			return nil
		})
	}
	expiresIn := func(d time.Duration) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			v, err := stateAttr(s, emTimedAddr, "expires_at")
			if err != nil {
				return err
			}
			at, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return err
			}
			if left := at.Sub(env.sim.Advance(0)); left > d || left < d-2*time.Second {
				return fmt.Errorf("expires_at %s is %s away, want %s", v, left, d)
			}
			return nil
		}
	}
	var since int
	markNow := func() { since = env.mark() }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             mutes(nil),
		Steps: []resource.TestStep{
			{
				Config: cfg(3_600_000),
				Check: resource.ComposeAggregateTestCheckFunc(
					mutes(map[string]int64{"noisy": 3_600_000, "troll": -1}),
					resource.TestCheckResourceAttr(emTimedAddr, "id", room+"/noisy"),
					expiresIn(time.Hour),
					resource.TestCheckResourceAttr(emForeverAddr, "duration_ms", "-1"),
					resource.TestCheckNoResourceAttr(emForeverAddr, "expires_at"),
				),
			},
			{ResourceName: emForeverAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg(3_600_000), PlanOnly: true},
			{ // a new duration mutes again, in place, counted from now
				PreConfig: markNow,
				Config:    cfg(7_200_000),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(emTimedAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(emTimedAddr, tfjsonpath.New("expires_at")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					mutes(map[string]int64{"noisy": 7_200_000, "troll": -1}),
					expiresIn(2*time.Hour),
					env.expectWrites(&since, "POST chatrooms/"+room+"/mute"),
				),
			},
			{ // the timed mute ran its course: no drift, no re-mute
				PreConfig: func() {
					env.sim.Advance(2*time.Hour + time.Second) // the server's clock only
					markNow()
				},
				Config: cfg(7_200_000),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					mutes(map[string]int64{"troll": -1}),
					env.expectWrites(&since),
				),
			},
			{ // the permanent mute lifted by someone else: drift, muted again
				PreConfig: func() {
					env.change(t, "unmuting troll", func(ctx context.Context, c *easemob.Client) error {
						_, err := c.Mutes.Remove(ctx, room, []string{"troll"})
						return err
					})
				},
				Config: cfg(7_200_000),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(emForeverAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(emTimedAddr, plancheck.ResourceActionNoop),
				}},
				Check: mutes(map[string]int64{"troll": -1}),
			},
		},
	})
}

// TestEasemobChatroomMuteRefused: a timed mute lifted before its end is
// drift; non-members, the owner and an existing mute are refused before any
// write; an imported timed mute takes the configured duration without a
// new mute.
func TestEasemobChatroomMuteRefused(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t, "noisy", "loud")
	env.change(t, "muting loud", func(ctx context.Context, c *easemob.Client) error {
		_, err := c.Mutes.Add(ctx, room, []string{"loud"}, 600_000)
		return err
	})
	body := func(name, user string) string {
		return fmt.Sprintf(`
resource "nim_easemob_chatroom_mute" %q {
  room_id     = %q
  username    = %q
  duration_ms = 600000
}
`, name, room, user)
	}
	mute := func(name, user string) string { return env.config(body(name, user)) }
	both := env.config(body("noisy", "noisy") + body("loud", "loud"))
	var since int
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{PreConfig: func() { since = env.mark() }, Config: mute("x", "stranger"),
				ExpectError: errorText("stranger is not a member of chatroom "+room, "depends_on")},
			{ // the owner: refused at plan, with the mute's own message
				Config: mute("x", "owner"), PlanOnly: true,
				ExpectError: errorText("owner cannot be muted", "owner is the owner of chatroom "+room, "Set username to another member"),
			},
			{ // nor is the owner a member to manage
				Config: env.config(fmt.Sprintf(`
resource "nim_easemob_chatroom_member" "o" {
  room_id  = %q
  username = "owner"
}
`, room)), PlanOnly: true,
				ExpectError: errorText("owner is not managed as a member", "owner is the owner of chatroom "+room),
			},
			{Config: mute("x", "loud"), ExpectError: existsError(room + "/loud")},
			{
				Config: mute("noisy", "noisy"),
				Check:  env.expectWrites(&since, "POST chatrooms/"+room+"/mute"), // the refused ones sent nothing
			},
			{ // lifted long before its end: drift, muted again
				PreConfig: func() {
					env.change(t, "unmuting noisy", func(ctx context.Context, c *easemob.Client) error {
						_, err := c.Mutes.Remove(ctx, room, []string{"noisy"})
						return err
					})
				},
				Config: mute("noisy", "noisy"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("nim_easemob_chatroom_mute.noisy", plancheck.ResourceActionCreate),
				}},
			},
			{ // import of a timed mute: the API does not tell its duration; the apply records it, nothing is sent
				PreConfig:          func() { since = env.mark() },
				Config:             both,
				ResourceName:       "nim_easemob_chatroom_mute.loud",
				ImportState:        true,
				ImportStateId:      room + "/loud",
				ImportStatePersist: true,
			},
			{
				Config: both,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("nim_easemob_chatroom_mute.loud", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("nim_easemob_chatroom_mute.loud", tfjsonpath.New("expires_at"), knownvalue.NotNull()),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("nim_easemob_chatroom_mute.loud", "duration_ms", "600000"),
					env.expectWrites(&since),
				),
			},
			{Config: both, PlanOnly: true},
		},
	})
}

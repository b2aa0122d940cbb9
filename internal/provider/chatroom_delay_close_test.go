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

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

func delayRoom(delay, open string) string {
	return roomConfig(`  creator = "owner1"
  name    = "Timed"
` + delay + open)
}

// delay_close changes in place (chatroom/updateDelayClosePolicy): the room
// keeps its id, and removing the block sends policy 0.
func TestChatroomDelayCloseChangesInPlace(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var roomID string
	var before requestMark
	mark := func() { before = env.mark("chatroom/updateDelayClosePolicy", "chatroom/create") }
	expect := func(policy int, seconds int64) resource.TestCheckFunc {
		return resource.ComposeTestCheckFunc(
			resource.TestCheckResourceAttrWith(roomAddr, "id", func(id string) error {
				if roomID == "" {
					roomID = id
				} else if id != roomID {
					return fmt.Errorf("room replaced: id %s, was %s", id, roomID)
				}
				return nil
			}),
			env.checkRoom(func(r simRoom) error {
				if r.DelayPolicy != policy || (policy != 0 && r.DelaySeconds != seconds) {
					return fmt.Errorf("room delay policy %d/%ds, want %d/%ds", r.DelayPolicy, r.DelaySeconds, policy, seconds)
				}
				return nil
			}),
			func(*terraform.State) error {
				if n := len(env.sentSince(before, "chatroom/create")); n != 0 {
					return fmt.Errorf("%d rooms created", n)
				}
				return nil
			},
		)
	}
	inPlace := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(roomAddr, plancheck.ResourceActionUpdate)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: env.config(delayRoom("  delay_close = { policy = \"fixed\", seconds = 3600 }\n", ""))},
			{
				PreConfig: mark, Config: env.config(delayRoom("  delay_close = { policy = \"idle\", seconds = 60 }\n", "")),
				ConfigPlanChecks: inPlace, Check: expect(2, 60),
			},
			{PreConfig: mark, Config: env.config(delayRoom("", "")), ConfigPlanChecks: inPlace, Check: expect(0, 0)},
			{
				PreConfig: mark, Config: env.config(delayRoom("  delay_close = { policy = \"fixed\", seconds = 1800 }\n", "")),
				ConfigPlanChecks: inPlace, Check: expect(1, 1800),
			},
		},
	})
}

// A room closed by its own delay-close policy stays closed: an unset open
// plans no reopening, an import plans none either; open = true reopens it,
// and a room closed by hand is reopened as before.
func TestChatroomClosedByItsPolicyStaysClosed(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	oneSecond := "  delay_close = { policy = \"fixed\", seconds = 1 }\n"
	anHour := "  delay_close = { policy = \"fixed\", seconds = 3600 }\n"
	var before requestMark
	mark := func() { before = env.mark("chatroom/toggleCloseStat") }
	noToggle := func(*terraform.State) error {
		if n := len(env.sentSince(before, "chatroom/toggleCloseStat")); n != 0 {
			return fmt.Errorf("%d toggleCloseStat requests sent", n)
		}
		return nil
	}
	roomIs := func(valid bool) resource.TestCheckFunc {
		return env.checkRoom(func(r simRoom) error {
			if r.Valid != valid {
				return fmt.Errorf("room valid = %v, want %v", r.Valid, valid)
			}
			return nil
		})
	}
	empty := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: env.config(delayRoom(oneSecond, ""))},
			{ // the policy closes the room; the next apply leaves it closed
				PreConfig: func() { time.Sleep(1500 * time.Millisecond); mark() },
				Config:    env.config(delayRoom(oneSecond, "")), ConfigPlanChecks: empty,
				Check: resource.ComposeTestCheckFunc(noToggle, roomIs(false),
					resource.TestCheckResourceAttr(roomAddr, "open", "false"),
					resource.TestCheckResourceAttr(roomAddr, "closed_by_delay_close", "true")),
			},
			{ // imported, it plans no reopening either
				Config: env.config(delayRoom(oneSecond, "")), ResourceName: roomAddr, ImportState: true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{ // a new policy on the closed room does not reopen it
				PreConfig: mark, Config: env.config(delayRoom(anHour, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{changes(roomAddr, map[string][2]any{"delay_close": {map[string]any{"policy": "fixed", "seconds": json.Number("1")}, map[string]any{"policy": "fixed", "seconds": json.Number("3600")}}})},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(noToggle, roomIs(false)),
			},
			{ // open = true reopens it
				PreConfig: mark, Config: env.config(delayRoom(anHour, "  open = true\n")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{changes(roomAddr, map[string][2]any{
						"open": {false, true}, "closed_by_delay_close": {true, false}})},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(roomIs(true), resource.TestCheckResourceAttr(roomAddr, "closed_by_delay_close", "false")),
			},
			{ // closed by hand, an unset open reopens it
				PreConfig: func() {
					env.outOfBand(t, "close the room by hand", func(ctx context.Context, c *client.Client) error {
						id := env.sim.Objects().Chatrooms[0].RoomID
						return c.Chatrooms.SetOpen(ctx, id, "owner1", false)
					})()
					mark()
				},
				Config: env.config(delayRoom(anHour, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{changes(roomAddr, map[string][2]any{"open": {false, true}})},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: roomIs(true),
			},
		},
	})
}

package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

const roomMemberAddr = "nim_chatroom_member.alice"

func (e *simEnv) roomMember(accid string) (nimsim.ChatroomMember, bool) {
	for _, r := range e.sim.Objects().Chatrooms {
		for _, m := range r.Members {
			if m.Accid == accid {
				return m, true
			}
		}
	}
	return nimsim.ChatroomMember{}, false
}

func TestChatroomMemberResource(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	cfg := func(attrs string) string {
		return env.config(`
resource "nim_chatroom" "room" {
  creator = "host"
  name    = "Town hall"
}

resource "nim_chatroom_member" "alice" {
  room_id = nim_chatroom.room.id
  accid   = "alice"
` + attrs + `
}
`)
	}
	expect := func(role string, blocked, muted bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			m, ok := env.roomMember("alice")
			if !ok || m.Role != role || m.Blacklisted != blocked || m.Muted != muted {
				return fmt.Errorf("alice in the room: %+v (found=%v), want role %q blocked=%v muted=%v", m, ok, role, blocked, muted)
			}
			return nil
		}
	}
	managerMuted := `  role  = "manager"
  muted = true`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkAllRoomsClosed,
		Steps: []resource.TestStep{
			{Config: cfg(managerMuted), Check: expect("MANAGER", false, true)},
			{ResourceName: roomMemberAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg(managerMuted), PlanOnly: true},
			{
				Config: cfg(`  role    = "member"
  blocked = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(roomMemberAddr, map[string][2]any{"role": {"manager", "member"}, "blocked": {false, true}, "muted": {true, false}}),
				}},
				Check: expect("COMMON", true, false),
			},
			{Config: cfg(`  role    = "member"
  blocked = true`), PlanOnly: true},
			{ // drift: unblocked behind Terraform's back
				PreConfig: env.outOfBand(t, "unblock alice", func(ctx context.Context, c *client.Client) error {
					room := env.sim.Objects().Chatrooms[0]
					_, err := c.Chatrooms.SetMemberRole(ctx, &client.SetMemberRoleRequest{
						RoomID: room.RoomID, Operator: "host", Target: "alice", Opt: -1, OptValue: false,
					})
					return err
				}),
				Config: cfg(`  role    = "member"
  blocked = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(roomMemberAddr, map[string][2]any{"blocked": {false, true}}),
				}},
				Check: expect("COMMON", true, false),
			},
			{ // destroy takes the role and the restrictions away
				Config: env.config(`
resource "nim_chatroom" "room" {
  creator = "host"
  name    = "Town hall"
}
`),
				Check: func(*terraform.State) error {
					if m, ok := env.roomMember("alice"); ok {
						return fmt.Errorf("alice still has settings in the room: %+v", m)
					}
					return nil
				},
			},
		},
	})
}

// Bad input fails at plan time (or import), before any API request.
func TestChatroomMemberResource_badInput(t *testing.T) {
	t.Parallel()
	testBadInput(t, []badInput{
		{"chatroom member bad role", `resource "nim_chatroom_member" "m" {
  room_id = "1"
  accid   = "alice"
  role    = "owner"
}`, `Attribute role value must be one of`},
		{"chatroom member manager on the blacklist", `resource "nim_chatroom_member" "m" {
  room_id = "1"
  accid   = "alice"
  role    = "manager"
  blocked = true
}`, `(?s)Conflicting chatroom member settings.*manager cannot be on the room's blacklist`},
		{"chatroom member room id not numeric", `resource "nim_chatroom_member" "m" {
  room_id = "lobby"
  accid   = "alice"
}`, `(?s)Invalid id.*room_id must be a positive integer`},
	}, []badImport{
		{"chatroom member with a bad room id", `resource "nim_chatroom_member" "x" {
  room_id = "1"
  accid   = "a"
}`, "lobby/alice", `(?s)Invalid import id.*room_id must be a positive integer`},
	})
}

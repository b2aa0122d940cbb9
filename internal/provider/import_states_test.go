package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

// A chatroom member in every state the provider can put it in (role none,
// member, manager × muted × blocked; a blocked manager is refused at plan
// time) imports into an empty state with an empty plan. Where NIM hides the
// role (a blocked or muted account is listed as LIMITED), the import id
// carries it, and an import without it fails saying so.
//
// It runs with the answers in both forms (membersByPage's desc as a value
// or as a JSON string holding it).
func TestChatroomMemberImportEveryState(t *testing.T) {
	t.Parallel()
	for _, form := range answerForms {
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			testChatroomMemberImportEveryState(t, form.cfg)
		})
	}
}

func testChatroomMemberImportEveryState(t *testing.T, simCfg nimsim.Config) {
	env := newSimEnv(t, simCfg)
	type state struct {
		label, role    string
		muted, blocked bool
	}
	var states []state
	for _, role := range []string{"none", "member", "manager"} {
		for _, muted := range []bool{false, true} {
			for _, blocked := range []bool{false, true} {
				if role == "manager" && blocked {
					continue
				}
				states = append(states, state{fmt.Sprintf("%s_m%t_b%t", role, muted, blocked), role, muted, blocked})
			}
		}
	}
	var b strings.Builder
	b.WriteString(`
resource "nim_chatroom" "room" {
  creator = "host"
  name    = "Every state"
}
`)
	for _, s := range states {
		fmt.Fprintf(&b, `
resource "nim_chatroom_member" %q {
  room_id = nim_chatroom.room.id
  accid   = %q
  role    = %q
  muted   = %t
  blocked = %t
}
`, s.label, strings.ReplaceAll(s.label, "_", "-"), s.role, s.muted, s.blocked)
	}
	cfg := env.config(b.String())
	steps := []resource.TestStep{{
		Config: cfg,
		Check: func(*terraform.State) error {
			for _, s := range states {
				m, ok := env.roomMember(strings.ReplaceAll(s.label, "_", "-"))
				wantRole := map[string]string{"member": "COMMON", "manager": "MANAGER"}[s.role]
				if s.role == "none" && !s.muted && !s.blocked {
					if ok {
						return fmt.Errorf("%s: listed as %+v", s.label, m)
					}
					continue
				}
				if !ok || m.Role != wantRole || m.Muted != s.muted || m.Blacklisted != s.blocked {
					return fmt.Errorf("%s: simulator holds %+v (found %v)", s.label, m, ok)
				}
			}
			return nil
		},
	}}
	for _, s := range states {
		addr := "nim_chatroom_member." + s.label
		hidden := s.role != "manager" && (s.muted || s.blocked)
		id := func(suffix string) func(st *terraform.State) (string, error) {
			return func(st *terraform.State) (string, error) {
				room, err := stateAttr(st, "nim_chatroom.room", "id")
				return room + "/" + strings.ReplaceAll(s.label, "_", "-") + suffix, err
			}
		}
		if hidden {
			steps = append(steps, resource.TestStep{ // without the role the import fails, saying what to set
				Config: cfg, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportStateIdFunc: id(""),
				ExpectError:       regexp.MustCompile(`(?s)LIMITED.*third part of the id.*terraform import ADDRESS\s+\d+/`),
			})
			steps = append(steps, resource.TestStep{
				Config: cfg, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportStateIdFunc: id("/" + s.role),
			})
			continue
		}
		steps = append(steps, resource.TestStep{
			Config: cfg, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
			ImportStateIdFunc: id(""),
		})
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: testProviders, Steps: steps})
}

// The configuration -generate-config-out writes for a muted member, imported
// with its role in the id, plans no change.
func TestChatroomMemberImportGeneratesConfig(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	room := `
resource "nim_chatroom" "room" {
  creator = "host"
  name    = "Generated"
}
`
	roomID := func(st *terraform.State) (string, error) { return stateAttr(st, "nim_chatroom.room", "id") }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: env.config(room)},
			{
				PreConfig: env.outOfBand(t, "make alice a muted member", func(ctx context.Context, c *client.Client) error {
					id := env.sim.Objects().Chatrooms[0].RoomID
					for _, opt := range []int{2, -2} {
						if _, err := c.Chatrooms.SetMemberRole(ctx, &client.SetMemberRoleRequest{
							RoomID: id, Operator: "host", Target: "alice", Opt: opt, OptValue: true,
						}); err != nil {
							return err
						}
					}
					return nil
				}),
				Config: env.config(room), ResourceName: "nim_chatroom_member.alice", ImportState: true,
				ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true,
				ImportStateIdFunc: func(st *terraform.State) (string, error) {
					id, err := roomID(st)
					return id + "/alice/member", err
				},
			},
		},
	})
}

// Every QChat resource and the chatroom, created with and without their
// optional attributes (and permissions), imports into an empty state with
// an empty plan.
func TestImportEveryResourceState(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	cfg := env.config(`
resource "nim_qchat_server" "min" {
  owner = "boss"
  name  = "Min"
}
resource "nim_qchat_server" "full" {
  owner                    = "boss"
  name                     = "Full"
  icon                     = "https://example.com/i.png"
  custom                   = "{\"k\":1}"
  invite_requires_approval = false
  apply_requires_approval  = true
}
resource "nim_qchat_channel" "min" {
  server_id = nim_qchat_server.full.id
  name      = "min"
}
resource "nim_qchat_channel" "full" {
  server_id  = nim_qchat_server.full.id
  name       = "full"
  topic      = "topic"
  custom     = "custom"
  visibility = "private"
}
resource "nim_qchat_role" "min" {
  server_id = nim_qchat_server.full.id
  name      = "min"
}
resource "nim_qchat_role" "full" {
  server_id = nim_qchat_server.full.id
  name      = "full"
  icon      = "icon"
  ext       = "ext"
  priority  = 5
  permissions {
    send_message = "deny"
    kick_member  = "allow"
  }
}
resource "nim_qchat_everyone_role" "full" {
  server_id = nim_qchat_server.full.id
  permissions {
    mention_everyone = "deny"
  }
}
resource "nim_qchat_server_member" "min" {
  server_id = nim_qchat_server.full.id
  accid     = "m1"
}
resource "nim_qchat_server_member" "full" {
  server_id = nim_qchat_server.full.id
  accid     = "m2"
  nick      = "Em Two"
  avatar    = "https://example.com/a.png"
  custom    = "c"
}
resource "nim_qchat_role_member" "full" {
  server_id = nim_qchat_server.full.id
  role_id   = nim_qchat_role.full.id
  accid     = nim_qchat_server_member.full.accid
}
resource "nim_qchat_channel_role" "full" {
  server_id      = nim_qchat_server.full.id
  channel_id     = nim_qchat_channel.min.id
  server_role_id = nim_qchat_role.full.id
  permissions {
    send_message   = "allow"
    delete_message = "inherit"
  }
}
resource "nim_qchat_channel_member_permissions" "full" {
  server_id  = nim_qchat_server.full.id
  channel_id = nim_qchat_channel.min.id
  accid      = nim_qchat_server_member.min.accid
  permissions {
    send_message = "deny"
  }
}
resource "nim_qchat_channel_access_list" "min" {
  server_id  = nim_qchat_server.full.id
  channel_id = nim_qchat_channel.min.id
  kind       = "blocklist"
}
resource "nim_qchat_channel_access_list" "full" {
  server_id  = nim_qchat_server.full.id
  channel_id = nim_qchat_channel.full.id
  kind       = "allowlist"
  role_ids   = [nim_qchat_role.full.id]
  accids     = [nim_qchat_server_member.full.accid]
}
resource "nim_chatroom" "min" {
  creator = "host"
  name    = "min"
}
resource "nim_chatroom" "full" {
  creator             = "host"
  name                = "full"
  announcement        = "hello"
  broadcast_url       = "https://live.example.com/a.flv"
  ext                 = "{\"k\":1}"
  queue_level         = "managers"
  muted               = true
  open                = false
  in_out_notification = false
  delay_close = {
    policy  = "idle"
    seconds = 600
  }
}
`)
	byAttr := func(addr, attr string) func(*terraform.State) (string, error) {
		return func(s *terraform.State) (string, error) { return stateAttr(s, addr, attr) }
	}
	withServer := func(addr string) func(*terraform.State) (string, error) {
		return func(s *terraform.State) (string, error) {
			sid, _ := stateAttr(s, "nim_qchat_server.full", "id")
			id, err := stateAttr(s, addr, "id")
			return sid + "/" + id, err
		}
	}
	imports := []struct {
		addr string
		id   func(*terraform.State) (string, error)
	}{
		{"nim_qchat_server.min", byAttr("nim_qchat_server.min", "id")},
		{"nim_qchat_server.full", byAttr("nim_qchat_server.full", "id")},
		{"nim_qchat_channel.min", byAttr("nim_qchat_channel.min", "id")},
		{"nim_qchat_channel.full", byAttr("nim_qchat_channel.full", "id")},
		{"nim_qchat_role.min", withoutPermissions(withServer("nim_qchat_role.min"))},
		{"nim_qchat_role.full", withServer("nim_qchat_role.full")},
		{"nim_qchat_everyone_role.full", byAttr("nim_qchat_server.full", "id")},
		{"nim_qchat_server_member.min", byAttr("nim_qchat_server_member.min", "id")},
		{"nim_qchat_server_member.full", byAttr("nim_qchat_server_member.full", "id")},
		{"nim_qchat_role_member.full", byAttr("nim_qchat_role_member.full", "id")},
		{"nim_qchat_channel_role.full", byAttr("nim_qchat_channel_role.full", "id")},
		{"nim_qchat_channel_member_permissions.full", byAttr("nim_qchat_channel_member_permissions.full", "id")},
		{"nim_qchat_channel_access_list.min", byAttr("nim_qchat_channel_access_list.min", "id")},
		{"nim_qchat_channel_access_list.full", byAttr("nim_qchat_channel_access_list.full", "id")},
		{"nim_chatroom.min", byAttr("nim_chatroom.min", "id")},
		{"nim_chatroom.full", byAttr("nim_chatroom.full", "id")},
	}
	steps := []resource.TestStep{{Config: cfg}}
	for _, im := range imports {
		steps = append(steps, resource.TestStep{
			Config: cfg, ResourceName: im.addr, ImportState: true,
			ImportStateKind: resource.ImportBlockWithID, ImportStateIdFunc: im.id,
		})
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: testProviders, Steps: steps})
}

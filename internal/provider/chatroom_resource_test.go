package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/client"
	"github.com/nimtf/terraform-provider-nim/internal/nimsim"
)

const roomAddr = "nim_chatroom.test"

func roomConfig(attrs string) string {
	return fmt.Sprintf("resource \"nim_chatroom\" \"test\" {\n%s\n}\n", attrs)
}

// checkRoom asserts on the simulator's copy of the room in state.
func (e *simEnv) checkRoom(check func(r simRoom) error) resource.TestCheckFunc {
	return checkSimObject(roomAddr, "id", "room", e.room, check)
}

func TestChatroomResource_lifecycle(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	var firstID string

	base := `
  creator = "owner1"
  name    = "Lobby"
`
	updated := `
  creator             = "owner1"
  name                = "Lobby 2"
  announcement        = "Welcome"
  broadcast_url       = "https://live.example.com/a.flv"
  ext                 = "{\"k\":1}"
  queue_level         = "managers"
  muted               = true
  in_out_notification = false
`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkAllRoomsClosed,
		Steps: []resource.TestStep{
			{ // create with defaults
				Config: env.config(roomConfig(base)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(roomAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+$`))),
					statecheck.ExpectKnownValue(roomAddr, tfjsonpath.New("open"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(roomAddr, tfjsonpath.New("muted"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(roomAddr, tfjsonpath.New("queue_level"), knownvalue.StringExact("anyone")),
					statecheck.ExpectKnownValue(roomAddr, tfjsonpath.New("in_out_notification"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(roomAddr, tfjsonpath.New("announcement"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(roomAddr, tfjsonpath.New("delay_close"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { firstID, _ = stateAttr(s, roomAddr, "id"); return nil },
					env.checkRoom(func(r simRoom) error {
						return expectRoom(r, simRoom{Creator: "owner1", Name: "Lobby", Valid: true, InOutNotify: true})
					}),
				),
			},
			{ // every mutable attribute in place
				Config: env.config(roomConfig(updated)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(roomAddr, plancheck.ResourceActionUpdate),
				}},
				Check: env.checkRoom(func(r simRoom) error {
					return expectRoom(r, simRoom{Creator: "owner1", Name: "Lobby 2", Announcement: "Welcome",
						BroadcastURL: "https://live.example.com/a.flv", Ext: `{"k":1}`, QueueLevel: 1,
						Muted: true, Valid: true, InOutNotify: false})
				}),
			},
			{ // close and rename in one apply: the rename must land before the close
				Config: env.config(roomConfig(strings.Replace(updated, `"Lobby 2"`, `"Lobby 3"`, 1) + "  open = false\n")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(roomAddr, map[string][2]any{"name": {"Lobby 2", "Lobby 3"}, "open": {true, false}}),
				}},
				Check: env.checkRoom(func(r simRoom) error {
					if r.Valid || r.Name != "Lobby 3" {
						return fmt.Errorf("want closed room named Lobby 3, got valid=%v name=%q", r.Valid, r.Name)
					}
					return nil
				}),
			},
			{ // reopen and change the announcement: the reopen must come first
				Config: env.config(roomConfig(strings.Replace(updated, `"Welcome"`, `"Back again"`, 1))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(roomAddr, map[string][2]any{
						"name": {"Lobby 3", "Lobby 2"}, "open": {false, true}, "announcement": {"Welcome", "Back again"},
					}),
				}},
				Check: env.checkRoom(func(r simRoom) error {
					if !r.Valid || r.Announcement != "Back again" {
						return fmt.Errorf("want open room with the new announcement, got valid=%v announcement=%q", r.Valid, r.Announcement)
					}
					return nil
				}),
			},
			{ // import by room id reproduces the state
				ResourceName:      roomAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{ // and a plan right after is empty
				Config:   env.config(roomConfig(strings.Replace(updated, `"Welcome"`, `"Back again"`, 1))),
				PlanOnly: true,
			},
			{ // drift: renamed, unmuted and closed behind Terraform's back
				PreConfig: env.outOfBand(t, "drift", func(ctx context.Context, c *client.Client) error {
					id, _ := parseID("id", firstID)
					if err := c.Chatrooms.Update(ctx, &client.UpdateChatroomRequest{ID: id, Name: ptr("Renamed outside")}); err != nil {
						return err
					}
					if err := c.Chatrooms.SetMuted(ctx, id, "owner1", false); err != nil {
						return err
					}
					return c.Chatrooms.SetOpen(ctx, id, "owner1", false)
				}),
				Config: env.config(roomConfig(strings.Replace(updated, `"Welcome"`, `"Back again"`, 1))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(roomAddr, map[string][2]any{
						"name": {"Renamed outside", "Lobby 2"}, "muted": {false, true}, "open": {false, true},
					}),
				}},
				Check: env.checkRoom(func(r simRoom) error {
					if !r.Valid || !r.Muted || r.Name != "Lobby 2" {
						return fmt.Errorf("drift not repaired: %+v", r)
					}
					return nil
				}),
			},
			{ // the room vanishes: it leaves state and is created again
				PreConfig: func() {
					id, _ := parseID("id", firstID)
					if !env.sim.Delete("chatroom", id) {
						t.Fatalf("simulator had no room %s to delete", firstID)
					}
				},
				Config: env.config(roomConfig(base)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(roomAddr, plancheck.ResourceActionCreate),
				}},
				Check: func(s *terraform.State) error {
					id, _ := stateAttr(s, roomAddr, "id")
					if id == firstID {
						return fmt.Errorf("expected a new room id, still %s", id)
					}
					firstID = id
					return nil
				},
			},
			{ // a new creator replaces the room; the old one is closed, not lost
				Config: env.config(roomConfig(strings.Replace(base, "owner1", "owner2", 1))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(roomAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(s *terraform.State) error {
					old, ok := env.room(firstID)
					if !ok || old.Valid {
						return fmt.Errorf("the replaced room %s should still exist, closed: %+v (found=%v)", firstID, old, ok)
					}
					return env.checkRoom(func(r simRoom) error {
						return expectRoom(r, simRoom{Creator: "owner2", Name: "Lobby", Valid: true, InOutNotify: true})
					})(s)
				},
			},
		},
	})
}

func TestChatroomResource_createOptions(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	cfg := func(seconds int, open bool) string {
		return env.config(roomConfig(fmt.Sprintf(`
  creator             = "host"
  name                = "聊天室-直播间"
  muted               = true
  open                = %v
  in_out_notification = false
  delay_close = {
    policy  = "idle"
    seconds = %d
  }
`, open, seconds)))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkAllRoomsClosed,
		Steps: []resource.TestStep{
			{
				Config: cfg(600, false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(roomAddr, tfjsonpath.New("delay_close"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"policy": knownvalue.StringExact("idle"), "seconds": knownvalue.Int64Exact(600),
					})),
				},
				Check: env.checkRoom(func(r simRoom) error {
					return expectRoom(r, simRoom{Creator: "host", Name: "聊天室-直播间", Muted: true, Valid: false,
						InOutNotify: false, DelayPolicy: 2, DelaySeconds: 600})
				}),
			},
			{ResourceName: roomAddr, ImportState: true, ImportStateVerify: true},
			{Config: cfg(600, false), PlanOnly: true},
			{ // a new delay policy changes the room in place (updateDelayClosePolicy)
				Config: cfg(900, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(roomAddr, plancheck.ResourceActionUpdate),
				}},
				Check: env.checkRoom(func(r simRoom) error {
					return expectRoom(r, simRoom{Creator: "host", Name: "聊天室-直播间", Muted: true, Valid: true,
						InOutNotify: false, DelayPolicy: 2, DelaySeconds: 900})
				}),
			},
		},
	})
}

func TestChatroomResource_badInput(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	long := func(n int) string { return strings.Repeat("x", n) }
	cases := []struct {
		name, attrs, err string
	}{
		{"name too long", `creator = "a"
  name = "` + long(129) + `"`, `(?s)Invalid attribute value length.*name must be between 1 and 128 characters`},
		{"empty name", `creator = "a"
  name = ""`, `(?s)Invalid attribute value length.*name must be between 1 and 128 characters`},
		{"creator too long", `creator = "` + long(33) + `"
  name = "n"`, `(?s)Invalid attribute value length.*creator must be between 1 and 32 characters`},
		{"announcement too long", `creator = "a"
  name = "n"
  announcement = "` + long(4097) + `"`, `(?s)Invalid attribute value length.*announcement must be at most 4096 characters`},
		{"broadcast url too long", `creator = "a"
  name = "n"
  broadcast_url = "` + long(1025) + `"`, `(?s)Invalid attribute value length.*broadcast_url must be at most 1024 characters`},
		{"ext too long", `creator = "a"
  name = "n"
  ext = "` + long(4097) + `"`, `(?s)Invalid attribute value length.*ext must be at most 4096 characters`},
		{"bad queue level", `creator = "a"
  name = "n"
  queue_level = "everyone"`, `(?s)Attribute queue_level.*value must be one of`},
		{"bad delay policy", `creator = "a"
  name = "n"
  delay_close = {
    policy  = "sometimes"
    seconds = 10
  }`, `(?s)Attribute delay_close.policy.*value must be one of`},
		{"delay too long", `creator = "a"
  name = "n"
  delay_close = {
    policy  = "fixed"
    seconds = 7201
  }`, `(?s)Attribute delay_close.seconds value must be between 1 and 7200`},
		{"delay zero", `creator = "a"
  name = "n"
  delay_close = {
    policy  = "fixed"
    seconds = 0
  }`, `(?s)Attribute delay_close.seconds value must be between 1 and 7200`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      env.config(roomConfig(tc.attrs)),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.err),
				}},
			})
		})
	}
	t.Run("import id not numeric", func(t *testing.T) {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviders,
			Steps: []resource.TestStep{{
				Config: env.config(roomConfig(`creator = "a"
  name = "n"`)),
				ResourceName:  roomAddr,
				ImportState:   true,
				ImportStateId: "lobby",
				ExpectError:   regexp.MustCompile(`(?s)Invalid import id.*numeric room id`),
			}},
		})
	})
	env.expectNoAPICalls(t)
}

func TestChatroomResource_importMissing(t *testing.T) {
	t.Parallel()
	env := newSimEnv(t, nimsim.Config{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: env.config(roomConfig(`creator = "a"
  name = "n"`)),
			ResourceName:  roomAddr,
			ImportState:   true,
			ImportStateId: "987654321",
			ExpectError:   regexp.MustCompile(`(?s)Cannot import non-existent remote object`),
		}},
	})
}

func (e *simEnv) checkAllRoomsClosed(_ *terraform.State) error {
	rooms := e.rooms()
	if len(rooms) == 0 {
		return fmt.Errorf("the simulator holds no room at all; destroy should close rooms, not lose them")
	}
	for _, r := range rooms {
		if r.Valid {
			return fmt.Errorf("room %d (%s) is still open after destroy", r.ID, r.Name)
		}
	}
	return nil
}

func expectRoom(got, want simRoom) error {
	want.ID = got.ID
	if got != want {
		return fmt.Errorf("simulator room:\n got  %+v\n want %+v", got, want)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

const emRoomAddr = "nim_easemob_chatroom.test"

func emRoomConfig(attrs string) string {
	return fmt.Sprintf("resource \"nim_easemob_chatroom\" \"test\" {\n%s\n}\n", attrs)
}

// emRoomFields is the part of a simulator room that the resource manages.
type emRoomFields struct {
	Name, Description, Owner, Custom, Announcement string
	MaxUsers                                       int
	MuteAll                                        bool
}

// expectEmRoom compares the fields of a simulator room that the resource manages.
func expectEmRoom(got easemobsim.Room, want easemobsim.Room) error {
	f := func(r easemobsim.Room) emRoomFields {
		return emRoomFields{Name: r.Name, Description: r.Description, Owner: r.Owner, Custom: r.Custom,
			Announcement: r.Announcement, MaxUsers: r.MaxUsers, MuteAll: r.MuteAll}
	}
	if f(got) != f(want) {
		return fmt.Errorf("simulator room %s: got %+v, want %+v", got.ID, f(got), f(want))
	}
	return nil
}

func TestEasemobChatroomResource_lifecycle(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	var firstID string

	base := `
  name        = "Lobby"
  description = "The lobby"
  owner       = "alice"
`
	updated := `
  name         = "Lobby 2"
  description  = "The new lobby"
  owner        = "bob"
  max_users    = 200
  announcement = "Welcome"
  mute_all     = true
`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoRooms,
		Steps: []resource.TestStep{
			{ // create with defaults
				Config: env.config(emRoomConfig(base)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(emRoomAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{15}$`))),
					statecheck.ExpectKnownValue(emRoomAddr, tfjsonpath.New("max_users"), knownvalue.Int64Exact(1000)),
					statecheck.ExpectKnownValue(emRoomAddr, tfjsonpath.New("custom"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(emRoomAddr, tfjsonpath.New("announcement"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(emRoomAddr, tfjsonpath.New("mute_all"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(emRoomAddr, tfjsonpath.New("created_at"),
						knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error { firstID, _ = stateAttr(s, emRoomAddr, "id"); return nil },
					env.checkRoom(emRoomAddr, func(r easemobsim.Room) error {
						return expectEmRoom(r, easemobsim.Room{Name: "Lobby", Description: "The lobby", Owner: "alice", MaxUsers: 1000})
					}),
				),
			},
			{ // every mutable attribute in place, the owner by a transfer to a user who is not yet a member
				Config: env.config(emRoomConfig(updated)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(emRoomAddr, map[string][2]any{
						"name": {"Lobby", "Lobby 2"}, "description": {"The lobby", "The new lobby"}, "owner": {"alice", "bob"},
						"max_users": {json.Number("1000"), json.Number("200")}, "announcement": {"", "Welcome"}, "mute_all": {false, true},
					}),
				}},
				Check: env.checkRoom(emRoomAddr, func(r easemobsim.Room) error {
					if len(r.Members) != 1 || r.Members[0].User != "alice" {
						return fmt.Errorf("after the transfer the old owner should stay as the only member, got %+v", r.Members)
					}
					return expectEmRoom(r, easemobsim.Room{Name: "Lobby 2", Description: "The new lobby", Owner: "bob",
						MaxUsers: 200, Announcement: "Welcome", MuteAll: true})
				}),
			},
			{ // import by room id reproduces the state
				ResourceName:      emRoomAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{ // and a plan right after is empty
				Config:   env.config(emRoomConfig(updated)),
				PlanOnly: true,
			},
			{ // drift in every attribute the API can change, then repaired
				PreConfig: env.outOfBand(t, "drift", func(ctx context.Context, c *easemob.Client) error {
					if _, err := c.Chatrooms.Update(ctx, firstID, &easemob.UpdateRequest{
						Name: ptr("Renamed outside"), Description: ptr("Changed outside"), MaxUsers: ptr(300),
					}); err != nil {
						return err
					}
					if _, err := c.Chatrooms.SetAnnouncement(ctx, firstID, "Changed"); err != nil {
						return err
					}
					if _, err := c.Chatrooms.SetMuteAll(ctx, firstID, false); err != nil {
						return err
					}
					_, err := c.Chatrooms.TransferOwner(ctx, firstID, "alice") // alice stayed a member
					return err
				}),
				Config: env.config(emRoomConfig(updated)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					changes(emRoomAddr, map[string][2]any{
						"name": {"Renamed outside", "Lobby 2"}, "description": {"Changed outside", "The new lobby"},
						"owner": {"alice", "bob"}, "max_users": {json.Number("300"), json.Number("200")},
						"announcement": {"Changed", "Welcome"}, "mute_all": {false, true},
					}),
				}},
				Check: env.checkRoom(emRoomAddr, func(r easemobsim.Room) error {
					return expectEmRoom(r, easemobsim.Room{Name: "Lobby 2", Description: "The new lobby", Owner: "bob",
						MaxUsers: 200, Announcement: "Welcome", MuteAll: true})
				}),
			},
			{ // the room vanishes: it leaves state and is created again
				PreConfig: func() {
					if !env.sim.DeleteRoom(firstID) {
						t.Fatalf("simulator had no room %s to delete", firstID)
					}
				},
				Config: env.config(emRoomConfig(base)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(emRoomAddr, plancheck.ResourceActionCreate),
				}},
				Check: func(s *terraform.State) error {
					id, _ := stateAttr(s, emRoomAddr, "id")
					if id == firstID {
						return fmt.Errorf("expected a new room id, still %s", id)
					}
					firstID = id
					return nil
				},
			},
			{ // a new custom replaces the room; the old one is deleted
				Config: env.config(emRoomConfig(base + `  custom = "{\"tier\":2}"` + "\n")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(emRoomAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: func(s *terraform.State) error {
					if _, ok := env.room(firstID); ok {
						return fmt.Errorf("the replaced room %s should be deleted", firstID)
					}
					if n := len(env.rooms()); n != 1 {
						return fmt.Errorf("want 1 room after the replacement, the simulator has %d", n)
					}
					return env.checkRoom(emRoomAddr, func(r easemobsim.Room) error {
						return expectEmRoom(r, easemobsim.Room{Name: "Lobby", Description: "The lobby", Owner: "alice",
							MaxUsers: 1000, Custom: `{"tier":2}`})
					})(s)
				},
			},
		},
	})
}

// A room created with everything set needs no second apply, and a room that
// is gone before destroy is not an error.
func TestEasemobChatroomResource_createAllAndGoneBeforeDestroy(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	cfg := env.config(emRoomConfig(`
  name         = "直播间"
  description  = "全部属性"
  owner        = "host.1"
  max_users    = 50
  custom       = "c"
  announcement = "公告"
  mute_all     = true
`))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoRooms,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: env.checkRoom(emRoomAddr, func(r easemobsim.Room) error {
					return expectEmRoom(r, easemobsim.Room{Name: "直播间", Description: "全部属性", Owner: "host.1",
						MaxUsers: 50, Custom: "c", Announcement: "公告", MuteAll: true})
				}),
			},
			{ // deleted behind Terraform's back right before destroy
				Config:  cfg,
				Destroy: true,
				PreConfig: func() {
					for _, r := range env.rooms() {
						env.sim.DeleteRoom(r.ID)
					}
				},
			},
		},
	})
}

// A create whose answer is lost after the simulator applied it is adopted,
// never sent again; one lost before it was applied is sent again once.
func TestEasemobChatroomResource_lostCreateAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		drop  int
		posts int
	}{
		{"dropped after applying", dropAfter, 1},
		{"dropped before applying", dropBefore, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newEmEnv(t, easemobsim.Config{})
			env.failOnce("POST", `^/chatrooms$`, tc.drop, "")
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				CheckDestroy:             env.checkNoRooms,
				Steps: []resource.TestStep{{
					Config: env.config(emRoomConfig(`
  name        = "Lobby"
  description = "d"
  owner       = "alice"
`)),
					Check: func(s *terraform.State) error {
						rooms := env.rooms()
						if len(rooms) != 1 {
							return fmt.Errorf("want exactly one room, the simulator has %d: %+v", len(rooms), rooms)
						}
						if id, _ := stateAttr(s, emRoomAddr, "id"); id != rooms[0].ID {
							return fmt.Errorf("state holds room %s, the simulator %s", id, rooms[0].ID)
						}
						if n := env.count("POST", `^/chatrooms$`); n != tc.posts {
							return fmt.Errorf("want %d create requests, the front saw %d", tc.posts, n)
						}
						return nil
					},
				}},
			})
		})
	}
}

// Every token expires while an apply is under way: the requests refused
// with 401 are sent again with one new token, and nothing is duplicated.
func TestEasemobChatroomResource_tokenExpiresDuringApply(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	var once sync.Once
	var tokensBefore int
	env.onServe = func(method, path string) {
		if method == "POST" && path == "/chatrooms" && env.count("POST", `^/chatrooms$`) >= 2 {
			once.Do(func() {
				tokensBefore = len(env.issuedTokens())
				env.sim.ExpireTokens()
			})
		}
	}
	rooms := `
resource "nim_easemob_chatroom" "test" {
  count       = 3
  name        = "Room ${count.index}"
  description = "d"
  owner       = "alice"
}
`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoRooms,
		Steps: []resource.TestStep{{
			Config: env.config(rooms),
			Check: func(*terraform.State) error {
				if tokensBefore == 0 {
					return fmt.Errorf("the tokens were never expired during the apply")
				}
				st := env.sim.Stats()
				if st.Statuses["401"] == 0 {
					return fmt.Errorf("no request was refused with 401 after the tokens expired: %v", st.Statuses)
				}
				if n := len(env.rooms()); n != 3 {
					return fmt.Errorf("want 3 rooms, the simulator has %d", n)
				}
				if n := env.count("POST", `^/chatrooms$`); n > 3+int(st.Statuses["401"]) {
					return fmt.Errorf("%d create requests for 3 rooms and %d refusals", n, st.Statuses["401"])
				}
				// The apply's client renewed its token once; the plan after it has its own.
				if n := len(env.issuedTokens()); n <= tokensBefore {
					return fmt.Errorf("no new token after the expiry (%d issued)", n)
				}
				return nil
			},
		}},
	})
}

// A single 401 (the token revoked by the server) costs one new token; a
// token request refused for wrong credentials is an error that names them
// and never prints the secret.
func TestEasemobChatroomResource_unauthorized(t *testing.T) {
	t.Parallel()
	t.Run("one refusal is renewed", func(t *testing.T) {
		t.Parallel()
		env := newEmEnv(t, easemobsim.Config{})
		env.failOnce("GET", `^/chatrooms$`, 401, "unauthorized")
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviders,
			CheckDestroy:             env.checkNoRooms,
			Steps: []resource.TestStep{{
				Config: env.config(emRoomConfig(`
  name        = "Lobby"
  description = "d"
  owner       = "alice"
`)),
				Check: func(*terraform.State) error {
					if n := len(env.rooms()); n != 1 {
						return fmt.Errorf("want 1 room, the simulator has %d", n)
					}
					// The refused listing is followed by one token request and
					// the listing again.
					seq := env.sequence()
					for i, r := range seq {
						if r == "GET /chatrooms" {
							if len(seq) < i+3 || seq[i+1] != "POST /token" || seq[i+2] != "GET /chatrooms" {
								return fmt.Errorf("after the 401 want a new token and the listing again, got %v", seq[i:min(i+3, len(seq))])
							}
							return nil
						}
					}
					return fmt.Errorf("no listing was sent: %v", seq)
				},
			}},
		})
	})
	t.Run("a refusal after the renewal is an error, not a loop", func(t *testing.T) {
		t.Parallel()
		env := newEmEnv(t, easemobsim.Config{})
		env.failOnce("GET", `^/chatrooms$`, 401, "unauthorized")
		env.failOnce("GET", `^/chatrooms$`, 401, "unauthorized")
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviders,
			Steps: []resource.TestStep{{
				Config: env.config(emRoomConfig(`
  name        = "Lobby"
  description = "d"
  owner       = "alice"
`)),
				ExpectError: regexp.MustCompile(`(?s)Cannot create Easemob chatroom.*HTTP status: 401`),
			}},
		})
		if n, m := env.count("POST", `^/token$`), env.count("GET", `^/chatrooms$`); n != 2 || m != 2 {
			t.Errorf("want 2 token requests and 2 listings (one renewal, no loop), got %d and %d", n, m)
		}
		if n := len(env.rooms()); n != 0 {
			t.Errorf("no room may be created, found %d", n)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		t.Parallel()
		env := newEmEnv(t, easemobsim.Config{})
		cfg := strings.Replace(env.config(emRoomConfig(`
  name        = "Lobby"
  description = "d"
  owner       = "alice"
`)), testEasemobClientSecret, "not-the-secret-4f4f", 1)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviders,
			Steps: []resource.TestStep{{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Cannot create Easemob chatroom.*token request was\s+refused.*client_id\s+and\s+client_secret`),
			}},
		})
		if n := env.count("POST", `^/token$`); n != 1 {
			t.Errorf("a refused token request must not be repeated: %d token requests", n)
		}
		if n := len(env.rooms()); n != 0 {
			t.Errorf("no room may be created with wrong credentials, found %d", n)
		}
	})
}

func TestEasemobChatroomResource_badInput(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := func(extra string) string {
		attrs := map[string]string{"name": `"n"`, "description": `"d"`, "owner": `"alice"`}
		var b strings.Builder
		for _, line := range strings.Split(strings.TrimSpace(extra), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				attrs[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
		for k, v := range attrs {
			fmt.Fprintf(&b, "  %s = %s\n", k, v)
		}
		return emRoomConfig(b.String())
	}
	cases := []badInput{
		{"name too long", room(`name = "` + longString(129) + `"`), `(?s)name.*between 1 and 128 characters`},
		{"name with slash", room(`name = "a/b"`), `(?s)name.*without '/'`},
		{"blank name", room(`name = "  "`), `(?s)name.*not blank`},
		{"empty description", room(`description = ""`), `(?s)description.*between 1 and 512`},
		{"description too long", room(`description = "` + longString(513) + `"`), `(?s)description.*between 1 and 512`},
		{"description with slash", room(`description = "a/b"`), `(?s)description.*without '/'`},
		{"max_users zero", room(`max_users = 0`), `(?s)max_users.*between 1 and 10000`},
		{"max_users too big", room(`max_users = 10001`), `(?s)max_users.*between 1 and 10000`},
		{"owner upper case", room(`owner = "Alice"`), `(?s)owner.*lower case`},
		{"owner with space", room(`owner = "a b"`), `(?s)owner.*Easemob user id`},
		{"owner too long", room(`owner = "` + strings.Repeat("a", 65) + `"`), `(?s)owner.*Easemob user id`},
		{"custom too long", room(`custom = "` + longString(1025) + `"`), `(?s)custom.*at most 1024`},
		{"announcement too long", room(`announcement = "` + longString(513) + `"`), `(?s)announcement.*at most 512`},
		{"data source id", `data "nim_easemob_chatroom" "x" { id = "12/3" }`, `(?s)id.*Easemob chatroom id`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      env.config(tc.config),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.err),
				}},
			})
		})
	}
	for _, id := range []string{"12,13", "ABC", "1/2"} {
		t.Run("import "+id, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:        env.config(room("")),
					ResourceName:  emRoomAddr,
					ImportState:   true,
					ImportStateId: id,
					ExpectError:   regexp.MustCompile(`(?s)Invalid import id.*not\s+an\s+Easemob\s+chatroom\s+id`),
				}},
			})
		})
	}
	env.expectNoAPICalls(t)
}

func TestEasemobChatroomResource_importMissing(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:        env.config(emRoomConfig("  name = \"n\"\n  description = \"d\"\n  owner = \"alice\"\n")),
			ResourceName:  emRoomAddr,
			ImportState:   true,
			ImportStateId: "399999999999999",
			ExpectError:   regexp.MustCompile(`Cannot import non-existent remote object`),
		}},
	})
}

// Against a server that answers as 002 states (one-room answers as bare
// objects, updates that need name, description and maxusers together, no
// mute-all state in the details), the resource still works, and keeps
// mute_all from state, as its documentation says.
func TestEasemobChatroomResource_docs002Server(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{Docs002: true})
	cfg := func(name string) string {
		return env.config(emRoomConfig(fmt.Sprintf(`
  name         = %q
  description  = "d"
  owner        = "alice"
  announcement = "a"
  mute_all     = true
`, name)))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoRooms,
		Steps: []resource.TestStep{
			{Config: cfg("A")},
			{ // only the name changes; the request carries all three fields
				Config: cfg("B"),
				Check: env.checkRoom(emRoomAddr, func(r easemobsim.Room) error {
					return expectEmRoom(r, easemobsim.Room{Name: "B", Description: "d", Owner: "alice", MaxUsers: 1000,
						Announcement: "a", MuteAll: true})
				}),
			},
			{ // mute-all turned off outside Terraform cannot be seen: the plan stays empty
				PreConfig: env.outOfBand(t, "unmute", func(ctx context.Context, c *easemob.Client) error {
					_, err := c.Chatrooms.SetMuteAll(ctx, env.rooms()[0].ID, false)
					return err
				}),
				Config:   cfg("B"),
				PlanOnly: true,
			},
		},
	})
}

// A refresh reads the rooms Terraform reads at the same time with one
// details request of several ids.
func TestEasemobChatroomResource_batchedReads(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	cfg := env.config(`
resource "nim_easemob_chatroom" "test" {
  count       = 8
  name        = "Room ${count.index}"
  description = "d"
  owner       = "alice"
}
`)
	details := `^/chatrooms/[^/]+$`
	var before int
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             env.checkNoRooms,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() { before = env.count("GET", details) },
				Config:    cfg, // a plan, an apply with nothing to do and a plan: three refreshes of 8 rooms
				Check: func(*terraform.State) error {
					seq := env.sequence()
					batched := false
					for _, r := range seq {
						batched = batched || (strings.HasPrefix(r, "GET /chatrooms/") && strings.Contains(r, ","))
					}
					n := env.count("GET", details) - before
					t.Logf("%d details requests for three refreshes of 8 rooms", n)
					if !batched || n >= 12 {
						return fmt.Errorf("want the refreshes batched (a details request of several ids, fewer than 12 in all), "+
							"got %d details requests, batched: %v", n, batched)
					}
					return nil
				},
			},
		},
	})
}

// Lost answers of the other writes: a transfer applied but unanswered is
// settled by reading the room (never sent again: a repeat answers 403), and
// a delete applied but unanswered is retried and finds the room gone.
func TestEasemobChatroomResource_lostWriteAnswers(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	cfg := func(owner string) string {
		return env.config(emRoomConfig(fmt.Sprintf("  name = \"n\"\n  description = \"d\"\n  owner = %q\n", owner)))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: func(s *terraform.State) error {
			if n := env.count("DELETE", `^/chatrooms/\d+$`); n != 2 {
				return fmt.Errorf("want the delete sent twice (the first answer lost), got %d", n)
			}
			return env.checkNoRooms(s)
		},
		Steps: []resource.TestStep{
			{Config: cfg("alice")},
			{
				PreConfig: func() {
					env.failOnce("PUT", `^/chatrooms/\d+$`, dropAfter, "")
					env.failOnce("DELETE", `^/chatrooms/\d+$`, dropAfter, "")
				},
				Config: cfg("bob"),
				Check: resource.ComposeTestCheckFunc(
					env.checkRoom(emRoomAddr, func(r easemobsim.Room) error {
						return expectEmRoom(r, easemobsim.Room{Name: "n", Description: "d", Owner: "bob", MaxUsers: 1000})
					}),
					func(*terraform.State) error {
						if n := env.count("PUT", `^/chatrooms/\d+$`); n != 1 {
							return fmt.Errorf("want one transfer request, got %d", n)
						}
						return nil
					},
				),
			},
		},
	})
}

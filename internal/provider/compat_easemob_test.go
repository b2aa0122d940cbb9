package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// The compatibility pass of the Easemob types (see compat_test.go): each
// configuration here is applied, updated, imported and destroyed on every
// CLI the suite runs on, against an Easemob simulator.

func TestEasemobChatroom_compat(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	type room struct {
		name, description, owner, announcement string
		maxUsers                               int
		muteAll                                bool
	}
	config := func(r room) string {
		return fmt.Sprintf(`
resource "nim_easemob_chatroom" "hall" {
  name         = %q
  description  = %q
  owner        = %q
  max_users    = %d
  custom       = "{\"tier\":1}"
  announcement = %q
  mute_all     = %t
}

data "nim_easemob_chatroom" "hall" {
  id         = nim_easemob_chatroom.hall.id
  depends_on = [nim_easemob_chatroom.hall]
}

data "nim_easemob_chatrooms" "all" {
  depends_on = [nim_easemob_chatroom.hall]
}
`, r.name, r.description, r.owner, r.maxUsers, r.announcement, r.muteAll)
	}
	const hall = "nim_easemob_chatroom.hall"
	created := room{name: "Town hall", description: "Monthly all-hands", owner: "alice", maxUsers: 500}
	// Every attribute that changes in place, the owner by a transfer.
	updated := room{name: "Town hall 2", description: "Weekly all-hands", owner: "bob", maxUsers: 200,
		announcement: "Welcome", muteAll: true}
	// dataChecks are the state checks of both data sources showing r.
	dataChecks := func(r room) []statecheck.StateCheck {
		const ds = "data.nim_easemob_chatroom.hall"
		return []statecheck.StateCheck{
			statecheck.CompareValuePairs(ds, compatPath("id"), hall, compatPath("id"), compareEqual),
			compatExpect(ds, compatPath("name"), knownvalue.StringExact(r.name)),
			compatExpect(ds, compatPath("description"), knownvalue.StringExact(r.description)),
			compatExpect(ds, compatPath("owner"), knownvalue.StringExact(r.owner)),
			compatExpect(ds, compatPath("max_users"), knownvalue.Int64Exact(int64(r.maxUsers))),
			compatExpect(ds, compatPath("custom"), knownvalue.StringExact(`{"tier":1}`)),
			compatExpect(ds, compatPath("announcement"), knownvalue.StringExact(r.announcement)),
			compatExpect(ds, compatPath("mute_all"), knownvalue.Bool(r.muteAll)),
			statecheck.CompareValuePairs(ds, compatPath("created_at"), hall, compatPath("created_at"), compareEqual),
			compatExpect("data.nim_easemob_chatrooms.all", compatPath("chatrooms"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":    knownvalue.StringRegexp(regexp.MustCompile(`^\d{15}$`)),
					"name":  knownvalue.StringExact(r.name),
					"owner": knownvalue.StringExact(r.owner),
				}),
			})),
			statecheck.CompareValuePairs("data.nim_easemob_chatrooms.all", compatPath("chatrooms").AtSliceIndex(0).AtMapKey("id"),
				hall, compatPath("id"), compareEqual),
		}
	}
	// simCheck checks the simulator holds exactly the one room, as r.
	simCheck := func(r room, members ...string) resource.TestCheckFunc {
		return env.checkRoom(hall, func(got easemobsim.Room) error {
			if n := len(env.rooms()); n != 1 {
				return fmt.Errorf("the simulator holds %d rooms, want 1", n)
			}
			var users []string
			for _, m := range got.Members {
				users = append(users, m.User)
			}
			if fmt.Sprint(users) != fmt.Sprint(members) {
				return fmt.Errorf("room members %v, want %v", users, members)
			}
			return expectEmRoom(got, easemobsim.Room{Name: r.name, Description: r.description, Owner: r.owner,
				MaxUsers: r.maxUsers, Custom: `{"tier":1}`, Announcement: r.announcement, MuteAll: r.muteAll})
		})
	}
	runCompat(t, env, compatCase{
		create: config(created),
		update: config(updated),
		changes: map[string]plancheck.ResourceActionType{
			hall: plancheck.ResourceActionUpdate,
		},
		createdState: dataChecks(created),
		created:      simCheck(created),
		updatedState: dataChecks(updated),
		// The transfer makes bob a member first, as the API requires; alice,
		// the former owner, stays a member.
		updated:   simCheck(updated, "alice"),
		imports:   []compatImport{importByID(hall)},
		destroyed: env.checkNoRooms,
	})
}

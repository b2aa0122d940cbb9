package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/nimtf/terraform-provider-nim/internal/easemob"
	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

// The compatibility pass of the Easemob access types (see compat_test.go):
// members, the admin set, the block and allow lists, mutes and super admins,
// with their data sources, applied, updated, imported and destroyed on every
// CLI the suite runs on, against an Easemob simulator.
//
// The rooms are created outside Terraform, so that after destroy the room
// is still there to show that every membership, admin, listing and mute
// the configuration made is gone.

// compatUserSet is a state check of a set of user ids.
func compatUserSet(us ...string) knownvalue.Check {
	cs := make([]knownvalue.Check, len(us))
	for i, u := range us {
		cs[i] = knownvalue.StringExact(u)
	}
	return knownvalue.SetExact(cs)
}

// emAccess is what the simulator's room holds for the access types.
type emAccess struct {
	members, admins, allow, blocks []string
	// mutes maps each muted user to whether the mute is timed (and then
	// not yet run out) rather than until removed.
	mutes map[string]bool
}

// checkAccess asserts that the room holds exactly want.
func (e *emEnv) checkAccess(t *testing.T, room string, want emAccess) resource.TestCheckFunc {
	return e.inRoom(t, room, func(r easemobsim.Room) error {
		var errs []string
		for _, c := range []struct {
			what      string
			got, want []string
		}{
			{"members", memberNames(r), want.members},
			{"admins", r.Admins, want.admins},
			{"allow list", r.Allow, want.allow},
			{"block list", r.Blocks, want.blocks},
		} {
			if err := expectUsers(c.what, c.got, c.want...); err != nil {
				errs = append(errs, err.Error())
			}
		}
		now := e.sim.Advance(0).UnixMilli()
		got := map[string]bool{}
		for _, m := range r.Mutes {
			got[m.User] = m.Expire != easemob.MuteForever
			if got[m.User] && m.Expire <= now {
				errs = append(errs, fmt.Sprintf("the mute of %s ran out at %d (now %d)", m.User, m.Expire, now))
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want.mutes) {
			errs = append(errs, fmt.Sprintf("mutes (user: timed) %v, want %v", got, want.mutes))
		}
		if len(errs) > 0 {
			return fmt.Errorf("chatroom %s: %s", room, strings.Join(errs, "; "))
		}
		return nil
	})
}

func TestEasemobChatroomAccess_compat(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	room := env.newRoom(t)
	// The admin set, the allow list and the mute need membership, so they
	// depend on the member resources; the block list adds the users who
	// are not members itself. The guest is a member the update replaces.
	config := func(guest string, admins, allow []string, muteMS int64, blocks []string) string {
		return fmt.Sprintf(`
resource "nim_easemob_chatroom_member" "ann" {
  room_id  = %[1]q
  username = "ann"
}

resource "nim_easemob_chatroom_member" "bob" {
  room_id  = %[1]q
  username = "bob"
}

resource "nim_easemob_chatroom_member" "cyd" {
  room_id  = %[1]q
  username = "cyd"
}

resource "nim_easemob_chatroom_member" "guest" {
  room_id  = %[1]q
  username = %[2]q
}

resource "nim_easemob_chatroom_admins" "mods" {
  room_id    = %[1]q
  usernames  = %[3]s
  depends_on = [nim_easemob_chatroom_member.ann, nim_easemob_chatroom_member.bob]
}

resource "nim_easemob_chatroom_allow_list" "vips" {
  room_id    = %[1]q
  usernames  = %[4]s
  depends_on = [nim_easemob_chatroom_member.bob, nim_easemob_chatroom_member.cyd]
}

resource "nim_easemob_chatroom_mute" "cyd" {
  room_id     = %[1]q
  username    = nim_easemob_chatroom_member.cyd.username
  duration_ms = %[5]d
  depends_on  = [nim_easemob_chatroom_member.cyd]
}

resource "nim_easemob_chatroom_block_list" "trolls" {
  room_id   = %[1]q
  usernames = %[6]s
}

data "nim_easemob_chatroom_members" "lobby" {
  room_id = %[1]q
  depends_on = [
    nim_easemob_chatroom_member.ann, nim_easemob_chatroom_member.bob, nim_easemob_chatroom_member.cyd,
    nim_easemob_chatroom_member.guest, nim_easemob_chatroom_block_list.trolls,
  ]
}
`, room, guest, hclList(admins), hclList(allow), muteMS, hclList(blocks))
	}
	const (
		admins  = "nim_easemob_chatroom_admins.mods"
		allow   = "nim_easemob_chatroom_allow_list.vips"
		mute    = "nim_easemob_chatroom_mute.cyd"
		blocks  = "nim_easemob_chatroom_block_list.trolls"
		guest   = "nim_easemob_chatroom_member.guest"
		members = "data.nim_easemob_chatroom_members.lobby"
	)
	runCompat(t, env, compatCase{
		create: config("dan", []string{"ann"}, []string{"bob"}, 3_600_000, []string{"troll"}),
		// Every list both loses and gains a user; the mute becomes one
		// until removed, so that its import reads back all it was made
		// with (the API does not report a timed mute's duration).
		update: config("eve", []string{"bob"}, []string{"bob", "cyd"}, easemob.MuteForever, []string{"spam"}),
		changes: map[string]plancheck.ResourceActionType{
			admins: plancheck.ResourceActionUpdate,
			allow:  plancheck.ResourceActionUpdate,
			mute:   plancheck.ResourceActionUpdate,
			blocks: plancheck.ResourceActionUpdate,
			// A membership has nothing to change in place: another user is
			// another membership.
			guest:                             plancheck.ResourceActionReplace,
			"nim_easemob_chatroom_member.ann": plancheck.ResourceActionNoop,
		},
		createdState: []statecheck.StateCheck{
			compatExpect(members, compatPath("owner"), knownvalue.StringExact("owner")),
			// troll joined to be blocked, and blocking ended the membership.
			compatExpect(members, compatPath("usernames"), compatUserSet("ann", "bob", "cyd", "dan")),
			compatExpect(admins, compatPath("usernames"), compatUserSet("ann")),
			compatExpect(allow, compatPath("usernames"), compatUserSet("bob")),
			compatExpect(blocks, compatPath("usernames"), compatUserSet("troll")),
			compatExpect(mute, compatPath("duration_ms"), knownvalue.Int64Exact(3_600_000)),
			compatExpect(mute, compatPath("expires_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`))),
			compatExpect(guest, compatPath("id"), knownvalue.StringExact(room+"/dan")),
		},
		created: env.checkAccess(t, room, emAccess{
			members: []string{"ann", "bob", "cyd", "dan"},
			admins:  []string{"ann"},
			allow:   []string{"bob"},
			blocks:  []string{"troll"},
			mutes:   map[string]bool{"cyd": true},
		}),
		updatedState: []statecheck.StateCheck{
			// Unblocking does not bring troll back; spam joined to be blocked.
			compatExpect(members, compatPath("usernames"), compatUserSet("ann", "bob", "cyd", "eve")),
			compatExpect(admins, compatPath("usernames"), compatUserSet("bob")),
			compatExpect(allow, compatPath("usernames"), compatUserSet("bob", "cyd")),
			compatExpect(blocks, compatPath("usernames"), compatUserSet("spam")),
			compatExpect(mute, compatPath("duration_ms"), knownvalue.Int64Exact(easemob.MuteForever)),
			compatExpect(mute, compatPath("expires_at"), knownvalue.Null()),
			compatExpect(guest, compatPath("id"), knownvalue.StringExact(room+"/eve")),
		},
		updated: env.checkAccess(t, room, emAccess{
			members: []string{"ann", "bob", "cyd", "eve"},
			admins:  []string{"bob"},
			allow:   []string{"bob", "cyd"},
			blocks:  []string{"spam"},
			mutes:   map[string]bool{"cyd": false},
		}),
		imports: []compatImport{
			importByID(guest),
			importByID(admins),
			importByID(allow),
			importByID(mute),
			importByID(blocks),
		},
		// The room stays, emptied of everything the configuration made.
		destroyed: env.checkAccess(t, room, emAccess{}),
	})
}

func TestEasemobSuperAdmin_compat(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	// A super admin made outside Terraform, which nothing here may touch.
	env.change(t, "adding a super admin", func(ctx context.Context, c *easemob.Client) error {
		_, err := c.SuperAdmins.Add(ctx, "boss")
		return err
	})
	config := func(user string) string {
		return fmt.Sprintf(`
resource "nim_easemob_super_admin" "ops" {
  username = %q
}

data "nim_easemob_super_admins" "all" {
  depends_on = [nim_easemob_super_admin.ops]
}
`, user)
	}
	const ops = "nim_easemob_super_admin.ops"
	superAdmins := func(want ...string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			got := env.sim.Objects().SuperAdmins
			if err := expectUsers("super admins", got, want...); err != nil {
				return err
			}
			if !slices.Contains(got, "boss") {
				return fmt.Errorf("the super admin made outside Terraform is gone: %v", got)
			}
			return nil
		}
	}
	runCompat(t, env, compatCase{
		create: config("ops01"),
		update: config("ops02"),
		changes: map[string]plancheck.ResourceActionType{
			// Nothing to change in place: another user is another right.
			ops: plancheck.ResourceActionReplace,
		},
		createdState: []statecheck.StateCheck{
			compatExpect("data.nim_easemob_super_admins.all", compatPath("usernames"), compatUserSet("boss", "ops01")),
			compatExpect(ops, compatPath("id"), knownvalue.StringExact("ops01")),
		},
		created: superAdmins("boss", "ops01"),
		updatedState: []statecheck.StateCheck{
			compatExpect("data.nim_easemob_super_admins.all", compatPath("usernames"), compatUserSet("boss", "ops02")),
			compatExpect(ops, compatPath("id"), knownvalue.StringExact("ops02")),
		},
		updated:   superAdmins("boss", "ops02"),
		imports:   []compatImport{importByID(ops)},
		destroyed: superAdmins("boss"),
	})
}

package provider

import (
	"fmt"
	"testing"

	"github.com/nimtf/terraform-provider-nim/internal/easemobsim"
)

var easemobIdentityCases = []identityCase{
	{"nim_easemob_chatroom.hall", easemobChatroomIdentity, true},
	{"nim_easemob_chatroom_member.m01", easemobMemberIdentity, false},
	{"nim_easemob_chatroom_admins.hall", easemobUserSetIdentity, true},
	{"nim_easemob_chatroom_allow_list.hall", easemobUserSetIdentity, true},
	{"nim_easemob_chatroom_block_list.hall", easemobUserSetIdentity, true},
	{"nim_easemob_chatroom_mute.m02", easemobMuteIdentity, false},
	{"nim_easemob_super_admin.ops", easemobSuperAdminIdentity, false},
}

// easemobIdentityConfig holds one of every Easemob resource; v2 changes
// those that can change in place.
func easemobIdentityConfig(v2 bool) string {
	description, admins, allowed, blocked := "Town hall", `["m01"]`, `["m01"]`, `["troll"]`
	if v2 {
		description, admins, allowed, blocked = "Town hall, renamed", `["m01", "m02"]`, `["m01", "m02"]`, `["troll", "troll2"]`
	}
	return fmt.Sprintf(`
resource "nim_easemob_chatroom" "hall" {
  name        = "hall"
  description = %q
  owner       = "host"
}

resource "nim_easemob_chatroom_member" "m01" {
  room_id  = nim_easemob_chatroom.hall.id
  username = "m01"
}

resource "nim_easemob_chatroom_member" "m02" {
  room_id  = nim_easemob_chatroom.hall.id
  username = "m02"
}

resource "nim_easemob_chatroom_admins" "hall" {
  room_id    = nim_easemob_chatroom.hall.id
  usernames  = %s
  depends_on = [nim_easemob_chatroom_member.m01, nim_easemob_chatroom_member.m02]
}

resource "nim_easemob_chatroom_allow_list" "hall" {
  room_id    = nim_easemob_chatroom.hall.id
  usernames  = %s
  depends_on = [nim_easemob_chatroom_member.m01, nim_easemob_chatroom_member.m02]
}

resource "nim_easemob_chatroom_block_list" "hall" {
  room_id   = nim_easemob_chatroom.hall.id
  usernames = %s
}

resource "nim_easemob_chatroom_mute" "m02" {
  room_id    = nim_easemob_chatroom.hall.id
  username   = "m02"
  depends_on = [nim_easemob_chatroom_member.m02]
}

resource "nim_easemob_super_admin" "ops" {
  username = "ops01"
}
`, description, admins, allowed, blocked)
}

// TestEasemobResourceIdentity: the identity test of every Easemob resource.
func TestEasemobResourceIdentity(t *testing.T) {
	t.Parallel()
	env := newEmEnv(t, easemobsim.Config{})
	testResourceIdentity(t, easemobIdentityCases, env.config(easemobIdentityConfig(false)), env.config(easemobIdentityConfig(true)))
}

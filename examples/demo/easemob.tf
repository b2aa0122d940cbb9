# --- Easemob (环信) chatrooms, managed beside NIM in the same configuration ---
# The provider reads EASEMOB_HOST, EASEMOB_ORG_NAME, EASEMOB_APP_NAME,
# EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET from the environment (or from
# an easemob block in the provider configuration).

resource "nim_easemob_chatroom" "town_hall" {
  name         = "Town hall"
  description  = "Monthly all-hands of the community"
  owner        = "founder"
  max_users    = 500
  announcement = "Questions go in the thread, please."
}

# The room beside the NIM launch stream refers to it in its custom data.
resource "nim_easemob_chatroom" "launch_party" {
  name        = "Launch party"
  description = "Chat beside the launch live stream"
  owner       = "host002"
  custom      = jsonencode({ nim_room = nim_chatroom.launch_stream.id })
  mute_all    = true
}

# Who runs the town hall. Admin rights and the allow list need membership,
# so the members are declared and the lists depend on them.
resource "nim_easemob_chatroom_member" "town_hall" {
  for_each = toset(["mod_ann", "mod_bo", "speaker01", "noisy42"])
  room_id  = nim_easemob_chatroom.town_hall.id
  username = each.key
}

resource "nim_easemob_chatroom_admins" "town_hall" {
  room_id    = nim_easemob_chatroom.town_hall.id
  usernames  = ["mod_ann", "mod_bo"]
  depends_on = [nim_easemob_chatroom_member.town_hall]
}

# The speaker may talk while the room is muted, and never leaves by idling.
resource "nim_easemob_chatroom_allow_list" "town_hall" {
  room_id    = nim_easemob_chatroom.town_hall.id
  usernames  = ["mod_ann", "speaker01"]
  depends_on = [nim_easemob_chatroom_member.town_hall]
}

# Blocked users need not be members: the provider adds them, then blocks them.
resource "nim_easemob_chatroom_block_list" "town_hall" {
  room_id   = nim_easemob_chatroom.town_hall.id
  usernames = ["spammer01", "troll99"]
}

# One hour of silence (milliseconds), counted from the apply.
resource "nim_easemob_chatroom_mute" "noisy" {
  room_id     = nim_easemob_chatroom.town_hall.id
  username    = "noisy42"
  duration_ms = 3600000
  depends_on  = [nim_easemob_chatroom_member.town_hall]
}

# App-wide: may create chatrooms from the client SDKs.
resource "nim_easemob_super_admin" "ops" {
  username = "ops01"
}

data "nim_easemob_chatrooms" "all" {
  depends_on = [nim_easemob_chatroom.town_hall, nim_easemob_chatroom.launch_party]
}

output "easemob_rooms" {
  value = { for r in data.nim_easemob_chatrooms.all.chatrooms : r.id => r.name }
}

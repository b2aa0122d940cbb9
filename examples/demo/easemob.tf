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

data "nim_easemob_chatrooms" "all" {
  depends_on = [nim_easemob_chatroom.town_hall, nim_easemob_chatroom.launch_party]
}

output "easemob_rooms" {
  value = { for r in data.nim_easemob_chatrooms.all.chatrooms : r.name => r.id }
}

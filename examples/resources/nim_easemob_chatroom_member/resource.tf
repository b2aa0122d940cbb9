# One user's membership. The admins, allow list and mute examples declare
# the members they need the same way, each for other users, so that the
# examples can be used together.
resource "nim_easemob_chatroom_member" "guest" {
  room_id  = nim_easemob_chatroom.lobby.id
  username = "guest01"
}

resource "nim_easemob_chatroom_member" "host" {
  room_id  = nim_easemob_chatroom.lobby.id
  username = "host01"
}

# The complete allow list. Allow-listed users may speak while the room is
# muted and never leave by being offline. Only members can be allow-listed,
# so the member comes first (depends_on).
resource "nim_easemob_chatroom_allow_list" "lobby" {
  room_id    = nim_easemob_chatroom.lobby.id
  usernames  = [nim_easemob_chatroom_member.host.username]
  depends_on = [nim_easemob_chatroom_member.host]
}

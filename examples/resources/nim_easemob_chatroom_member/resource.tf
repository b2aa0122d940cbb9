# Members the room's admins, allow list and mutes need.
resource "nim_easemob_chatroom_member" "mod_ann" {
  room_id  = nim_easemob_chatroom.lobby.id
  username = "ann"
}

resource "nim_easemob_chatroom_member" "mod_bob" {
  room_id  = nim_easemob_chatroom.lobby.id
  username = "bob"
}

# Admin rights need membership: depends_on makes Terraform add the members
# first (and, when a member left by idling, add it again before the admins).
resource "nim_easemob_chatroom_admins" "lobby" {
  room_id    = nim_easemob_chatroom.lobby.id
  usernames  = ["ann", "bob"]
  depends_on = [nim_easemob_chatroom_member.mod_ann, nim_easemob_chatroom_member.mod_bob]
}

resource "nim_easemob_chatroom_member" "mod_ann" {
  room_id  = nim_easemob_chatroom.lobby.id
  username = "ann"
}

resource "nim_easemob_chatroom_member" "mod_bob" {
  room_id  = nim_easemob_chatroom.lobby.id
  username = "bob"
}

# The complete admin set: admins added in the console are removed on apply.
# Admin rights need membership: depends_on makes Terraform add the members
# first (and, when a member left by idling, add it again before the admins).
resource "nim_easemob_chatroom_admins" "lobby" {
  room_id    = nim_easemob_chatroom.lobby.id
  usernames  = [nim_easemob_chatroom_member.mod_ann.username, nim_easemob_chatroom_member.mod_bob.username]
  depends_on = [nim_easemob_chatroom_member.mod_ann, nim_easemob_chatroom_member.mod_bob]
}

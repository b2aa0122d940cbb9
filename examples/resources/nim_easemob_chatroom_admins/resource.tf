resource "nim_easemob_chatroom_member" "moderators" {
  for_each = toset(["ann", "bob"])
  room_id  = nim_easemob_chatroom.lobby.id
  username = each.key
}

# The complete admin set: admins added in the console are removed on apply.
# Admins must be members, so the members come first (depends_on).
resource "nim_easemob_chatroom_admins" "lobby" {
  room_id    = nim_easemob_chatroom.lobby.id
  usernames  = [for m in nim_easemob_chatroom_member.moderators : m.username]
  depends_on = [nim_easemob_chatroom_member.moderators]
}

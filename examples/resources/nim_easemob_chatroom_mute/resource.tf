resource "nim_easemob_chatroom_member" "noisy" {
  room_id  = nim_easemob_chatroom.lobby.id
  username = "noisy42"
}

# Muted for one hour from the apply; afterwards the mute has run its course
# and is not renewed. A mute needs membership when it is applied, so the
# member comes first (depends_on).
resource "nim_easemob_chatroom_mute" "noisy" {
  room_id     = nim_easemob_chatroom.lobby.id
  username    = nim_easemob_chatroom_member.noisy.username
  duration_ms = 3600000
  depends_on  = [nim_easemob_chatroom_member.noisy]
}

resource "nim_easemob_chatroom_member" "troll" {
  room_id  = nim_easemob_chatroom.lobby.id
  username = "troll99"
}

# Muted until this resource is destroyed (duration_ms defaults to -1).
resource "nim_easemob_chatroom_mute" "troll" {
  room_id    = nim_easemob_chatroom.lobby.id
  username   = nim_easemob_chatroom_member.troll.username
  depends_on = [nim_easemob_chatroom_member.troll]
}

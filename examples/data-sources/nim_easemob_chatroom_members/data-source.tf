# Who is in the room right now (members who stay offline leave by themselves).
data "nim_easemob_chatroom_members" "lobby" {
  room_id = nim_easemob_chatroom.lobby.id
}

output "lobby_members" {
  value = data.nim_easemob_chatroom_members.lobby.usernames
}

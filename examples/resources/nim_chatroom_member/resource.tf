resource "nim_chatroom_member" "cohost" {
  room_id = nim_chatroom.lobby.id
  accid   = "cohost01"
  role    = "manager"
}

resource "nim_chatroom_member" "troll" {
  room_id = nim_chatroom.lobby.id
  accid   = "troll99"
  blocked = true
}

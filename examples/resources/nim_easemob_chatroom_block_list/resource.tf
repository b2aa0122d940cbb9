# The complete block list: users blocked by moderators outside Terraform are
# unblocked on apply. Users who are not in the room are added and then
# blocked (the API blocks members only); blocking ends their membership.
resource "nim_easemob_chatroom_block_list" "lobby" {
  room_id   = nim_easemob_chatroom.lobby.id
  usernames = ["spammer01", "flooder02"]
}

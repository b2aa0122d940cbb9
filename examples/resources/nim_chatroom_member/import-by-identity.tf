# Import a chatroom member by its room and account.
import {
  to = nim_chatroom_member.cohost
  identity = {
    room_id = "1600849145"
    accid   = "cohost01"
  }
}

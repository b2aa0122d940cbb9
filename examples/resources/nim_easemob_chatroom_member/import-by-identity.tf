# Import a member by its room and user id.
import {
  to = nim_easemob_chatroom_member.mod_ann
  identity = {
    room_id  = "300000000000001"
    username = "ann"
  }
}

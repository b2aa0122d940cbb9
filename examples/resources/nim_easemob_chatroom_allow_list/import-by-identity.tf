# Import a room's allow list by the room id.
import {
  to = nim_easemob_chatroom_allow_list.lobby
  identity = {
    room_id = "300000000000001"
  }
}

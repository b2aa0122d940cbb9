# Import a room's block list by the room id.
import {
  to = nim_easemob_chatroom_block_list.lobby
  identity = {
    room_id = "300000000000001"
  }
}

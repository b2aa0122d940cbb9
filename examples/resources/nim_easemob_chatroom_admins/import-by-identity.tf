# Import a room's admin set by the room id.
import {
  to = nim_easemob_chatroom_admins.lobby
  identity = {
    room_id = "300000000000001"
  }
}

# Import a chatroom by its identity: the room id.
import {
  to = nim_chatroom.lobby
  identity = {
    room_id = "1600849145"
  }
}

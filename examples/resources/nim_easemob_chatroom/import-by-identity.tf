# Import an Easemob chatroom by its room id.
import {
  to = nim_easemob_chatroom.town_hall
  identity = {
    room_id = "300000000000001"
  }
}

# Import a mute by its room and user id.
import {
  to = nim_easemob_chatroom_mute.noisy
  identity = {
    room_id  = "300000000000001"
    username = "noisy42"
  }
}

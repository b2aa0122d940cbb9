# Import a QChat channel by its channel id.
import {
  to = nim_qchat_channel.announcements
  identity = {
    channel_id = "1234567"
  }
}

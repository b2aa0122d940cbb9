# Import a channel role by server, channel and the channel role's own id
# (not the server role's).
import {
  to = nim_qchat_channel_role.announcements_moderators
  identity = {
    server_id  = "1513535"
    channel_id = "1234567"
    role_id    = "30001"
  }
}

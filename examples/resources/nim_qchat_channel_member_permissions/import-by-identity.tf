# Import an account's permissions in a channel by server, channel and account.
import {
  to = nim_qchat_channel_member_permissions.ann_announcements
  identity = {
    server_id  = "1513535"
    channel_id = "1234567"
    accid      = "mod_ann"
  }
}

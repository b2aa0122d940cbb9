# Import a channel access list by its server, channel and kind (allowlist or blocklist).
import {
  to = nim_qchat_channel_access_list.staff
  identity = {
    server_id  = "1513535"
    channel_id = "1234567"
    kind       = "allowlist"
  }
}

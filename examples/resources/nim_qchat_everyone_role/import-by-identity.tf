# Import a server's @everyone role by the server id.
import {
  to = nim_qchat_everyone_role.everyone
  identity = {
    server_id = "1513535"
  }
}

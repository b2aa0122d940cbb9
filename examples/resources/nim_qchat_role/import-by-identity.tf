# Import a custom QChat role by its server and role id.
import {
  to = nim_qchat_role.moderators
  identity = {
    server_id = "1513535"
    role_id   = "20001"
  }
}

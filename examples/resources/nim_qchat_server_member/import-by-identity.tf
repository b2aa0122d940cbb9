# Import a server member by its server and account.
import {
  to = nim_qchat_server_member.ann
  identity = {
    server_id = "1513535"
    accid     = "mod_ann"
  }
}

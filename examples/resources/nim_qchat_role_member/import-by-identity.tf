# Import a role membership by server, role and account.
import {
  to = nim_qchat_role_member.ann_moderates
  identity = {
    server_id = "1513535"
    role_id   = "20001"
    accid     = "mod_ann"
  }
}

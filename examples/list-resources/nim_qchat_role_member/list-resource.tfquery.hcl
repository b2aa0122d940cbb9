# Who holds one custom role of a QChat server; leave role_id out for every custom role.
list "nim_qchat_role_member" "moderators" {
  provider = nim

  config {
    server_id = "1513535"
    role_id   = "20001"
  }
}

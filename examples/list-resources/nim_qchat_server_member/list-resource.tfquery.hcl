# The members of a QChat server (its owner aside).
list "nim_qchat_server_member" "community" {
  provider = nim

  config {
    server_id = "1513535"
  }
}

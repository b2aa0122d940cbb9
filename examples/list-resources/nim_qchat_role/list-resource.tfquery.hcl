# The custom roles of a QChat server, with every permission they set.
list "nim_qchat_role" "community" {
  provider = nim

  config {
    server_id = "1513535"
  }
}

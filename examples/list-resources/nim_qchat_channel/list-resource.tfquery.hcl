# The channels of a QChat server.
list "nim_qchat_channel" "community" {
  provider = nim

  config {
    server_id = "1513535"
  }
}

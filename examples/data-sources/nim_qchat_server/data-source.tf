data "nim_qchat_server" "community" {
  id = "1513535"
}

# Manage a channel in a server that Terraform does not manage.
resource "nim_qchat_channel" "announcements" {
  server_id = data.nim_qchat_server.community.id
  operator  = data.nim_qchat_server.community.owner
  name      = "announcements"
}

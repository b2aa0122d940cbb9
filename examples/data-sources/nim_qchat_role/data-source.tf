# A role created in the NIM console; fails if no role, or several, have the name.
data "nim_qchat_role" "moderators" {
  server_id = "1513535"
  name      = "moderators"
}

# Give the existing role extra rights in one channel.
resource "nim_qchat_channel_role" "moderators_in_news" {
  server_id      = data.nim_qchat_role.moderators.server_id
  channel_id     = "5000000001"
  server_role_id = data.nim_qchat_role.moderators.id

  permissions {
    send_message = "allow"
  }
}

resource "nim_qchat_everyone_role" "everyone" {
  server_id = nim_qchat_server.community.id

  permissions {
    send_message     = "allow"
    mention_everyone = "deny"
  }
}

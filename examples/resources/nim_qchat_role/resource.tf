resource "nim_qchat_role" "moderators" {
  server_id = nim_qchat_server.community.id
  name      = "moderators"
  priority  = 1

  # Only the permissions listed here are managed.
  permissions {
    manage_channel = "allow"
    recall_message = "allow"
    delete_message = "allow"
    kick_member    = "allow"
    manage_server  = "deny"
  }
}

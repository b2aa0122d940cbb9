# Everyone may read the announcements channel, but not write in it ...
resource "nim_qchat_channel_role" "announcements_everyone" {
  server_id      = nim_qchat_server.community.id
  channel_id     = nim_qchat_channel.announcements.id
  server_role_id = nim_qchat_server.community.everyone_role_id

  permissions {
    send_message = "deny"
  }
}

# ... except moderators.
resource "nim_qchat_channel_role" "announcements_moderators" {
  server_id      = nim_qchat_server.community.id
  channel_id     = nim_qchat_channel.announcements.id
  server_role_id = nim_qchat_role.moderators.id

  permissions {
    send_message   = "allow"
    recall_message = "inherit" # whatever the moderators role says server-wide
  }
}

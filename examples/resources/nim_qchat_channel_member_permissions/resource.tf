# Ann may manage the announcements channel even if her roles say otherwise.
resource "nim_qchat_channel_member_permissions" "ann_announcements" {
  server_id  = nim_qchat_server.community.id
  channel_id = nim_qchat_channel.announcements.id
  accid      = nim_qchat_server_member.ann.accid

  permissions {
    send_message   = "allow"
    manage_channel = "allow"
    delete_message = "inherit"
  }
}

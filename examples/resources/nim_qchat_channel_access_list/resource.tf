# A private channel shows only to the roles and accounts on its allow list.
resource "nim_qchat_channel_access_list" "staff" {
  server_id  = nim_qchat_server.community.id
  channel_id = nim_qchat_channel.staff.id
  kind       = "allowlist"
  role_ids   = [nim_qchat_role.moderators.id]
  accids     = [nim_qchat_server_member.ann.accid]
}

# A public channel hides from those on its block list.
resource "nim_qchat_channel_access_list" "general_blocked" {
  server_id  = nim_qchat_server.community.id
  channel_id = nim_qchat_channel.general.id
  kind       = "blocklist"
  accids     = ["spammer01"]
}

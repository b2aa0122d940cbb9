resource "nim_qchat_role_member" "ann_moderates" {
  server_id = nim_qchat_server.community.id
  role_id   = nim_qchat_role.moderators.id
  accid     = nim_qchat_server_member.ann.accid
}

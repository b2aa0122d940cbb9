resource "nim_qchat_server_member" "ann" {
  server_id = nim_qchat_server.community.id
  accid     = "mod_ann"
  nick      = "Ann (moderator)"
  avatar    = "https://cdn.example.com/ann.png"
  custom    = jsonencode({ timezone = "Asia/Shanghai" })
}

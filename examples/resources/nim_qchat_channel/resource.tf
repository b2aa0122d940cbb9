resource "nim_qchat_channel" "announcements" {
  server_id = nim_qchat_server.community.id
  name      = "announcements"
  topic     = "Read-only news"
}

resource "nim_qchat_channel" "staff" {
  server_id  = nim_qchat_server.community.id
  name       = "staff"
  visibility = "private" # only accounts and roles on its allow list see it
}

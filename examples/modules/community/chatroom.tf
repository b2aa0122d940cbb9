# The optional chatroom: present when var.chatroom is set.
resource "nim_chatroom" "this" {
  count        = var.chatroom == null ? 0 : 1
  creator      = var.owner
  name         = var.chatroom.name
  announcement = var.chatroom.announcement
}

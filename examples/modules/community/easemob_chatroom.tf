# The optional Easemob (环信) chatroom: present when var.easemob_chatroom is
# set. It needs the provider's easemob block (or the EASEMOB_* variables);
# without the room, the module needs no Easemob configuration at all.
resource "nim_easemob_chatroom" "this" {
  count        = var.easemob_chatroom == null ? 0 : 1
  name         = var.easemob_chatroom.name
  description  = var.easemob_chatroom.description
  owner        = coalesce(var.easemob_chatroom.owner, var.owner)
  max_users    = var.easemob_chatroom.max_users
  announcement = var.easemob_chatroom.announcement
}

# Every chatroom of the Easemob app.
data "nim_easemob_chatrooms" "all" {}

# Room names by id (ids are unique, names need not be).
output "easemob_room_names" {
  value = { for r in data.nim_easemob_chatrooms.all.chatrooms : r.id => r.name }
}

# The rooms a given user owns.
output "founder_rooms" {
  value = [for r in data.nim_easemob_chatrooms.all.chatrooms : r.id if r.owner == "founder"]
}

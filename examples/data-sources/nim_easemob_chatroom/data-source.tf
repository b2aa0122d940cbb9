# An Easemob chatroom created outside Terraform, e.g. by the app's backend.
data "nim_easemob_chatroom" "town_hall" {
  id = "300000000000001"
}

output "town_hall_owner" {
  value = data.nim_easemob_chatroom.town_hall.owner
}

# A chatroom created outside Terraform, e.g. by the app's backend.
data "nim_chatroom" "lobby" {
  id = "1600849145"
}

output "lobby_is_open" {
  value = data.nim_chatroom.lobby.open
}

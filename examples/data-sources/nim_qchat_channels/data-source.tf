data "nim_qchat_channels" "community" {
  server_id = "1513535"
}

# Channel ids by name (assuming names are unique in the server).
output "channel_ids" {
  value = { for c in data.nim_qchat_channels.community.channels : c.name => c.id }
}

output "private_channels" {
  value = [for c in data.nim_qchat_channels.community.channels : c.name if c.visibility == "private"]
}

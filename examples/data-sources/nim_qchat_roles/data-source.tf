data "nim_qchat_roles" "community" {
  server_id = "1513535"
}

# The first role is always @everyone; the custom roles follow by priority.
output "everyone_can_send" {
  value = data.nim_qchat_roles.community.roles[0].permissions.send_message == "allow"
}

output "roles_that_can_kick" {
  value = [for r in data.nim_qchat_roles.community.roles : r.name if r.permissions.kick_member == "allow"]
}

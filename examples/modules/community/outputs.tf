output "server_id" {
  description = "Id of the QChat server."
  value       = nim_qchat_server.this.id
}

output "everyone_role_id" {
  description = "Id of the server's @everyone role."
  value       = nim_qchat_server.this.everyone_role_id
}

output "moderator_role_id" {
  description = "Id of the moderators role."
  value       = nim_qchat_role.moderators.id
}

output "channel_ids" {
  description = "Channel ids by channel name."
  value       = { for name, c in nim_qchat_channel.this : name => c.id }
}

output "read_only_channel_ids" {
  description = "Ids of the channels where @everyone may not send messages, by name."
  value       = { for name, r in nim_qchat_channel_role.read_only_everyone : name => r.channel_id }
}

output "chatroom_id" {
  description = "Id of the chatroom; null when var.chatroom is null."
  value       = one(nim_chatroom.this[*].id)
}

output "easemob_chatroom_id" {
  description = "Id of the Easemob chatroom; null when var.easemob_chatroom is null."
  value       = one(nim_easemob_chatroom.this[*].id)
}

# Reads back, through the provider's data sources, what the community module
# created. The test suite runs it after applying the module.
terraform {
  required_providers {
    nim = {
      source = "nimtf/nim"
    }
  }
}

variable "server_id" {
  type = string
}

variable "chatroom_id" {
  type = string
}

variable "easemob_chatroom_id" {
  type = string
}

# What the module's outputs said, to compare with what is read back (the
# assertions cannot reference another run in OpenTofu).
variable "expected_everyone_role_id" {
  type = string
}

variable "expected_channel_ids" {
  type = map(string)
}

data "nim_qchat_server" "this" {
  id = var.server_id
}

data "nim_qchat_channels" "this" {
  server_id = var.server_id
}

data "nim_qchat_roles" "this" {
  server_id = var.server_id
}

data "nim_qchat_role" "everyone" {
  server_id = var.server_id
  name      = "@everyone"
}

data "nim_chatroom" "this" {
  id = var.chatroom_id
}

data "nim_easemob_chatroom" "this" {
  id = var.easemob_chatroom_id
}

output "channels" {
  description = "The server's channels by name."
  value       = { for c in data.nim_qchat_channels.this.channels : c.name => c }
}

output "roles" {
  description = "The server's roles by name."
  value       = { for r in data.nim_qchat_roles.this.roles : r.name => r }
}

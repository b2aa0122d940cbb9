# A QChat community: a server, a moderators role, members, channels (some
# read-only, some private) and, optionally, a NIM chatroom and an Easemob
# chatroom. The provider is configured by the caller (or from NIM_ENDPOINT,
# NIM_APP_KEY and NIM_APP_SECRET, and the EASEMOB_* variables for the
# Easemob room); this module holds no credentials.
#
# Each optional piece is a nullable variable and a file of its own with
# `count` on it (chatroom.tf, easemob_chatroom.tf).

locals {
  read_only_channels = { for name, c in var.channels : name => c if c.read_only }
  private_channels   = { for name, c in var.channels : name => c if c.private }
}

resource "nim_qchat_server" "this" {
  owner = var.owner
  name  = var.name
  icon  = var.icon

  lifecycle {
    precondition {
      condition     = !contains(setunion(var.moderators, var.members), var.owner)
      error_message = "The owner is a member of the server already: leave it out of moderators and members."
    }
  }
}

# What everybody may do by default: talk, but not @ everyone.
resource "nim_qchat_everyone_role" "this" {
  server_id = nim_qchat_server.this.id

  permissions {
    send_message     = "allow"
    mention_everyone = "deny"
  }
}

resource "nim_qchat_role" "moderators" {
  server_id = nim_qchat_server.this.id
  name      = "moderators"

  permissions {
    send_message   = "allow"
    manage_channel = "allow"
    recall_message = "allow"
    delete_message = "allow"
    kick_member    = "allow"
  }
}

resource "nim_qchat_server_member" "this" {
  for_each  = setunion(var.moderators, var.members)
  server_id = nim_qchat_server.this.id
  accid     = each.key
}

resource "nim_qchat_role_member" "moderator" {
  for_each  = var.moderators
  server_id = nim_qchat_server.this.id
  role_id   = nim_qchat_role.moderators.id
  accid     = nim_qchat_server_member.this[each.key].accid
}

resource "nim_qchat_channel" "this" {
  for_each   = var.channels
  server_id  = nim_qchat_server.this.id
  name       = each.key
  topic      = each.value.topic
  visibility = each.value.private ? "private" : "public"
}

# Read-only channels: @everyone may not post ...
resource "nim_qchat_channel_role" "read_only_everyone" {
  for_each       = local.read_only_channels
  server_id      = nim_qchat_server.this.id
  channel_id     = nim_qchat_channel.this[each.key].id
  server_role_id = nim_qchat_server.this.everyone_role_id

  permissions {
    send_message = "deny"
  }
}

# ... moderators may.
resource "nim_qchat_channel_role" "read_only_moderators" {
  for_each       = local.read_only_channels
  server_id      = nim_qchat_server.this.id
  channel_id     = nim_qchat_channel.this[each.key].id
  server_role_id = nim_qchat_role.moderators.id

  permissions {
    send_message = "allow"
  }
}

# Private channels are seen by moderators only.
resource "nim_qchat_channel_access_list" "private" {
  for_each   = local.private_channels
  server_id  = nim_qchat_server.this.id
  channel_id = nim_qchat_channel.this[each.key].id
  kind       = "allowlist"
  role_ids   = [nim_qchat_role.moderators.id]
}

# A small community on NIM (this file) and Easemob (easemob.tf), applied by
# `make demo` against the local simulator (this file also by the estate
# acceptance test). The provider reads NIM_ENDPOINT, NIM_APP_KEY and
# NIM_APP_SECRET from the environment.
terraform {
  required_providers {
    nim = {
      source = "nimtf/nim"
    }
  }
}

provider "nim" {}

# --- Chatrooms for live events ---

resource "nim_chatroom" "lobby" {
  creator      = "host001"
  name         = "Lobby"
  announcement = "Welcome to the community lobby."
  queue_level  = "managers"
}

resource "nim_chatroom" "launch_stream" {
  creator       = "host002"
  name          = "Launch live stream"
  broadcast_url = "https://live.example.com/launch.flv"
  ext           = jsonencode({ campaign = "launch" })
  muted         = true
}

# The lobby's host has a co-host, and one noisy guest is muted.
resource "nim_chatroom_member" "lobby_cohost" {
  room_id = nim_chatroom.lobby.id
  accid   = "cohost01"
  role    = "manager"
}

resource "nim_chatroom_member" "lobby_noisy_guest" {
  room_id = nim_chatroom.lobby.id
  accid   = "guest042"
  muted   = true
}

# --- A QChat community ---

resource "nim_qchat_server" "community" {
  owner                   = "founder"
  name                    = "Acme Community"
  icon                    = "https://cdn.example.com/acme.png"
  apply_requires_approval = true
}

# What everybody may do by default.
resource "nim_qchat_everyone_role" "everyone" {
  server_id = nim_qchat_server.community.id

  permissions {
    send_message     = "allow"
    mention_everyone = "deny"
    invite_member    = "allow"
  }
}

resource "nim_qchat_role" "moderators" {
  server_id = nim_qchat_server.community.id
  name      = "moderators"
  ext       = jsonencode({ color = "#2e7d32" })

  permissions {
    manage_channel      = "allow"
    recall_message      = "allow"
    delete_message      = "allow"
    kick_member         = "allow"
    manage_access_lists = "allow"
  }
}

resource "nim_qchat_role" "members" {
  server_id = nim_qchat_server.community.id
  name      = "members"

  permissions {
    send_message   = "allow"
    mention_member = "allow"
  }
}

resource "nim_qchat_role" "bots" {
  server_id = nim_qchat_server.community.id
  name      = "bots"

  permissions {
    send_message     = "allow"
    mention_everyone = "allow"
  }
}

resource "nim_qchat_channel" "general" {
  server_id = nim_qchat_server.community.id
  name      = "general"
  topic     = "Anything about Acme"
}

resource "nim_qchat_channel" "announcements" {
  server_id = nim_qchat_server.community.id
  name      = "announcements"
  topic     = "Read-only news"
}

resource "nim_qchat_channel" "staff" {
  server_id  = nim_qchat_server.community.id
  name       = "staff"
  visibility = "private"
}

# Announcements are read-only for everyone ...
resource "nim_qchat_channel_role" "announcements_everyone" {
  server_id      = nim_qchat_server.community.id
  channel_id     = nim_qchat_channel.announcements.id
  server_role_id = nim_qchat_server.community.everyone_role_id

  permissions {
    send_message = "deny"
  }
}

# ... except for moderators.
resource "nim_qchat_channel_role" "announcements_moderators" {
  server_id      = nim_qchat_server.community.id
  channel_id     = nim_qchat_channel.announcements.id
  server_role_id = nim_qchat_role.moderators.id

  permissions {
    send_message     = "allow"
    mention_everyone = "allow"
  }
}

# Who is in the community, and who holds which role.
locals {
  moderators = ["mod_ann", "mod_bo"]
  members    = ["user_cy", "user_di", "user_ed"]
}

resource "nim_qchat_server_member" "moderator" {
  count     = length(local.moderators)
  server_id = nim_qchat_server.community.id
  accid     = local.moderators[count.index]
  nick      = "Moderator ${local.moderators[count.index]}"
}

resource "nim_qchat_server_member" "member" {
  count     = length(local.members)
  server_id = nim_qchat_server.community.id
  accid     = local.members[count.index]
}

resource "nim_qchat_role_member" "moderator" {
  count     = length(local.moderators)
  server_id = nim_qchat_server.community.id
  role_id   = nim_qchat_role.moderators.id
  accid     = nim_qchat_server_member.moderator[count.index].accid
}

resource "nim_qchat_role_member" "member" {
  count     = length(local.members)
  server_id = nim_qchat_server.community.id
  role_id   = nim_qchat_role.members.id
  accid     = nim_qchat_server_member.member[count.index].accid
}

# Only moderators see the private staff channel.
resource "nim_qchat_channel_access_list" "staff" {
  server_id  = nim_qchat_server.community.id
  channel_id = nim_qchat_channel.staff.id
  kind       = "allowlist"
  role_ids   = [nim_qchat_role.moderators.id]
}

# One member may not post in general, whatever the roles say.
resource "nim_qchat_channel_member_permissions" "quiet_ed" {
  server_id  = nim_qchat_server.community.id
  channel_id = nim_qchat_channel.general.id
  accid      = nim_qchat_server_member.member[2].accid # user_ed

  permissions {
    send_message = "deny"
  }
}

output "lobby_room_id" {
  value = nim_chatroom.lobby.id
}

output "community_server_id" {
  value = nim_qchat_server.community.id
}

output "channels" {
  value = {
    general       = nim_qchat_channel.general.id
    announcements = nim_qchat_channel.announcements.id
    staff         = nim_qchat_channel.staff.id
  }
}

# terraform test (or tofu test) against nimsim: the provider reads
# NIM_ENDPOINT, NIM_APP_KEY and NIM_APP_SECRET, and EASEMOB_HOST,
# EASEMOB_ORG_NAME, EASEMOB_APP_NAME, EASEMOB_CLIENT_ID and
# EASEMOB_CLIENT_SECRET, from the environment.

variables {
  name       = "Acme Community"
  owner      = "founder"
  moderators = ["mod_ann"]
  members    = ["user_cy", "user_di"]
  channels = {
    general       = { topic = "Anything goes" }
    announcements = { topic = "News", read_only = true }
    staff         = { private = true }
  }
  chatroom = {
    name         = "Town hall"
    announcement = "Fridays at five"
  }
  easemob_chatroom = {
    name         = "Town hall live"
    description  = "The town hall, streamed"
    max_users    = 300
    announcement = "Doors open at five"
  }
}

run "create" {
  assert {
    condition     = length(output.channel_ids) == 3 && alltrue([for id in values(output.channel_ids) : id != ""])
    error_message = "expected three channels with ids, got ${jsonencode(output.channel_ids)}"
  }

  assert {
    condition     = keys(output.read_only_channel_ids) == ["announcements"]
    error_message = "only announcements should be read-only, got ${jsonencode(output.read_only_channel_ids)}"
  }

  assert {
    condition     = output.chatroom_id != null
    error_message = "the chatroom was not created"
  }

  assert {
    condition     = can(regex("^[0-9]+$", output.easemob_chatroom_id))
    error_message = "the Easemob chatroom was not created: id ${jsonencode(output.easemob_chatroom_id)}"
  }
}

# What NIM and Easemob hold, read with the data sources.
run "read_back" {
  module {
    source = "./tests/verify"
  }

  variables {
    server_id                 = run.create.server_id
    chatroom_id               = run.create.chatroom_id
    easemob_chatroom_id       = run.create.easemob_chatroom_id
    expected_everyone_role_id = run.create.everyone_role_id
    expected_channel_ids      = run.create.channel_ids
  }

  assert {
    condition     = data.nim_qchat_server.this.name == "Acme Community" && data.nim_qchat_server.this.owner == "founder"
    error_message = "server read back as ${data.nim_qchat_server.this.name} owned by ${data.nim_qchat_server.this.owner}"
  }

  assert {
    condition     = data.nim_qchat_server.this.everyone_role_id == var.expected_everyone_role_id
    error_message = "the @everyone role id differs"
  }

  assert {
    condition     = data.nim_qchat_role.everyone.permissions.send_message == "allow" && data.nim_qchat_role.everyone.permissions.mention_everyone == "deny"
    error_message = "@everyone may not send messages server-wide, or may mention everyone"
  }

  assert {
    condition     = output.roles["moderators"].member_count == 1 && output.roles["moderators"].permissions.kick_member == "allow"
    error_message = "the moderators role: ${jsonencode(output.roles["moderators"])}"
  }

  assert {
    condition     = output.roles["@everyone"].member_count == 4
    error_message = "expected 4 server members (owner, moderator, two members), got ${output.roles["@everyone"].member_count}"
  }

  assert {
    condition     = jsonencode({ for name, c in output.channels : name => c.id }) == jsonencode(var.expected_channel_ids)
    error_message = "channels read back: ${jsonencode(output.channels)}"
  }

  assert {
    condition     = output.channels["staff"].visibility == "private" && output.channels["general"].visibility == "public"
    error_message = "channel visibility: ${jsonencode(output.channels)}"
  }

  assert {
    condition     = output.channels["announcements"].topic == "News" && output.channels["announcements"].id == var.expected_channel_ids["announcements"]
    error_message = "announcements read back as ${jsonencode(output.channels["announcements"])}"
  }

  assert {
    condition     = data.nim_chatroom.this.name == "Town hall" && data.nim_chatroom.this.announcement == "Fridays at five" && data.nim_chatroom.this.open
    error_message = "chatroom read back as ${data.nim_chatroom.this.name}"
  }

  # The Easemob owner defaults to the module's owner.
  assert {
    condition     = data.nim_easemob_chatroom.this.name == "Town hall live" && data.nim_easemob_chatroom.this.owner == "founder"
    error_message = "Easemob chatroom read back as ${data.nim_easemob_chatroom.this.name} owned by ${data.nim_easemob_chatroom.this.owner}"
  }

  assert {
    condition     = data.nim_easemob_chatroom.this.description == "The town hall, streamed" && data.nim_easemob_chatroom.this.max_users == 300
    error_message = "Easemob chatroom read back as ${jsonencode(data.nim_easemob_chatroom.this)}"
  }

  assert {
    condition     = data.nim_easemob_chatroom.this.announcement == "Doors open at five" && !data.nim_easemob_chatroom.this.mute_all
    error_message = "Easemob chatroom announcement ${jsonencode(data.nim_easemob_chatroom.this.announcement)}, mute_all ${data.nim_easemob_chatroom.this.mute_all}"
  }
}

# The channel override, read back from NIM by a refresh: in announcements,
# @everyone is denied send_message and moderators are allowed it.
run "channel_override_read_back" {
  command = plan

  plan_options {
    mode = refresh-only
  }

  assert {
    condition     = nim_qchat_channel_role.read_only_everyone["announcements"].permissions.send_message == "deny"
    error_message = "the announcements channel does not deny send_message to @everyone"
  }

  assert {
    condition     = nim_qchat_channel_role.read_only_moderators["announcements"].permissions.send_message == "allow"
    error_message = "the announcements channel does not allow send_message to moderators"
  }
}

# A change a team makes later: general becomes read-only too.
run "make_general_read_only" {
  variables {
    channels = {
      general       = { topic = "Anything goes", read_only = true }
      announcements = { topic = "News", read_only = true }
      staff         = { private = true }
    }
  }

  assert {
    condition     = toset(keys(output.read_only_channel_ids)) == toset(["announcements", "general"])
    error_message = "read-only channels: ${jsonencode(output.read_only_channel_ids)}"
  }

  assert {
    condition     = nim_qchat_channel_role.read_only_everyone["general"].permissions.send_message == "deny"
    error_message = "general does not deny send_message to @everyone"
  }
}

# An optional piece removed: the Easemob room is deleted, its output is null.
run "without_easemob_chatroom" {
  variables {
    easemob_chatroom = null
  }

  assert {
    condition     = output.easemob_chatroom_id == null && length(nim_easemob_chatroom.this) == 0
    error_message = "the Easemob chatroom is still there: ${jsonencode(output.easemob_chatroom_id)}"
  }

  assert {
    condition     = output.chatroom_id != null
    error_message = "removing the Easemob room removed the NIM chatroom too"
  }
}

# Bad input stops at plan time.
run "owner_listed_as_member" {
  command = plan

  variables {
    members = ["founder"]
  }

  expect_failures = [nim_qchat_server.this]
}

run "channel_name_too_long" {
  command = plan

  variables {
    channels = {
      "a-channel-name-that-is-longer-than-the-sixty-four-characters-nim-allows" = {}
    }
  }

  expect_failures = [var.channels]
}

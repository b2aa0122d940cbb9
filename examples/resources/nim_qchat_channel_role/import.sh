# Import a channel role as <server_id>/<channel_id>/<role_id>, where role_id is
# the channel role's own id, not the server role's.
terraform import nim_qchat_channel_role.announcements_moderators 1513535/1234567/30001

# For a configuration without a permissions block, end the id with /no-permissions.
terraform import nim_qchat_channel_role.announcements_moderators 1513535/1234567/30001/no-permissions

# Import as <server_id>/<channel_id>/<accid>.
terraform import nim_qchat_channel_member_permissions.ann_announcements 1513535/1234567/mod_ann

# For a configuration without a permissions block, end the id with /no-permissions.
terraform import nim_qchat_channel_member_permissions.ann_announcements 1513535/1234567/mod_ann/no-permissions

# Import as <server_id>/<channel_id>/<kind>, kind being allowlist or blocklist.
terraform import nim_qchat_channel_access_list.staff 1513535/1234567/allowlist

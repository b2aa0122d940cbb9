# Import a custom QChat role as <server_id>/<role_id>.
terraform import nim_qchat_role.moderators 1513535/20001

# For a configuration without a permissions block, end the id with /no-permissions.
terraform import nim_qchat_role.moderators 1513535/20001/no-permissions

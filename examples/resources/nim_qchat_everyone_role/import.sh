# Import a server's @everyone role by the server id.
terraform import nim_qchat_everyone_role.everyone 1513535

# For a configuration without a permissions block, end the id with /no-permissions.
terraform import nim_qchat_everyone_role.everyone 1513535/no-permissions

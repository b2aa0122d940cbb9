# Import a server's @everyone role by the server id.
terraform import nim_qchat_everyone_role.everyone 1513535

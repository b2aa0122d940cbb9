# Import a QChat server by its server id.
terraform import nim_qchat_server.community 1513535

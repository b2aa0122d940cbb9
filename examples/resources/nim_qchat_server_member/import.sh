# Import a server member as <server_id>/<accid>.
terraform import nim_qchat_server_member.ann 1513535/mod_ann

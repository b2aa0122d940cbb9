# Import a role membership as <server_id>/<role_id>/<accid>.
terraform import nim_qchat_role_member.ann_moderates 1513535/20001/mod_ann

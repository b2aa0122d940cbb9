# Import as <room_id>/<username>.
terraform import nim_easemob_chatroom_member.mod_ann 300000000000001/ann

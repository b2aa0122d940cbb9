# Import as <room_id>/<username>.
terraform import nim_easemob_chatroom_member.guest 300000000000001/guest01

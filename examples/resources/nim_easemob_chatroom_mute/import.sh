# Import as <room_id>/<username>.
terraform import nim_easemob_chatroom_mute.noisy 300000000000001/noisy42

# Import by the room id.
terraform import nim_easemob_chatroom_admins.lobby 300000000000001

# Import by the room id.
terraform import nim_easemob_chatroom_allow_list.lobby 300000000000001

# Import by the room id.
terraform import nim_easemob_chatroom_block_list.lobby 300000000000001

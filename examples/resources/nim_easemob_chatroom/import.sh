# Import an Easemob chatroom by its room id.
terraform import nim_easemob_chatroom.town_hall 300000000000001

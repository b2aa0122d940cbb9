# Import a chatroom by its room id.
terraform import nim_chatroom.lobby 1600849145

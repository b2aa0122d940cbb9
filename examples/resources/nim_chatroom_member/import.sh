# Import as <room_id>/<accid>.
terraform import nim_chatroom_member.cohost 1600849145/cohost01

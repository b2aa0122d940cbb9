# Import as <room_id>/<accid>.
terraform import nim_chatroom_member.cohost 1600849145/cohost01

# A blocked or muted account is listed by NIM as LIMITED, which hides whether it
# is also a fixed member: put the role the configuration sets in the id,
# <room_id>/<accid>/<role> (member or none). Without it the import fails.
terraform import nim_chatroom_member.heckler 1600849145/heckler01/member

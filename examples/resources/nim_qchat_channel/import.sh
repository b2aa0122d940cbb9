# Import a QChat channel by its channel id.
terraform import nim_qchat_channel.announcements 1234567

# The open chatrooms created by one account.
list "nim_chatroom" "host_rooms" {
  provider = nim

  config {
    creator = "host01"
  }
}

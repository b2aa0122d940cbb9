# The Easemob chatrooms one user owns; leave owner out for every room of the app.
list "nim_easemob_chatroom" "hosted" {
  provider = nim
  limit    = 1000

  config {
    owner = "host01"
  }
}

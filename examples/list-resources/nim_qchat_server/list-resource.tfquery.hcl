# The QChat servers one account owns.
list "nim_qchat_server" "community" {
  provider = nim

  config {
    owner = "owner01"
  }
}

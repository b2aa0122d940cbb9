# A user who may create chatrooms from the client SDKs, in every room of the app.
resource "nim_easemob_super_admin" "ops" {
  username = "ops01"
}

resource "nim_easemob_chatroom" "town_hall" {
  name         = "Town hall"
  description  = "Monthly all-hands of the community"
  owner        = "founder"
  max_users    = 500
  announcement = "Questions go in the thread, please."
  mute_all     = false
  custom       = jsonencode({ tier = "gold" })
}

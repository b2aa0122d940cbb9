resource "nim_chatroom" "lobby" {
  creator       = "host001"
  name          = "Lobby"
  announcement  = "Welcome! Be kind."
  broadcast_url = "https://live.example.com/lobby.flv"
  ext           = jsonencode({ topic = "general" })
  queue_level   = "managers"
  muted         = false

  # Close the room automatically two hours after the last member left.
  delay_close = {
    policy  = "idle"
    seconds = 7200
  }
}

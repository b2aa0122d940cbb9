resource "nim_qchat_server" "community" {
  owner                    = "founder"
  name                     = "Acme Community"
  icon                     = "https://cdn.example.com/acme.png"
  custom                   = jsonencode({ region = "eu" })
  invite_requires_approval = true
  apply_requires_approval  = true
}

# The provider pointed at nimsim in its block rather than through the
# environment: nimsim's defaults, which are not secrets.
provider "nim" {
  endpoint   = "http://127.0.0.1:9300/nimserver"
  app_key    = "nimsim-app-key"
  app_secret = "nimsim-app-secret"

  easemob {
    host          = "http://127.0.0.1:9300" # the address alone: nimsim serves /nimsim-org/nimsim-app/
    org_name      = "nimsim-org"
    app_name      = "nimsim-app"
    client_id     = "nimsim-client-id"
    client_secret = "nimsim-client-secret"
  }
}

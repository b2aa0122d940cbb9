# Credentials are best taken from the environment:
#   export NIM_APP_KEY=...  NIM_APP_SECRET=...
#   export EASEMOB_HOST=https://a1.easemob.com EASEMOB_ORG_NAME=... EASEMOB_APP_NAME=...
#   export EASEMOB_CLIENT_ID=...  EASEMOB_CLIENT_SECRET=...
# Either vendor may be configured alone.
provider "nim" {
  # endpoint = "https://api.netease.im/nimserver" # the default

  # Absorb rate limits and flaky networks (both vendors).
  max_retries     = 5
  request_timeout = "30s"
  # requests_per_second: a ceiling that adapts down when the API refuses requests for
  # its rate; unset, 95 for NIM and 40 for Easemob.

  # Easemob (环信): every attribute falls back to its EASEMOB_* variable.
  easemob {
    host     = "https://a1.easemob.com" # the app's data centre, shown in the console
    org_name = "1122334455"
    app_name = "demo"
    # client_id and client_secret from EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET
  }
}

# Credentials are best taken from the environment:
#   export NIM_APP_KEY=...  NIM_APP_SECRET=...
provider "nim" {
  # endpoint = "https://api.netease.im/nimserver" # the default

  # Absorb rate limits and flaky networks.
  max_retries         = 5
  request_timeout     = "30s"
  requests_per_second = 95
}

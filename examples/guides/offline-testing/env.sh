export NIM_ENDPOINT=http://127.0.0.1:9300/nimserver
export NIM_APP_KEY=nimsim-app-key       # nimsim's defaults: not secrets
export NIM_APP_SECRET=nimsim-app-secret

# Easemob on the same address, under /nimsim-org/nimsim-app/ (nimsim's defaults).
export EASEMOB_HOST=http://127.0.0.1:9300
export EASEMOB_ORG_NAME=nimsim-org
export EASEMOB_APP_NAME=nimsim-app
export EASEMOB_CLIENT_ID=nimsim-client-id
export EASEMOB_CLIENT_SECRET=nimsim-client-secret

export NIM_ENDPOINT=http://127.0.0.1:9300/nimserver
export NIM_APP_KEY=nimsim-app-key       # nimsim's defaults: not secrets
export NIM_APP_SECRET=nimsim-app-secret

nimsim --listen 127.0.0.1:9300 \
  --state-file nimsim-state.json \
  --accounts founder,mod_ann,user_cy,user_di \
  --rate-limit 100 &
nimsim_pid=$!

# Wait until it serves.
curl --fail --silent --retry 30 --retry-connrefused --retry-delay 1 \
  http://127.0.0.1:9300/_sim/health

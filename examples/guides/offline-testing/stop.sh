kill -TERM "$nimsim_pid"
wait "$nimsim_pid"   # exits 0 once the state file is written

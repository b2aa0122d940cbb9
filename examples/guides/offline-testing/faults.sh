# One request in ten fails: 500, 416, or a connection dropped
# before or after NIM applied the change; on Easemob 500, 429 or a drop.
curl --fail --silent -X POST 'http://127.0.0.1:9300/_sim/fail-rate?p=0.1'
curl --fail --silent -X POST 'http://127.0.0.1:9300/_sim/easemob/fail-rate?p=0.1'
terraform test
curl --fail --silent -X POST 'http://127.0.0.1:9300/_sim/fail-rate?p=0'
curl --fail --silent -X POST 'http://127.0.0.1:9300/_sim/easemob/fail-rate?p=0'

# Request counts per endpoint, and the faults injected.
curl --fail --silent http://127.0.0.1:9300/_sim/stats
curl --fail --silent http://127.0.0.1:9300/_sim/easemob/stats

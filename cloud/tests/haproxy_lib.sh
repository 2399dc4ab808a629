# HAProxy in front of local relays, as deploy/haproxy.cfg configures it (sourced after
# lib.sh): TCP passthrough, so mutual TLS still ends at mvrelay; devices balanced by
# leastconn, the API round robin; each relay's health from its /healthz.
#   haproxy_start DEV_PORT API_PORT RELAY...
# Each RELAY names its ports in the caller's associative arrays DP (device) and AP (API);
# an empty API_PORT leaves the API out. Sets HA_PID (also in PIDS, stopped by cleanup).
# One listener and its relays (deploy/haproxy.cfg's health check on /healthz):
#   ha_section FRONTEND KIND(dev|api) PORT BALANCE RELAY...
ha_section() {
  local front=$1 kind=$2 port=$3 balance=$4 r
  shift 4
  cat <<CFG
frontend $front
  bind 127.0.0.1:$port
  default_backend relays_$kind
backend relays_$kind
  balance $balance
  option httpchk
  http-check send meth GET uri /healthz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2 check-ssl verify none
CFG
  for r in "$@"; do
    if [ "$kind" = dev ]; then
      echo "  server $r 127.0.0.1:${DP[$r]} check port ${AP[$r]}"
    else
      echo "  server $r 127.0.0.1:${AP[$r]} check"
    fi
  done
}

haproxy_start() {
  local dport=$1 aport=$2
  shift 2
  {
    cat <<CFG
global
  maxconn 4096
defaults
  mode tcp
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  retries 3
  option redispatch
CFG
    ha_section devices dev "$dport" leastconn "$@"
    if [ -n "$aport" ]; then ha_section api api "$aport" roundrobin "$@"; fi
  } >"$T/haproxy.cfg"
  haproxy -c -f "$T/haproxy.cfg" >/dev/null || fail "haproxy config"
  haproxy -db -f "$T/haproxy.cfg" >"$T/haproxy.log" 2>&1 &
  HA_PID=$!
  PIDS+=("$HA_PID")
}

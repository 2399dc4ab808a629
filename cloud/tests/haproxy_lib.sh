# HAProxy in front of local relays, as deploy/haproxy.cfg configures it (sourced after
# lib.sh): TCP passthrough, so mutual TLS still ends at mvrelay; devices balanced by
# leastconn, the API round robin; each relay's health from its /healthz.
#   haproxy_start DEV_PORT API_PORT RELAY...
# Each RELAY names its ports in the caller's associative arrays DP (device) and AP (API);
# an empty API_PORT leaves the API out. Sets HA_PID (also in PIDS, stopped by cleanup).
haproxy_start() {
  local dport=$1 aport=$2 r
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
frontend devices
  bind 127.0.0.1:$dport
  default_backend relays_dev
backend relays_dev
  balance leastconn
  option httpchk
  http-check send meth GET uri /healthz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2 check-ssl verify none
CFG
    for r in "$@"; do echo "  server $r 127.0.0.1:${DP[$r]} check port ${AP[$r]}"; done
    if [ -n "$aport" ]; then
      cat <<CFG
frontend api
  bind 127.0.0.1:$aport
  default_backend relays_api
backend relays_api
  balance roundrobin
  option httpchk
  http-check send meth GET uri /healthz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2 check-ssl verify none
CFG
      for r in "$@"; do echo "  server $r 127.0.0.1:${AP[$r]} check"; done
    fi
  } >"$T/haproxy.cfg"
  haproxy -c -f "$T/haproxy.cfg" >/dev/null || fail "haproxy config"
  haproxy -db -f "$T/haproxy.cfg" >"$T/haproxy.log" 2>&1 &
  HA_PID=$!
  PIDS+=("$HA_PID")
}

# shellcheck shell=bash
# The fleet stack, deploy/docker-compose.fleet.yml, with the daemon and base images of
# tests/e2e/compose.sh (sourced by it after the single-relay stack is down; no second
# debootstrap: the relay image is the one just built, only PostgreSQL's and HAProxy's
# are added). PostgreSQL + relay-a + relay-b + HAProxy + Mosquitto: a device is provisioned
# and a host mvdevice connects through HAProxy; its logs are read with mvcli through the
# balancer with both relays answering API requests; the relay holding the device is
# stopped; the device comes back through the balancer on the other relay (new records,
# none twice); then `down -v`.
# Needs from compose.sh: $docker, $root, $B, $MV_TMP, mv_free_port, mv_fail, mv_wait_for.

fleet_override=$MV_TMP/fleet-override.yml
# The image builds reach the Debian mirror without the daemon's iptables rules.
cat >"$fleet_override" <<YML
services:
  postgres:
    build:
      network: host
  relay-a:
    build:
      network: host
  relay-b:
    build:
      network: host
  haproxy:
    build:
      network: host
YML
fleet_env=(MVRELAY_DB_PASSWORD="$(openssl rand -hex 16)" MVRELAY_DEVICE_BIND=127.0.0.1
  MVRELAY_DEVICE_PORT="$(mv_free_port)" MVRELAY_API_PORT="$(mv_free_port)")
fdc() {
  (cd "$root/deploy" && env "${fleet_env[@]}" docker-compose -f docker-compose.fleet.yml \
    -f "$fleet_override" "$@")
}
fleet_port() { # NAME: the value of NAME in fleet_env
  local kv
  for kv in "${fleet_env[@]}"; do [ "${kv%%=*}" != "$1" ] || echo "${kv#*=}"; done
}
fleet_ok=1
t_fleet=$SECONDS
fdc up -d --build >"$MV_TMP/fleet-up.log" 2>&1 || { tail -n 40 "$MV_TMP/fleet-up.log"; mv_fail "fleet: compose up --build"; }

fhealthy() { # SERVICE SECONDS
  local id st=none
  id=$(fdc ps -q "$1")
  for _ in $(seq $(($2 * 2))); do
    st=$("$docker" inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null || echo none)
    [ "$st" = healthy ] && return 0
    sleep 0.5
  done
  echo "$1 is $st; its logs:" >&2
  fdc logs --tail 30 "$1" >&2
  return 1
}
for s in postgres relay-a relay-b; do fhealthy "$s" 120 || mv_fail "fleet: $s not healthy"; done

fdc exec -T relay-a cat /data/admin.token >"$MV_TMP/fleet.token"
fdc exec -T relay-a cat /data/ca.pem >"$MV_TMP/fleet-ca.pem"
HDP=$(fleet_port MVRELAY_DEVICE_PORT)
export MVCLI_URL="https://127.0.0.1:$(fleet_port MVRELAY_API_PORT)" MVCLI_CACERT="$MV_TMP/fleet-ca.pem"
MVCLI_TOKEN=$(cat "$MV_TMP/fleet.token")
export MVCLI_TOKEN MVCLI_CONFIG=/dev/null
[ -n "$MVCLI_TOKEN" ] || mv_fail "fleet: no admin token in relay-a's /data"
# HAProxy marks a relay up after two good health checks (2 s apart).
for _ in $(seq 100); do "$B/mvcli" devices list >/dev/null 2>&1 && break; sleep 0.3; done
"$B/mvcli" devices list >/dev/null || {
  fdc logs --tail 30 haproxy >&2
  mv_fail "fleet: the API through HAProxy"
}

# A relay's own metrics (its API port is not published; scraped from inside).
relay_metric() { # SERVICE METRIC: its value (0 when absent)
  fdc exec -T "$1" curl -fsS --cacert /data/ca.pem -H "Authorization: Bearer $MVCLI_TOKEN" \
    https://localhost:7444/metrics >"$MV_TMP/fleet-metrics" 2>/dev/null || { echo 0; return; }
  awk -v m="$2" '$1 == m { v = $2 } END { print v + 0 }' "$MV_TMP/fleet-metrics"
}
api_a0=$(relay_metric relay-a mvrelay_api_requests_total)
api_b0=$(relay_metric relay-b mvrelay_api_requests_total)

"$B/mvcli" devices provision --out "$MV_TMP/fid" >/dev/null || mv_fail "fleet: provision through HAProxy"
fdev=$(cat "$MV_TMP/fid/device_id")
"$B/mvdevice" --relay "wss://localhost:$HDP" --identity "$MV_TMP/fid" --app demo \
  >"$MV_TMP/fleet-device.log" 2>&1 &
fdev_pid=$!
MV_PIDS+=("$fdev_pid")
fleet_counts() { # the number of demo records stored, then the number of distinct ones
  "$B/mvcli" --json logs get "$fdev" --limit 10000 >"$MV_TMP/fleet-logs.json" || return 1
  jq -r '.logs[].cursor' "$MV_TMP/fleet-logs.json" | sort >"$MV_TMP/fleet-cursors"
  echo "$(wc -l <"$MV_TMP/fleet-cursors") $(sort -u "$MV_TMP/fleet-cursors" | wc -l)"
}
fleet_wait_more() { # N SECONDS: until more than N records are stored
  local c
  for _ in $(seq $(($2 * 2))); do
    c=$(fleet_counts) && [ "${c% *}" -gt "$1" ] && return 0
    sleep 0.5
  done
  return 1
}
fleet_wait_more 2 60 || mv_fail "fleet: no logs through HAProxy: $(tail -n 5 "$MV_TMP/fleet-device.log")"
# Several reads through the balancer (roundrobin): both relays must have answered some.
for _ in 1 2 3 4; do "$B/mvcli" logs get "$fdev" --limit 5 >/dev/null || mv_fail "fleet: logs get"; done
api_a=$(relay_metric relay-a mvrelay_api_requests_total)
api_b=$(relay_metric relay-b mvrelay_api_requests_total)
[ "$api_a" -gt "$api_a0" ] && [ "$api_b" -gt "$api_b0" ] ||
  mv_fail "fleet: the API was not served by both relays (a $api_a0->$api_a, b $api_b0->$api_b)"

# Stop the relay holding the device: it comes back through HAProxy on the other one.
holder=
for s in relay-a relay-b; do [ "$(relay_metric "$s" mvrelay_device_connections)" = 1 ] && holder=$s; done
[ -n "$holder" ] || mv_fail "fleet: no relay holds the device"
other=relay-a; [ "$holder" = relay-a ] && other=relay-b
before=$(fleet_counts) || mv_fail "fleet: logs get"
t_stop=$SECONDS
fdc stop "$holder" >/dev/null 2>&1 || mv_fail "fleet: stop $holder"
for _ in $(seq 180); do
  [ "$(relay_metric "$other" mvrelay_device_connections)" = 1 ] && break
  sleep 0.5
done
[ "$(relay_metric "$other" mvrelay_device_connections)" = 1 ] ||
  mv_fail "fleet: the device did not come back on $other: $(tail -n 5 "$MV_TMP/fleet-device.log")"
t_back=$((SECONDS - t_stop))
fleet_wait_more "${before% *}" 60 || mv_fail "fleet: no new records after $holder stopped"
[ "$("$B/mvcli" --json devices show "$fdev" | jq -r .online)" = true ] ||
  mv_fail "fleet: the device is not online after the failover"
after=$(fleet_counts) || mv_fail "fleet: logs get"
[ "${after% *}" = "${after#* }" ] || mv_fail "fleet: records stored twice ($after)"
echo "fleet compose: device back on $other ${t_back}s after $holder stopped;" \
  "records ${before% *} -> ${after% *}, none twice; stack up and checked in $((SECONDS - t_fleet))s"
kill -TERM "$fdev_pid" 2>/dev/null || true
fdc down -v --remove-orphans >/dev/null 2>&1 || mv_fail "fleet: compose down"
fleet_ok=

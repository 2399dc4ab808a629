#!/usr/bin/env bash
# `make demo`: a local Mosquitto broker, a local HTTPS server, mvrelay and three host
# devices, running the log demo app, the MQTT demo (telemetry to the broker through the
# relay's MQTT bridge, commands back) and the HTTP demo (GET and POST through the relay's
# HTTP proxy), all on loopback, with the devices' logs streamed live by mvcli.
# Ctrl-C stops everything it started and exits 0 ("demo: stopped"). Without a terminal
# on stdin, or with DEMO_SECONDS=N, it runs N seconds (default 20) and exits 0 if logs
# arrived. DEMO_DIR (default build/demo) holds its data and logs.
# Usage: scripts/demo.sh BUILD_DIR   (e.g. build/host)
set -euo pipefail
B=${1:?usage: scripts/demo.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/e2e/lib.sh"
. "$root/cloud/tests/http/lib_http.sh"
demo=${DEMO_DIR:-$root/build/demo}

for p in mvrelay mvdevice mvcli; do
    [ -x "$B/$p" ] || { echo "demo: $B/$p is missing — run 'make' first" >&2; exit 1; }
done
mosq=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -x "$mosq" ] || { echo "demo: mosquitto is not installed — run 'make deps'" >&2; exit 1; }

seconds=${DEMO_SECONDS:-}
if [ -z "$seconds" ] && [ ! -t 0 ]; then seconds=20; fi

stopping=0
trap 'mv_cleanup; [ "$stopping" = 0 ] || echo "demo: stopped"' EXIT
trap 'stopping=1; echo; exit 0' INT TERM
rm -rf "$demo"
mkdir -p "$demo"
cli="$B/mvcli"
start=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)

# Broker: loopback only, anonymous, nothing on disk (a bare `listener` line
# would bind every interface and refuse anonymous clients).
mqtt_port=$(mv_free_port)
cat >"$demo/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
CONF
"$mosq" -c "$demo/mosquitto.conf" >"$demo/mosquitto.log" 2>&1 &
MV_PIDS+=("$!")
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$mqtt_port") 2>/dev/null && break
    sleep 0.1
done

# HTTPS server for the HTTP demo (/json, /echo) with a throwaway CA the relay trusts.
make_target_ca "$demo/https"
start_target "$demo/https"
MV_PIDS+=("$TARGET_PID")

mv_start_relay "$demo/data" --mqtt-broker "127.0.0.1:$mqtt_port" \
    --http-ca-file "$demo/https/ca.pem" --http-allow "localhost:$TPORT"
echo "demo: mosquitto on 127.0.0.1:$mqtt_port, HTTPS server on localhost:$TPORT," \
     "mvrelay devices on 127.0.0.1:$RELAY_DEV_PORT, API on $MVCLI_URL"
"$cli" devices provision --out "$demo/identity"
dev=$(cat "$demo/identity/device_id")
"$cli" config set demo-greeting "Hello from the mvisor demo"
printf '%s' "demo-$RANDOM-secret" | "$cli" secret set demo-secret -
# The MQTT demo's broker comes from config; the relay allows only this local broker.
"$cli" config set mqtt-host 127.0.0.1 >/dev/null
"$cli" config set mqtt-port "$mqtt_port" >/dev/null
"$cli" devices provision --out "$demo/identity-mqtt" >/dev/null
mdev=$(cat "$demo/identity-mqtt/device_id")
"$cli" config set http-demo-url "https://localhost:$TPORT" >/dev/null
"$cli" devices provision --out "$demo/identity-http" >/dev/null
hdev=$(cat "$demo/identity-http/device_id")

"$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$demo/identity" --app demo \
    >"$demo/device.log" 2>&1 &
MV_PIDS+=("$!")
echo "demo: device $dev started (its output: $demo/device.log; relay: $RELAY_LOG)"
"$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$demo/identity-mqtt" \
    --app mqtt_demo >"$demo/device-mqtt.log" 2>&1 &
MV_PIDS+=("$!")
cmd_topic="mvisor/$mdev/command"
echo "demo: MQTT device $mdev started (app mqtt_demo; telemetry on mvisor/$mdev/telemetry)"
echo "demo: send it a command:  mosquitto_pub -h 127.0.0.1 -p $mqtt_port -q 1 -t $cmd_topic -m 'hello'"
"$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$demo/identity-http" \
    --app http_demo >"$demo/device-http.log" 2>&1 &
MV_PIDS+=("$!")
echo "demo: HTTP device $hdev started (app http_demo; GET and POST to https://localhost:$TPORT)"
echo "demo: to use mvcli yourself: export MVCLI_URL=$MVCLI_URL MVCLI_CACERT=$MVCLI_CACERT" \
     "MVCLI_TOKEN=\$(cat $demo/data/admin.token)"
echo "demo: streaming the devices' logs (Ctrl-C to stop)"

"$cli" logs stream "$dev" --since "$start" &
stream_pid=$!
MV_PIDS+=("$stream_pid")
"$cli" logs stream "$mdev" --since "$start" &
MV_PIDS+=("$!")
"$cli" logs stream "$hdev" --since "$start" &
MV_PIDS+=("$!")
# One command of our own once the MQTT demo subscribed, so its arrival shows in the stream.
(
    for _ in $(seq 150); do
        got=$("$cli" --json logs get "$mdev" --limit 1000 2>/dev/null || true)
        grep -q 'mqtt_demo: subscribed' <<<"$got" && break
        sleep 0.2
    done
    mosquitto_pub -h 127.0.0.1 -p "$mqtt_port" -q 1 -t "$cmd_topic" -m "hello from make demo"
) &
MV_PIDS+=("$!")

if [ -z "$seconds" ]; then
    wait "$stream_pid" || true
    exit 0
fi
for _ in $(seq "$seconds"); do
    kill -0 "$stream_pid" 2>/dev/null || break
    sleep 1
done
n=$("$cli" --json logs get "$dev" --limit 1000 | grep -c '"cursor"' || true)
m=$("$cli" --json logs get "$mdev" --limit 1000 | grep -c 'mqtt_demo: command on' || true)
h=$("$cli" --json logs get "$hdev" --limit 1000 | grep -c 'http_demo: GET /json result=0 status=200' || true)
if [ "$n" -gt 0 ] && [ "$m" -gt 0 ] && [ "$h" -gt 0 ]; then
    echo "demo: $n log records received in ${seconds}s; the MQTT demo received $m command(s);" \
         "the HTTP demo's GET answered 200"
    exit 0
fi
if [ "$n" -gt 0 ] && [ "$m" -gt 0 ]; then
    echo "demo: the HTTP demo got no answer — see $demo/device-http.log and $RELAY_LOG" >&2
    exit 1
fi
if [ "$n" -gt 0 ]; then
    echo "demo: no MQTT command reached the MQTT demo — see $demo/device-mqtt.log and $RELAY_LOG" >&2
    exit 1
fi
echo "demo: no logs arrived in ${seconds}s — see $demo/device.log and $RELAY_LOG" >&2
exit 1

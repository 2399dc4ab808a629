#!/usr/bin/env bash
# End-to-end on the host: Mosquitto + mvrelay + mvdevice running device/apps/mqtt_demo.
# The app takes the broker from config (mqtt-host, mqtt-port), publishes telemetry that
# a mosquitto_sub sees, logs a command sent with mosquitto_pub, reconnects after the
# broker restarts and after the relay restarts (each closes its MQTT channel), and when
# mvdevice is killed the broker publishes the app's will ("offline" on its status topic).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/cloud/tests/mqtt_lib.sh"
trap mv_cleanup EXIT
mv_tmpdir e2e-mqtt
cli="$B/mvcli"

mq_start_broker broker "allow_anonymous true"
mv_start_relay "$MV_TMP/data" --mqtt-broker "127.0.0.1:$MQ_PORT"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
"$cli" config set mqtt-host 127.0.0.1 >/dev/null
"$cli" config set mqtt-port "$MQ_PORT" >/dev/null
mq_sub "$MV_TMP/tel" "mvisor/$dev/telemetry" 1

"$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$MV_TMP/id" --app mqtt_demo \
    >"$MV_TMP/device.log" 2>&1 &
dev_pid=$!
MV_PIDS+=("$dev_pid")
logs() { "$cli" logs get "$dev" --limit 1000 >"$MV_TMP/logs" 2>&1 || true; }
# wait_log PATTERN COUNT SECS: the device's stored logs match PATTERN at least COUNT times.
wait_log() {
    for _ in $(seq $(($3 * 5))); do
        logs
        [ "$(grep -Ec -- "$1" "$MV_TMP/logs")" -ge "$2" ] && return 0
        sleep 0.2
    done
    cat "$MV_TMP/logs" >&2
    mv_fail "expected $2 x '$1' in the device's logs"
}

wait_log "mqtt_demo: subscribed to mvisor/$dev/command" 1 20
wait "$MQ_SUB_PID" || true
mq_expect "$MV_TMP/tel" "^mvisor/$dev/telemetry \{\"counter\":[0-9]+"
mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t "mvisor/$dev/command" -m "e2e-cmd-1"
wait_log "mqtt_demo: command on mvisor/$dev/command \(QoS 1\): e2e-cmd-1" 1 10
echo "ok: telemetry published, command received over the bridge"

mv_stop_pid "$MQ_PID" || true
wait_log "mqtt_demo: MQTT channel closed \(reason 1\)" 1 10
mq_start_broker broker "allow_anonymous true"
wait_log "mqtt_demo: subscribed to" 2 20
mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t "mvisor/$dev/command" -m "e2e-cmd-2"
wait_log "e2e-cmd-2" 1 10
echo "ok: broker restart: channel closed with CHANNELCLOSEDBYSERVER, the app reconnected"

mv_stop_pid "$RELAY_PID" || mv_fail "relay exit status"
mv_start_relay "$MV_TMP/data" --mqtt-broker "127.0.0.1:$MQ_PORT"
wait_log "mqtt_demo: MQTT channel closed \(reason 3\)" 1 30 # NETWORKDISCONNECTED
wait_log "mqtt_demo: subscribed to" 3 30
mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t "mvisor/$dev/command" -m "e2e-cmd-3"
wait_log "e2e-cmd-3" 1 10
[ "$(grep -c 'e2e-cmd-1' "$MV_TMP/logs")" = 1 ] || mv_fail "command 1 logged more than once"
echo "ok: relay restart: channel closed with NETWORKDISCONNECTED, the app reconnected"

timeout 20 mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" -t "mvisor/$dev/status" -C 2 -v \
    >"$MV_TMP/status" 2>&1 &
st_pid=$!
MV_PIDS+=("$st_pid")
sleep 0.3
{ kill -KILL "$dev_pid"; wait "$dev_pid"; } 2>/dev/null || true
wait "$st_pid" || true
[ "$(cat "$MV_TMP/status")" = "$(printf 'mvisor/%s/status online\nmvisor/%s/status offline' "$dev" "$dev")" ] ||
    { cat "$MV_TMP/status" >&2; mv_fail "expected the retained 'online', then the will 'offline'"; }
echo "ok: mvdevice killed: the broker published the app's will"

# Shared by an505_mqtt.sh and riscv_mqtt.sh (sourced after lib.sh and the board's lib):
# mqtt_demo on the emulated board through the relay's MQTT bridge to a local Mosquitto.
board_setup "$BOARD"-mqtt "$BOARD_KERNEL" app_mqtt_demo.elf
for f in "$B/mvrelay" "$B/mvcli"; do [ -x "$f" ] || mv_fail "missing $f (the host build)"; done
cli="$B/mvcli"

mq_start_broker broker "allow_anonymous true"
mv_start_relay "$MV_TMP/data" --mqtt-broker "127.0.0.1:$MQ_PORT"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
"$cli" config set mqtt-host 127.0.0.1 >/dev/null
"$cli" config set mqtt-port "$MQ_PORT" >/dev/null
device/port/mps2-an505/mkprov.py "$MV_TMP/id" "wss://localhost:$RELAY_DEV_PORT" \
  "$MV_TMP/prov.bin" || mv_fail "mkprov"
timeout 100 mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" -t "mvisor/$dev/telemetry" -C 1 -v \
  >"$MV_TMP/tel" 2>&1 &
sub_pid=$!
MV_PIDS+=("$sub_pid")

board_start_networked app_mqtt_demo.elf 120 "$MV_TMP/prov.bin"
fetch_logs() { "$cli" logs get "$dev" --limit 1000 >"$MV_TMP/logs.txt" 2>/dev/null || true; }
wait_log() {
  for _ in $(seq "$2"); do
    fetch_logs
    grep -q -- "$1" "$MV_TMP/logs.txt" && return 0
    board_alive || { board_show; mv_fail "QEMU exited waiting for '$1'"; }
    sleep 1
  done
  board_show; cat "$MV_TMP/logs.txt"; mv_fail "timed out waiting for '$1'"
}

mv_log "waiting for the MQTT demo to subscribe"
wait_log "mqtt_demo: subscribed to mvisor/$dev/command" 90
mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t "mvisor/$dev/command" -m "$BOARD-cmd"
wait_log "mqtt_demo: command on mvisor/$dev/command (QoS 1): $BOARD-cmd" 30
wait "$sub_pid" || true
grep -q "^mvisor/$dev/telemetry {\"counter\":" "$MV_TMP/tel" ||
  { cat "$MV_TMP/tel"; mv_fail "no telemetry from the board at the broker"; }
grep -q 'msg="mqtt connect".*state=0 reason=0' "$RELAY_LOG" || mv_fail "no bridged connect"
echo "ok: $BOARD mqtt_demo: telemetry at the broker, command delivered and acknowledged"

#!/usr/bin/env bash
# The MQTT demo on the RISC-V board: the riscv-virt kernel image runs device/apps/mqtt_demo
# unchanged in U-mode, the board's UART bridged by QEMU to a real relay whose MQTT bridge reaches a Mosquitto on a free loopback port. Passes when the
# app's telemetry reaches a mosquitto_sub and a command sent with mosquitto_pub shows
# up in the device's stored logs: MQTT channel, connect, subscribe, publish, message
# delivery and acknowledgement all through ecall system calls and the UART link.
# Needs `make riscv` and the host build (mvrelay, mvcli; B=build/host).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/riscv_lib.sh
. cloud/tests/mqtt_lib.sh
riscv_setup riscv-mqtt kernel.elf app_mqtt_demo.elf
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

riscv_start_networked app_mqtt_demo.elf 120 "$MV_TMP/prov.bin"
fetch_logs() { "$cli" logs get "$dev" --limit 1000 >"$MV_TMP/logs.txt" 2>/dev/null || true; }
wait_log() {
  for _ in $(seq "$2"); do
    fetch_logs
    grep -q -- "$1" "$MV_TMP/logs.txt" && return 0
    kill -0 "$RV_QPID" 2>/dev/null || { riscv_show; mv_fail "QEMU exited waiting for '$1'"; }
    sleep 1
  done
  riscv_show; cat "$MV_TMP/logs.txt"; mv_fail "timed out waiting for '$1'"
}

mv_log "waiting for the MQTT demo to subscribe"
wait_log "mqtt_demo: subscribed to mvisor/$dev/command" 90
mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t "mvisor/$dev/command" -m "riscv-cmd"
wait_log "mqtt_demo: command on mvisor/$dev/command (QoS 1): riscv-cmd" 30
wait "$sub_pid" || true
grep -q "^mvisor/$dev/telemetry {\"counter\":" "$MV_TMP/tel" ||
  { cat "$MV_TMP/tel"; mv_fail "no telemetry from the board at the broker"; }
grep -q 'msg="mqtt connect".*state=0 reason=0' "$RELAY_LOG" || mv_fail "no bridged connect"
echo "ok: riscv-virt mqtt_demo: telemetry at the broker, command delivered and acknowledged"

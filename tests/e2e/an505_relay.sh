#!/usr/bin/env bash
# The emulated TrustZone device against a real relay: mvrelay on loopback, a device
# identity provisioned with mvcli, the kernel image (build/an505/s_kernel.elf) running
# the portable demo application in the non-secure world, its UART1 bridged by QEMU to
# the relay's device port. Passes when the demo's log lines, including the config value
# it fetched, are stored by the relay: mutual TLS (cross-built mbedTLS), WebSocket,
# sessions, channels and logging all work through the secure gateway and the UART link.
# Needs `make an505-kernel` and the host build (mvrelay, mvcli; B=build/host).
# In E2E_TESTS (TARGET=host); `make check-an505-kernel` runs it alone.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
B=${B:-build/host}
. tests/e2e/lib.sh
trap mv_cleanup EXIT
img=build/an505
for f in "$img/s_kernel.elf" "$img/app_demo.elf" "$B/mvrelay" "$B/mvcli"; do
  [ -f "$f" ] || mv_fail "missing $f (make an505-kernel and the host build)"
done
mv_tmpdir an505-relay
cli="$B/mvcli"
greeting="an505-greeting-$RANDOM$RANDOM"

mv_start_relay "$MV_TMP/data"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
"$cli" config set demo-greeting "$greeting" >/dev/null || mv_fail "config set"
secret="an505-secret-$RANDOM$RANDOM"
printf '%s' "$secret" | "$cli" secret set demo-secret - >/dev/null || mv_fail "secret set"
device/port/mps2-an505/mkprov.py "$MV_TMP/id" "wss://localhost:$RELAY_DEV_PORT" \
  "$MV_TMP/prov.bin" || mv_fail "mkprov"

# No -icount here: the relay runs in real time and TLS timeouts are real.
timeout -k 5 120 qemu-system-arm -M mps2-an505 -display none -monitor none \
  -semihosting-config enable=on,target=native \
  -chardev "socket,id=net0,host=127.0.0.1,port=$RELAY_DEV_PORT,server=off,reconnect=1" \
  -serial "file:$MV_TMP/ns.log" -serial chardev:net0 -serial "file:$MV_TMP/secure.log" \
  -kernel "$img/s_kernel.elf" -device "loader,file=$img/app_demo.elf" \
  -device "loader,file=$MV_TMP/prov.bin,addr=0x381F0000" &
qpid=$!
MV_PIDS+=("$qpid")

show() {
  echo "--- application console"; cat "$MV_TMP/ns.log" || true
  echo "--- secure console"; cat "$MV_TMP/secure.log" || true
  echo "--- relay"; tail -n 20 "$RELAY_LOG" || true
}
mv_log "waiting for the device's session and its logs"
for _ in $(seq 60); do
  "$cli" logs get "$dev" --limit 1000 >"$MV_TMP/logs.txt" 2>/dev/null || true
  if grep -q "demo: greeting=$greeting" "$MV_TMP/logs.txt" &&
     grep -q "demo: secret=" "$MV_TMP/logs.txt" &&
     [ "$(grep -c 'demo: counter' "$MV_TMP/logs.txt")" -ge 3 ]; then
    grep -q "msg=\"device session\" device=$dev" "$RELAY_LOG" || { show; mv_fail "no session in relay log"; }
    cat "$MV_TMP/logs.txt"
    # The secret was fetched (its masked form is logged) and never appears in clear.
    grep -q "demo: secret=${secret:0:2}\*\*\*" "$MV_TMP/logs.txt" || mv_fail "secret not fetched"
    if grep -q -- "$secret" "$MV_TMP/logs.txt"; then mv_fail "secret logged in clear"; fi
    # Counter lines arrive in order, none missing, none duplicated.
    grep -o 'demo: counter [0-9]*' "$MV_TMP/logs.txt" | awk '{ print $3 }' >"$MV_TMP/counters"
    awk 'NR > 1 && $1 != prev + 1 { bad = 1 } { prev = $1 } END { exit bad }' \
      "$MV_TMP/counters" || mv_fail "counter lines out of order or missing"
    echo "PASS"
    exit 0
  fi
  kill -0 "$qpid" 2>/dev/null || { show; mv_fail "QEMU exited"; }
  sleep 1
done
show
cat "$MV_TMP/logs.txt"
mv_fail "timed out waiting for the greeting and 3 counter lines"

#!/usr/bin/env bash
# Integration: two mvdevice processes with one identity. The relay tells the replaced one
# why (GOAWAY REPLACED), it prints "another connection with this device identity replaced
# this one" and stays away for 30 s instead of knocking the other off at once (they used
# to flap about twice a second). Needs B with mvrelay, mvcli, mvdevice. Loopback only.
set -euo pipefail
B=${B:-build/host}
. tests/e2e/lib.sh
mv_tmpdir mvk-replaced
T=$MV_TMP
trap mv_cleanup EXIT
mv_start_relay "$T/data"
"$B/mvcli" devices provision --out "$T/dev" >/dev/null || mv_fail "provision"
start_dev() {
  "$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$T/dev" >"$T/$1.log" 2>&1 &
  MV_PIDS+=($!)
}
start_dev a
mv_wait_for "$RELAY_LOG" 'msg="device session"' 15 || mv_fail "first device never connected"
start_dev b
mv_wait_for "$T/a.log" "another connection with this device identity replaced this one; retry after 30 s" 15 ||
  mv_fail "the replaced device was not told why"
sleep 5
n=$(grep -c 'msg="session replaced"' "$RELAY_LOG" || true)
[ "$n" = 1 ] || mv_fail "sessions replaced $n times in 5 s (flapping)"
echo "ok: replaced device told why; one replacement in 5 s"

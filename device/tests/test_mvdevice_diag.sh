#!/usr/bin/env bash
# Integration: mvdevice says on stderr why it cannot reach the relay, one line per kind
# of failure rather than one per attempt. Phase 1: relay down (connection refused) for a
# few seconds of reconnect attempts -> exactly one "link" line. Phase 2: the relay comes
# up, the device connects, the relay stops (GOAWAY) -> a "goaway" line, then "link"
# again. Needs B with mvrelay, mvcli, mvdevice. Loopback only, bounded waits.
set -euo pipefail
B=${B:-build/host}
. tests/e2e/lib.sh
for b in mvrelay mvcli mvdevice; do
  [ -x "$B/$b" ] || mv_fail "$B/$b missing"
done
mv_tmpdir mvk-diag
T=$MV_TMP
trap mv_cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- mvdevice stderr"; cat "$T/dev.log"; exit 1; }
# start_relay: (re)starts the relay on the same loopback ports (tests/e2e/lib.sh), which
# also points mvcli at it; RELAY and DP name its pid and device port here.
start_relay() {
  mv_start_relay "$T/data"
  RELAY=$RELAY_PID
  DP=$RELAY_DEV_PORT
}
# wait_err PATTERN MIN SECONDS: until mvdevice's stderr has at least MIN lines matching.
wait_err() {
  for _ in $(seq $(($3 * 10))); do
    [ "$(grep -c -- "$1" "$T/dev.log" || true)" -ge "$2" ] && return 0
    sleep 0.1
  done
  fail "timeout waiting for $2 x '$1' on mvdevice's stderr"
}

# An identity from a relay that then goes away.
start_relay
"$B/mvcli" devices provision --out "$T/dev" >/dev/null
kill "$RELAY"; wait "$RELAY" 2>/dev/null || true

# Phase 1: nothing listens; the device retries with backoff (several attempts in 4 s).
: > "$T/dev.log"
"$B/mvdevice" --relay "wss://localhost:$DP" --identity "$T/dev" >"$T/dev.log" 2>&1 &
MV_PIDS+=($!)
wait_err 'relay connection failed: link (connect: Connection refused)' 1 5
sleep 4
n=$(grep -c 'relay connection failed' "$T/dev.log" || true)
[ "$n" = 1 ] || fail "expected one line for a relay that stays down, got $n"
echo "ok: relay down -> one line: $(grep 'relay connection failed' "$T/dev.log")"

# Phase 2: relay up, device connects; relay drains -> the new failure kinds are printed.
start_relay
for _ in $(seq 150); do
  "$B/mvcli" logs get "$(cat "$T/dev/device_id")" --limit 5 2>/dev/null | grep -q 'demo:' && break
  sleep 0.2
done
kill -TERM "$RELAY"; wait "$RELAY" 2>/dev/null || true
wait_err 'relay connection failed: goaway (relay draining' 1 5
wait_err 'relay connection failed: link' 2 10
n=$(grep -c 'relay connection failed' "$T/dev.log" || true)
[ "$n" -le 4 ] || fail "too many failure lines ($n)"
echo "ok: goaway and the following refusal reported ($n lines in all)"

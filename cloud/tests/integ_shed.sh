#!/usr/bin/env bash
# Reconnect-storm shedding, the session limit: with --max-sessions 2 two devices are
# held, a third authenticated device gets GOAWAY OVERLOADED with a retry-after in
# [overload-retry-ms, 2x] (and no WELCOME), the shed counter counts it, a held device
# reconnecting (replacing its own session) is not refused, and once a slot is free the
# refused device is served.
. "$(dirname "$0")/lib.sh"
BOOT=00000000000000e1
RELAY_EXTRA="--max-sessions 2 --overload-retry-ms 3000" start_relay "$T/data"
for d in a b c; do provision "$T/$d"; done
metric() { curl -sk "$API/metrics" -H "Authorization: Bearer $TOKEN" | awk -v k="$1" '$1 == k {print $2}'; }

hold() { # hold DIR: a session kept open until $T/release-DIR exists
  timeout 60 "$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" --identity "$T/$1" hello:$BOOT \
    waitfile:"$T/release-$1" >"$T/hold-$1.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q '^WELCOME' "$T/hold-$1.out" && return; sleep 0.1; done
  fail "device $1 not held: $(cat "$T/hold-$1.out")"
}
hold a
hold b
[ "$(metric mvrelay_device_connections)" = 2 ] || fail "relay holds $(metric mvrelay_device_connections), want 2"

out=$(tdev "$T/c" hello:$BOOT wait_close 2>&1 || true)
g=$(grep -o '^GOAWAY retry=[0-9]* reason=2$' <<<"$out") || fail "no GOAWAY OVERLOADED: $out"
! grep -q '^WELCOME' <<<"$out" || fail "a shed device got WELCOME: $out"
ms=$(sed 's/GOAWAY retry=\([0-9]*\).*/\1/' <<<"$g")
[ "$ms" -ge 3000 ] && [ "$ms" -le 6001 ] || fail "retry-after $ms not in [3000, 6001]"
[ "$(metric mvrelay_sessions_shed_total)" = 1 ] || fail "shed counter $(metric mvrelay_sessions_shed_total)"
[ "$(metric mvrelay_device_connections)" = 2 ] || fail "shed session still counted"
ok "over the limit: GOAWAY OVERLOADED retry=$ms, counted, not held"

out=$(tdev "$T/a" hello:$BOOT ping 2>&1)
expect_line "$out" "PONG chan=0 len=8"
ok "a held device replacing its own session is not refused"

touch "$T/release-b"
for _ in $(seq 50); do [ "$(metric mvrelay_device_connections)" -lt 2 ] && break; sleep 0.1; done
out=$(tdev "$T/c" hello:$BOOT ping logs:$BOOT:1:3)
expect_line "$out" "PONG chan=0 len=8"
expect_line "$out" "LOG_ACK boot=$BOOT seq=3"
ok "a slot free: the refused device is served on its retry"
touch "$T/release-a"

#!/usr/bin/env bash
# Output backpressure on the device endpoint: a device floods PINGs without reading.
# The relay must stop reading from it once its output queue passes MVR_OUTQ_HIGH
# (256 KiB), keep its memory bounded while paused, serve another device normally
# meanwhile, and answer every PING exactly once, in order, once the device reads again.
. "$(dirname "$0")/lib.sh"
# The flood goes on until the device's writes stall: the relay's queue (16384 PONGs)
# plus what the loopback socket buffers absorb (~100000 PONGs with tcp_wmem max 4 MiB).
MAX=400000
SOCKBUF=32768 # fixed device socket buffers (no autotuning), so the stall comes sooner
# An unbounded queue would hold every PONG (~64 bytes of heap each: ~19 MiB once all
# 400000 got in): the paused relay must stay well below that. Under ASan, freed memory sits in the
# quarantine (256 MiB by default) and would dominate RSS, so the relay gets a small one.
RSS_GROWTH_MAX_KB=8192
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
export MVR_LOG_LEVEL=debug # the pause/resume lines carry the queue size
start_relay "$T/data"
provision "$T/flood"
provision "$T/other"
OTHER=$(cat "$T/other/device_id")
api POST "/v1/Devices/$OTHER/Configs" '{"key":"mode","value":"normal"}' >/dev/null
[ "$(status)" = 201 ] || fail "config create: HTTP $(status)"

metric() { api GET /metrics | sed -n "s/^$1 //p"; }
rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$RELAY_PID/status"; }
# wait_for FILE PATTERN: bounded wait (20 s) for a line in a device's output.
wait_for() {
  for _ in $(seq 200); do grep -q -- "$2" "$1" && return 0; sleep 0.1; done
  fail "no '$2' in $1: $(cat "$1")"
}

out=$(tdev "$T/other" hello:b1 ping)  # warm up: TLS, store and allocator paths
expect_line "$out" "PONG chan=0 len=8"
RSS0=$(rss_kb)

timeout 60 "$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" --identity "$T/flood" \
  --sockbuf "$SOCKBUF" hello:f1 "flood:$MAX" "waitfile:$T/go" drain:0 >"$T/flood.txt" 2>&1 &
FLOOD_PID=$!
PIDS+=("$FLOOD_PID")

# (1) The relay stopped reading: the device's writes stall, and the relay says so.
wait_for "$T/flood.txt" '^FLOOD '
grep -q "^FLOOD sent=[0-9]* of $MAX stalled total=[0-9]*$" "$T/flood.txt" ||
  fail "flood did not stall: $(cat "$T/flood.txt")"
SENT=$(sed -n 's/^FLOOD sent=\([0-9]*\) .*/\1/p' "$T/flood.txt")
N=$(sed -n 's/^FLOOD .* total=\([0-9]*\)$/\1/p' "$T/flood.txt")
[ "$(metric mvrelay_device_rx_paused)" = 1 ] || fail "relay not paused: $(api GET /metrics)"
[ "$(metric mvrelay_device_rx_paused_total)" -ge 1 ] || fail "pause not counted"
QUEUED=$(grep 'msg="device rx paused"' "$T/relay.log" | sed -n 's/.*queued=\([0-9]*\).*/\1/p' |
  sort -n | tail -n 1)
[ -n "$QUEUED" ] || fail "no pause log line"
# One read (4096 bytes = 256 PINGs) may push the queue past the bound by 256 PONGs.
[ "$QUEUED" -le $((256 * 1024 + 4096)) ] || fail "queue $QUEUED bytes above the bound"
ok "flood stalled after $SENT PINGs ($N with the pending batch); paused at $QUEUED bytes queued"

# (2) Memory stays bounded while paused: the device keeps pushing (its stalled write)
# and the relay's RSS does not follow.
sleep 1
RSS1=$(rss_kb)
[ $((RSS1 - RSS0)) -le "$RSS_GROWTH_MAX_KB" ] ||
  fail "relay RSS grew from $RSS0 to $RSS1 kB while paused"
ok "relay RSS ${RSS0} kB before, ${RSS1} kB while paused"

# (4) Another device is served normally while the first is paused.
out=$(tdev "$T/other" hello:b2 open:1:3:65536 cfg:1:d/c/mode logs:00000000000000b2:1:3 ping)
expect_line "$out" "ITEM 0 result=0 value=normal"
expect_line "$out" "LOG_ACK boot=00000000000000b2 seq=3"
expect_line "$out" "PONG chan=0 len=8"
[ "$(metric mvrelay_device_rx_paused)" = 1 ] || fail "flooding device resumed too early"
ok "second device: config fetch, log ack and ping while the first is paused"

# (3) The device reads again: every PING answered once, in order, nothing lost.
touch "$T/go"
rc=0
wait "$FLOOD_PID" || rc=$?
grep -qx "DRAIN pongs=$N in order" "$T/flood.txt" || fail "drain: $(tail -n 5 "$T/flood.txt")"
grep -qx "DRAIN next=$((N + 1)) ok" "$T/flood.txt" || fail "extra PONG: $(tail -n 5 "$T/flood.txt")"
[ "$rc" -eq 0 ] || fail "flood device exit $rc"
[ "$(metric mvrelay_device_rx_paused)" = 0 ] || fail "pause gauge not back to 0"
grep -q 'msg="device rx resumed"' "$T/relay.log" || fail "no resume log line"
ok "all $N PONGs in order after draining; relay resumed reading"
stop_relay

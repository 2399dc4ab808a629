# Shared by an505_relay.sh and riscv_relay.sh (sourced after lib.sh and the board's lib,
# which defines the board interface: BOARD, BOARD_FW, board_setup ...): a real relay, a
# provisioned identity, the demo application on the emulated board, a relay restart.
board_setup "$BOARD"-relay "$BOARD_KERNEL" app_demo.elf
for f in "$B/mvrelay" "$B/mvcli"; do [ -x "$f" ] || mv_fail "missing $f (the host build)"; done
cli="$B/mvcli"
greeting="$BOARD-greeting-$RANDOM$RANDOM"

mv_start_relay "$MV_TMP/data"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
"$cli" config set demo-greeting "$greeting" >/dev/null || mv_fail "config set"
secret="$BOARD-secret-$RANDOM$RANDOM"
printf '%s' "$secret" | "$cli" secret set demo-secret - >/dev/null || mv_fail "secret set"
device/port/mps2-an505/mkprov.py "$MV_TMP/id" "wss://localhost:$RELAY_DEV_PORT" \
  "$MV_TMP/prov.bin" || mv_fail "mkprov"

board_start_networked app_demo.elf 120 "$MV_TMP/prov.bin"
show() { board_show; }
fetch_logs() { "$cli" logs get "$dev" --limit 1000 >"$MV_TMP/logs.txt" 2>/dev/null || true; }
count() { grep -c -- "$1" "$MV_TMP/logs.txt" || true; }
last_counter() { grep -o 'demo: counter [0-9]*' "$MV_TMP/logs.txt" | tail -1 | awk '{ print $3 }'; }
# wait_until SECONDS WHAT CMD...: polls CMD (after fetching the logs) once a second.
wait_until() {
  local secs=$1 what=$2; shift 2
  for _ in $(seq "$secs"); do
    fetch_logs
    if "$@"; then return 0; fi
    board_alive || { show; mv_fail "QEMU exited while waiting for $what"; }
    sleep 1
  done
  show; cat "$MV_TMP/logs.txt"; mv_fail "timed out waiting for $what"
}
first_logs() {
  grep -q "demo: greeting=$greeting" "$MV_TMP/logs.txt" &&
    grep -q "demo: secret=" "$MV_TMP/logs.txt" && [ "$(count 'demo: counter')" -ge 3 ]
}
# The relay's session log line names the device and its firmware (HELLO fw_version).
session_seen() { grep -q "msg=\"device session\" device=$dev .*fw=\"$BOARD_FW/" "$RELAY_LOG"; }
counter_past() { [ "$(last_counter)" -ge "$1" ]; }

mv_log "waiting for the device's session and its logs"
wait_until 60 "the greeting and 3 counter lines" first_logs
session_seen || { show; mv_fail "no session with fw=\"$BOARD_FW/...\" in the relay log"; }
# The secret was fetched (its masked form is logged) and never appears in clear.
grep -q "demo: secret=${secret:0:2}\*\*\*" "$MV_TMP/logs.txt" || mv_fail "secret not fetched"

# Relay restart while the device runs: SIGTERM (GOAWAY to the device), down ~1.5 s while
# the demo keeps logging into its buffer, same ports again. The device must reconnect
# (a new session in the new relay's log) and deliver what it logged meanwhile.
last=$(last_counter)
mv_log "restarting the relay (device at counter $last)"
mv_stop_pid "$RELAY_PID" || mv_fail "mvrelay did not exit 0 on SIGTERM"
sleep 1.5
mv_start_relay "$MV_TMP/data"
wait_until 40 "a new session after the relay restart" session_seen
wait_until 20 "counter $((last + 3)) after the restart" counter_past $((last + 3))
cat "$MV_TMP/logs.txt"

if grep -q -- "$secret" "$MV_TMP/logs.txt"; then mv_fail "secret logged in clear"; fi
grep -q '\[gap:' "$MV_TMP/logs.txt" && mv_fail "a GAP record was stored (records lost on the device)"
# Counter lines arrive in order across the restart, none missing, none duplicated.
grep -o 'demo: counter [0-9]*' "$MV_TMP/logs.txt" | awk '{ print $3 }' >"$MV_TMP/counters"
awk 'NR == 1 && $1 != 0 { bad = 1 } NR > 1 && $1 != prev + 1 { bad = 1 } { prev = $1 }
     END { exit bad }' "$MV_TMP/counters" ||
  { cat "$MV_TMP/counters"; mv_fail "counter lines out of order, missing or duplicated"; }
# Per boot id, the stored seq values are exactly 1..N (the kernel's log sequence).
awk '$2 ~ /^[0-9a-f]+:[0-9]+$/ { split($2, a, ":"); print a[1], a[2] }' "$MV_TMP/logs.txt" |
  sort -k1,1 -k2,2n >"$MV_TMP/seqs"
[ -s "$MV_TMP/seqs" ] || mv_fail "no boot:seq records parsed"
awk '$1 != boot { boot = $1; want = 1 }
     $2 != want { printf "boot %s: expected seq %d, got %d\n", $1, want, $2; bad = 1; exit }
     { want++ } END { exit bad }' "$MV_TMP/seqs" || mv_fail "log sequence has gaps or duplicates"
mv_stop_pid "$RELAY_PID" || mv_fail "mvrelay did not exit 0 on SIGTERM at the end"
echo "PASS"

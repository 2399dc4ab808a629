# Shared by an505_fault.sh and riscv_fault.sh (sourced after lib.sh and the board's lib):
# the fault test application logs, faults, is restarted by the kernel alone and logs again;
# the stored records must add up exactly (see the wrappers' header comments).
board_setup "$BOARD"-fault "$BOARD_KERNEL" fault_log.elf
for f in "$B/mvrelay" "$B/mvcli"; do [ -x "$f" ] || mv_fail "missing $f (the host build)"; done
cli="$B/mvcli"

mv_start_relay "$MV_TMP/data"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
device/port/mps2-an505/mkprov.py "$MV_TMP/id" "wss://localhost:$RELAY_DEV_PORT" \
  "$MV_TMP/prov.bin" || mv_fail "mkprov"

board_start_networked fault_log.elf 90 "$MV_TMP/prov.bin"

show() {
  board_show
  echo "--- stored logs"; cat "$MV_TMP/logs.json" 2>/dev/null || true
  echo "--- accounting"; cat "$MV_TMP/check.out" 2>/dev/null || true
}
fail() { show; mv_fail "$*"; }
fetch_logs() {
  "$cli" logs get "$dev" --limit 1000 --json >"$MV_TMP/logs.json" 2>/dev/null || true
}
# wait_until SECONDS WHAT CMD...: polls CMD (after fetching the logs) every 0.5 s.
wait_until() {
  local secs=$1 what=$2; shift 2
  for _ in $(seq $((secs * 2))); do
    fetch_logs
    if "$@"; then return 0; fi
    board_alive || fail "QEMU exited while waiting for $what"
    sleep 0.5
  done
  fail "timed out waiting for $what"
}
# The application's own checks failed (it prints FAIL and exits QEMU).
app_ok() { ! grep -q "FAIL" "$MV_TMP/$BOARD_APP_CON" 2>/dev/null; }
restarted() { app_ok && grep -q "^fault_log: done" "$MV_TMP/$BOARD_APP_CON" 2>/dev/null; }
after_stored() { grep -q '"fault_log: after 5"' "$MV_TMP/logs.json" 2>/dev/null; }

mv_log "waiting for the application to log, fault and log again"
wait_until 60 "the restarted application" restarted
app_ok || fail "the application reported a failure"
wait_until 20 "the restarted application's logs at the relay" after_stored

# The kernel (secure) console: one boot, one application reset, the boot id kept across it.
[ "$(grep -c "mvk: starting application" "$MV_TMP/$BOARD_KERNEL_CON")" -eq 1 ] ||
  fail "the system rebooted"
[ "$(grep -c "restarting the application" "$MV_TMP/$BOARD_KERNEL_CON")" -eq 1 ] ||
  fail "expected exactly one application restart"
if grep -q "in kernel\|unrecoverable" "$MV_TMP/$BOARD_KERNEL_CON"; then fail "kernel fault"; fi
# (The console writes CR LF.)
boot_line() { tr -d '\r' <"$MV_TMP/$BOARD_KERNEL_CON" | sed -n "s/^mvk: $1 0x\([0-9a-f]*\) 0x\([0-9a-f]*\)\$/\1\2/p"; }
boot=$(boot_line "kernel boot id")
after=$(boot_line "application reset, boot id")
[ -n "$boot" ] || fail "no boot id line on the kernel console"
[ "$after" = "$boot" ] || fail "boot id changed across the application reset ($boot -> $after)"
# How many "before" messages the application logged before the fault.
logged=$(tr -d '\r' <"$MV_TMP/$BOARD_APP_CON" | sed -n 's/^fault_log: logged \([0-9]*\) accepted.*/\1/p')
[ -n "$logged" ] || fail "no 'logged K' line on the application console"

# The accounting check, retried for a few seconds: a GAP settled by the WELCOME of a
# later session (if the session dropped) may reach the relay after "after 5".
adds_up() { python3 tests/e2e/fault_log_accounting.py "$MV_TMP/logs.json" "$boot" "$logged" 5 >"$MV_TMP/check.out"; }
wait_until 10 "the stored logs to add up" adds_up
cat "$MV_TMP/check.out"
# The relay session survived the application restart: one session for the whole run.
sessions=$(grep -c "msg=\"device session\" device=$dev " "$RELAY_LOG" || true)
[ "$sessions" -eq 1 ] || fail "expected one relay session across the restart, saw $sessions"
echo "PASS"

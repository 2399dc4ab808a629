#!/usr/bin/env bash
# An application fault on the emulated TrustZone device while it is connected to a real
# relay: the kernel image runs fault_log.elf (device/port/mps2-an505/apps/fault_log/),
# which logs "fault_log: before 1..K" (15 paced, then a burst of 200 long ones it
# faults right after, by reading secure memory), is restarted by the kernel alone
# (mvk_kernel_app_reset) and logs "fault_log: after 1..5". Passes when, through `mvcli
# logs get --json`: every record has the one boot id the secure console printed before
# and after the reset; the boot's seqs are unique, and any seq missing from 1..max (a
# record lost with the application's buffer: the sequence is not rewound) is covered
# by GAP records stored after it; every "before" message is stored at most once and
# the GAP records' `dropped` add up to exactly the number of missing ones (so a GAP
# exists if and only if something was lost); and all "after" messages arrive, after
# every missing seq.
# Needs `make an505-kernel` and the host build (mvrelay, mvcli; B=build/host).
# In E2E_TESTS (TARGET=host); `make check-an505-kernel` runs it too.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/an505_lib.sh
an505_setup an505-fault s_kernel.elf fault_log.elf
for f in "$B/mvrelay" "$B/mvcli"; do [ -x "$f" ] || mv_fail "missing $f (the host build)"; done
cli="$B/mvcli"

mv_start_relay "$MV_TMP/data"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
device/port/mps2-an505/mkprov.py "$MV_TMP/id" "wss://localhost:$RELAY_DEV_PORT" \
  "$MV_TMP/prov.bin" || mv_fail "mkprov"

an505_start_networked fault_log.elf 90 "$MV_TMP/prov.bin"

show() {
  an505_show
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
    kill -0 "$AN505_QPID" 2>/dev/null || fail "QEMU exited while waiting for $what"
    sleep 0.5
  done
  fail "timed out waiting for $what"
}
# The application's own checks failed (it prints FAIL and exits QEMU).
app_ok() { ! grep -q "FAIL" "$MV_TMP/ns.log" 2>/dev/null; }
restarted() { app_ok && grep -q "^fault_log: done" "$MV_TMP/ns.log" 2>/dev/null; }
after_stored() { grep -q '"fault_log: after 5"' "$MV_TMP/logs.json" 2>/dev/null; }

mv_log "waiting for the application to log, fault and log again"
wait_until 60 "the restarted application" restarted
app_ok || fail "the application reported a failure"
wait_until 20 "the restarted application's logs at the relay" after_stored

# The secure console: one boot, one application reset, the boot id kept across it.
[ "$(grep -c "mvk: starting application" "$MV_TMP/secure.log")" -eq 1 ] ||
  fail "the system rebooted"
[ "$(grep -c "mvk: restarting the application" "$MV_TMP/secure.log")" -eq 1 ] ||
  fail "expected exactly one application restart"
if grep -q "in kernel\|unrecoverable" "$MV_TMP/secure.log"; then fail "kernel fault"; fi
# (The console writes CR LF.)
boot_line() { tr -d '\r' <"$MV_TMP/secure.log" | sed -n "s/^mvk: $1 0x\([0-9a-f]*\) 0x\([0-9a-f]*\)\$/\1\2/p"; }
boot=$(boot_line "kernel boot id")
after=$(boot_line "application reset, boot id")
[ -n "$boot" ] || fail "no boot id line on the secure console"
[ "$after" = "$boot" ] || fail "boot id changed across the application reset ($boot -> $after)"
# How many "before" messages the application logged before the fault.
logged=$(tr -d '\r' <"$MV_TMP/ns.log" | sed -n 's/^fault_log: logged \([0-9]*\) accepted.*/\1/p')
[ -n "$logged" ] || fail "no 'logged K' line on the application console"

# The accounting check, retried for a few seconds: a GAP settled by the WELCOME of a
# later session (if the session dropped) may reach the relay after "after 5".
adds_up() { python3 tests/e2e/fault_log_accounting.py "$MV_TMP/logs.json" "$boot" "$logged" 5 >"$MV_TMP/check.out"; }
wait_until 10 "the stored logs to add up" adds_up
cat "$MV_TMP/check.out"
echo "PASS"

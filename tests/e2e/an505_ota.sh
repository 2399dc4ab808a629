#!/usr/bin/env bash
# End-to-end over-the-air update on the emulated TrustZone device (docs/ota.md,
# docs/an505.md): the kernel image runs ota_v1 (device/tests/apps/ota_*, as on the host
# port) against a real relay over the UART link, with the owner's update key in the
# provisioning blob. A bundle signed with another key and one built for the host port
# are refused with their reason while v1 keeps running; v2 (padded to 480 KiB, paced by
# --update-rate) is downloaded with a relay restart in the middle and resumes at its
# offset, the app is notified, mvRestart applies it: the kernel copies the image into the
# application slot and restarts the non-secure world alone, and v2 logs with the same
# device identity and boot id and wake reason APPLICATIONUPDATE. Then v3, which faults
# at every start, is rolled back to v2 and the relay shows "rolled back".
# Needs `make an505-kernel` and the host build (mvrelay, mvcli; B=build/host).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/an505_lib.sh
an505_setup an505-ota s_kernel.elf app_ota_v1.elf app_ota_v2.bin app_ota_crash.bin
for f in "$B/mvrelay" "$B/mvcli"; do [ -x "$f" ] || mv_fail "missing $f (the host build)"; done
B=$(cd "$B" && pwd)
cli="$B/mvcli"
img="$PWD/$AN505_IMG"
dd="$MV_TMP/data"

mv_start_relay "$dd" --update-rate 65536 --ping-interval 5
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
( cd "$MV_TMP" && "$cli" apps keygen --out owner >/dev/null && "$cli" apps keygen --out rogue >/dev/null ) ||
  mv_fail "keygen"
cp "$MV_TMP/owner.pub.pem" "$MV_TMP/id/update.pub.pem" # into the provisioning blob
device/port/mps2-an505/mkprov.py "$MV_TMP/id" "wss://localhost:$RELAY_DEV_PORT" \
  "$MV_TMP/prov.bin" || mv_fail "mkprov"
an505_start_networked app_ota_v1.elf 420 "$MV_TMP/prov.bin"

fail() {
  an505_show
  echo "--- stored log messages (ticks left out)"
  grep -o '"message": "[^"]*' "$MV_TMP/logs.json" 2>/dev/null | grep -v ': tick' || true
  mv_fail "$*"
}
# wait_log PATTERN SECONDS: until one of the device's stored log messages matches.
wait_log() {
  for _ in $(seq "$2"); do
    "$cli" --json logs get "$dev" --limit 100000 >"$MV_TMP/logs.json" 2>/dev/null || true
    grep -Eq -- "$1" "$MV_TMP/logs.json" && return 0
    kill -0 "$AN505_QPID" 2>/dev/null || fail "QEMU exited"
    sleep 1
  done
  fail "timed out waiting for log '$1'"
}
# wait_state REGEX SECONDS: until `devices show` has an update line matching REGEX.
wait_state() {
  for _ in $(seq "$2"); do
    "$cli" devices show "$dev" >"$MV_TMP/show.txt" 2>/dev/null || true
    grep -Eq -- "^update +$1" "$MV_TMP/show.txt" && return 0
    sleep 1
  done
  cat "$MV_TMP/show.txt" >&2
  fail "timed out waiting for update state '$1'"
}
ticks_of() { grep -Eo "ota v$1: tick [0-9]+" "$MV_TMP/logs.json" | wc -l; }
deploy() {
  local app
  app=$("$cli" apps upload "$1") || mv_fail "upload $1"
  "$cli" devices deploy "$dev" "$app" >/dev/null || mv_fail "deploy $1"
  echo "$app"
}
bundle() { "$cli" apps bundle "$@" >/dev/null || mv_fail "bundle $*"; }

mv_log "v1 boots"
wait_log 'ota v1: started \(wake COLDBOOT\)' 60
wait_log 'ota v1: network notification' 30

mv_log "a bundle signed with another key is refused, v1 keeps running"
bundle --key "$MV_TMP/rogue.key.pem" --version 2.0 --port an505 "$img/app_ota_v2.bin" \
  -o "$MV_TMP/rogue.mvb"
app=$(deploy "$MV_TMP/rogue.mvb")
wait_state "failed $app: bad signature" 60
mv_log "a bundle for the host port is refused"
bundle --key "$MV_TMP/owner.key.pem" --version 2.0 --port host "$img/app_ota_v2.bin" \
  -o "$MV_TMP/port.mvb"
app=$(deploy "$MV_TMP/port.mvb")
wait_state "failed $app: bundle built for another port" 60
wait_log 'ota v1: tick' 5
before=$(ticks_of 1)
wait_log "ota v1: tick $((before + 1))" 20
grep -q 'ota v1: update downloaded' "$MV_TMP/logs.json" && fail "the app was told about a refused update"

mv_log "v2: download (with a relay restart in the middle), notify, apply"
# Zeros past the image's end are harmless in the slot: a larger download.
cp "$img/app_ota_v2.bin" "$MV_TMP/v2.bin"
truncate -s 480K "$MV_TMP/v2.bin"
bundle --key "$MV_TMP/owner.key.pem" --version 2.0 --port an505 "$MV_TMP/v2.bin" \
  -o "$MV_TMP/v2.mvb"
v2=$(deploy "$MV_TMP/v2.mvb")
mv_wait_for "$RELAY_LOG" "state=\"downloading\" app=$v2 offset=[1-9]" 90 "$RELAY_PID" ||
  fail "no download progress"
mv_stop_pid "$RELAY_PID" || true
sleep 1.5 # as in an505_relay.sh: QEMU's link reconnects to the same port
mv_start_relay "$dd" --update-rate 65536 --ping-interval 5
# When the relay dies with chunks still queued towards the device, the UART link cannot
# show the break and the device may only notice the silence: 3 ping intervals, so the
# relays here announce 5 s (docs/an505.md, "Not done yet").
mv_wait_for "$RELAY_LOG" "update state.*app=$v2" 150 "$RELAY_PID" || fail "no status after restart"
first=$(grep -m1 "update state.*app=$v2" "$RELAY_LOG")
[[ "$first" =~ state=\"downloading\".*offset=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 65536 ] ||
  fail "the download did not resume after the relay restart: $first"
mv_log "resumed at offset ${BASH_REMATCH[1]}"
wait_log 'ota v1: update downloaded, restarting to apply it' 90
wait_log 'ota v2: started \(wake APPLICATIONUPDATE\)' 60
wait_state "applied $v2" 60
wait_log 'ota v2: tick 2' 30
wait_log 'ota v2: network notification' 30
# One system boot, one kernel boot id: only the non-secure world was restarted.
tr -d '\r' <"$MV_TMP/secure.log" >"$MV_TMP/secure.txt"
[ "$(grep -c "mvk: starting application" "$MV_TMP/secure.txt")" -eq 1 ] || fail "the system rebooted"
[ "$(grep -c "mvk: kernel boot id" "$MV_TMP/secure.txt")" -eq 1 ] || fail "the kernel restarted"
grep -q "mvk: update applied, restarting the application" "$MV_TMP/secure.txt" ||
  fail "no in-place restart for the update on the secure console"
if grep -q "in kernel\|unrecoverable" "$MV_TMP/secure.txt"; then fail "kernel fault"; fi

mv_log "v3 faults at every start: rolled back to v2"
bundle --key "$MV_TMP/owner.key.pem" --version 3.0 --port an505 "$img/app_ota_crash.bin" \
  -o "$MV_TMP/v3.mvb"
v3=$(deploy "$MV_TMP/v3.mvb")
wait_log 'ota v3: started' 90
wait_state "rolled back $v3" 90
grep -Eq "^update +rolled back $v3: the new app faulted" "$MV_TMP/show.txt" ||
  fail "rollback reason: $(cat "$MV_TMP/show.txt")"
wait_log 'ota v2: started \(wake COLDBOOT\)' 60
"$cli" --json logs get "$dev" --limit 100000 >"$MV_TMP/logs.json" 2>/dev/null || true
before=$(ticks_of 2)
wait_log "ota v2: tick $((before + 2))" 30
tr -d '\r' <"$MV_TMP/secure.log" >"$MV_TMP/secure.txt"
grep -q "mvk: update rolled back, restarting the application" "$MV_TMP/secure.txt" ||
  fail "no rollback on the secure console"
[ "$(grep -c "mvk: starting application" "$MV_TMP/secure.txt")" -eq 1 ] || fail "the system rebooted"
echo "ok: an505 OTA update, refusals and rollback"

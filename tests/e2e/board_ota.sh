# shellcheck shell=bash
# Shared by an505_ota.sh and riscv_ota.sh (sourced after lib.sh and the board's lib):
# over-the-air update of the OTA test application (device/tests/apps/ota_*) on an
# emulated board against a real relay over the board's UART link, with the owner's
# update key in the provisioning blob. See the wrappers' header comments.
board_setup "$BOARD"-ota "$BOARD_KERNEL" app_ota_v1.elf app_ota_v2.bin app_ota_crash.bin
for f in "$B/mvrelay" "$B/mvcli"; do [ -x "$f" ] || mv_fail "missing $f (the host build)"; done
B=$(cd "$B" && pwd)
cli="$B/mvcli"
img="$PWD/$BOARD_IMG"
dd="$MV_TMP/data"
kcon="$MV_TMP/$BOARD_KERNEL_CON"
. tests/e2e/ota_lib.sh
ota_alive() { board_alive; }
ota_show() { board_show; }

mv_start_relay "$dd" --update-rate 65536 --ping-interval 5
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
( cd "$MV_TMP" && "$cli" apps keygen --out owner >/dev/null && "$cli" apps keygen --out rogue >/dev/null ) ||
  mv_fail "keygen"
cp "$MV_TMP/owner.pub.pem" "$MV_TMP/id/update.pub.pem" # into the provisioning blob
device/port/mps2-an505/mkprov.py "$MV_TMP/id" "wss://localhost:$RELAY_DEV_PORT" \
  "$MV_TMP/prov.bin" || mv_fail "mkprov"
board_start_networked app_ota_v1.elf 480 "$MV_TMP/prov.bin"
owner=(--key "$MV_TMP/owner.key.pem" --port "$BOARD_BUNDLE_PORT")

# kernel_console: the kernel's console without carriage returns, in $MV_TMP/kcon.txt.
kernel_console() { tr -d '\r' <"$kcon" >"$MV_TMP/kcon.txt"; }
# One system start and one kernel boot: updates restart the application alone.
check_one_boot() {
  kernel_console
  [ "$(grep -c "mvk: starting application" "$MV_TMP/kcon.txt")" -eq 1 ] || ota_fail "the system rebooted"
  [ "$(grep -c "mvk: kernel boot id" "$MV_TMP/kcon.txt")" -eq 1 ] || ota_fail "the kernel restarted"
  if grep -q "in kernel\|unrecoverable" "$MV_TMP/kcon.txt"; then ota_fail "kernel fault"; fi
}

mv_log "v1 boots"
wait_log 'ota v1: started \(wake COLDBOOT\)' 60
wait_log 'ota v1: network notification' 30

mv_log "a bundle signed with another key is refused, v1 keeps running"
bundle --key "$MV_TMP/rogue.key.pem" --version 2.0 --port "$BOARD_BUNDLE_PORT" \
  "$img/app_ota_v2.bin" -o "$MV_TMP/rogue.mvb"
app=$(deploy "$MV_TMP/rogue.mvb")
wait_state "failed $app: bad signature" 60
mv_log "a bundle for the host port is refused"
bundle --key "$MV_TMP/owner.key.pem" --version 2.0 --port host "$img/app_ota_v2.bin" \
  -o "$MV_TMP/port.mvb"
app=$(deploy "$MV_TMP/port.mvb")
wait_state "failed $app: bundle built for another port" 60
mv_log "a flipped byte, a truncated bundle, a corrupted signature are refused"
ota_bad_bundles "$MV_TMP/owner.key.pem" "$img/app_ota_v2.bin" --port "$BOARD_BUNDLE_PORT"

mv_log "v2: download (with a relay restart in the middle), notify, apply"
# Zeros past the image's end are harmless in the slot: a larger download.
cp "$img/app_ota_v2.bin" "$MV_TMP/v2.bin"
truncate -s 480K "$MV_TMP/v2.bin"
bundle "${owner[@]}" --version 2.0 "$MV_TMP/v2.bin" -o "$MV_TMP/v2.mvb"
v2=$(deploy "$MV_TMP/v2.mvb")
mv_wait_for "$RELAY_LOG" "state=\"downloading\" app=$v2 offset=[1-9]" 90 "$RELAY_PID" ||
  ota_fail "no download progress"
mv_stop_pid "$RELAY_PID" || true
sleep 1.5 # as in board_relay.sh: QEMU's link reconnects to the same port
mv_start_relay "$dd" --update-rate 65536 --ping-interval 5
# When the relay dies with chunks still queued towards the device, the UART link cannot
# show the break and the device may only notice the silence: 3 ping intervals, so the
# relays here announce 5 s (docs/an505.md, "Not done yet").
mv_wait_for "$RELAY_LOG" "update state.*app=$v2" 150 "$RELAY_PID" || ota_fail "no status after restart"
first=$(grep -m1 "update state.*app=$v2" "$RELAY_LOG")
[[ "$first" =~ state=\"downloading\".*offset=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 65536 ] ||
  ota_fail "the download did not resume after the relay restart: $first"
mv_log "resumed at offset ${BASH_REMATCH[1]}"
wait_log 'ota v1: update downloaded, restarting to apply it' 90
wait_log 'ota v2: started \(wake APPLICATIONUPDATE\)' 60
wait_state "applied $v2" 60
wait_log 'ota v2: tick 2' 30
wait_log 'ota v2: network notification' 30
# A successful mvRestart does not return (as on Microvisor): v1 never logs past it.
grep -q 'ota v1: mvRestart returned' "$MV_TMP/logs.json" && ota_fail "mvRestart returned after applying"
# One system boot, one kernel boot id: only the application was restarted.
check_one_boot
grep -q "mvk: update applied, restarting the application" "$MV_TMP/kcon.txt" ||
  ota_fail "no in-place restart for the update on the kernel console"
# ... made by the kernel inside v1's mvRestart call, which it did not return from.
grep -q "mvk: mvRestart applied an update: not returning to the caller" "$MV_TMP/kcon.txt" ||
  ota_fail "the update was not applied inside the mvRestart call"

mv_log "v3 faults at every start: rolled back to v2"
bundle "${owner[@]}" --version 3.0 "$img/app_ota_crash.bin" -o "$MV_TMP/v3.mvb"
v3=$(deploy "$MV_TMP/v3.mvb")
wait_log 'ota v3: started' 90
wait_state "rolled back $v3" 90
grep -Eq "^update +rolled back $v3: the new app faulted" "$MV_TMP/show.txt" ||
  ota_fail "rollback reason: $(cat "$MV_TMP/show.txt")"
wait_log 'ota v2: started \(wake COLDBOOT\)' 60
ota_fetch_logs
before=$(ticks_of 2)
wait_log "ota v2: tick $((before + 2))" 30
check_one_boot
grep -q "mvk: update rolled back, restarting the application" "$MV_TMP/kcon.txt" ||
  ota_fail "no rollback on the kernel console"
echo "ok: $BOARD OTA update, refusals and rollback"

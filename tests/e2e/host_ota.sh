#!/usr/bin/env bash
# End-to-end over-the-air update on the host port (docs/ota.md): a device runs ota_v1;
# bundles signed with a key the device does not trust, or built for another port, are
# refused with their reason by the device, as is one with a corrupted signature, while a
# bundle with a flipped image byte and a truncated one are refused by the relay at upload
# (tests/e2e/ota_lib.sh), and v1 keeps running; a good v2 is downloaded, the app is
# notified (UPDATEDOWNLOADED), mvRestart applies it, and v2 logs with the same device
# identity and wake reason APPLICATIONUPDATE; the relay is restarted in the middle of
# that download (paced with --update-rate) and the device resumes at its offset instead
# of starting over; then v3, which faults at every start, is rolled back to v2
# automatically and the relay shows "rolled back"; last v4, which runs but never asks for
# the network, is rolled back to v2 when its trial time (mvdevice --update-trial 8) ends.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ota_lib.sh"
trap mv_cleanup EXIT
mv_tmpdir e2e-ota
B=$(cd "$B" && pwd)
cli="$B/mvcli"
dd="$MV_TMP/data"
cd "$MV_TMP"

# 64 KiB/s per device: the 400 KiB v2 bundle takes several seconds, so the relay can be
# restarted in the middle of its download.
mv_start_relay "$dd" --update-rate 65536
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
"$cli" apps keygen --out "$MV_TMP/owner" >/dev/null || mv_fail "keygen"
"$cli" apps keygen --out "$MV_TMP/rogue" >/dev/null || mv_fail "keygen rogue"
# The device trusts the owner's key: provisioned beside its identity.
cp owner.pub.pem "$MV_TMP/id/update.pub.pem"

# An updated app must reach the network within 8 s of each start (default 30 s): time
# enough for v2's reconnect under the sanitizer build, and a short wait for v4's rollback.
"$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$MV_TMP/id" --app ota_v1 \
    --update-trial 8 >"$MV_TMP/device.log" 2>&1 &
dev_pid=$!
MV_PIDS+=("$dev_pid")

ota_alive() { kill -0 "$dev_pid" 2>/dev/null; }
ota_show() {
    echo "--- device"
    tail -n 30 "$MV_TMP/device.log"
    tail -c 3000 "$MV_TMP/logs.json" 2>/dev/null || true
}

mv_log "v1 boots"
wait_log 'ota v1: started \(wake COLDBOOT\)' 40
wait_log 'ota v1: tick 1' 20
wait_log 'ota v1: network notification' 20

mv_log "a bundle signed with another key is refused, v1 keeps running"
"$cli" apps bundle --key rogue.key.pem --version 2.0 "$B/apps/ota_v2.so" -o rogue.mvb >/dev/null
app=$(deploy rogue.mvb)
wait_state "failed $app: bad signature" 40
wait_log "update: failed $app: bad signature" 10
mv_log "a bundle for another port is refused"
"$cli" apps bundle --key owner.key.pem --version 2.0 --port an505 "$B/apps/ota_v2.so" \
    -o port.mvb >/dev/null
app=$(deploy port.mvb)
wait_state "failed $app: bundle built for another port" 40
mv_log "a flipped byte, a truncated bundle, a corrupted signature are refused"
ota_bad_bundles owner.key.pem "$B/apps/ota_v2.so"

mv_log "v2: download (with a relay restart in the middle), notify, apply"
# Trailing zeros past the ELF's last section are ignored by the loader: a larger image.
cp "$B/apps/ota_v2.so" v2.so
truncate -s 400K v2.so
"$cli" apps bundle --key owner.key.pem --version 2.0 v2.so -o v2.mvb >/dev/null
v2=$(deploy v2.mvb)
mv_wait_for "$RELAY_LOG" "state=\"downloading\" app=$v2 offset=[1-9]" 60 "$RELAY_PID" ||
    mv_fail "no download progress"
mv_stop_pid "$RELAY_PID" || true
mv_start_relay "$dd" --update-rate 65536
mv_wait_for "$RELAY_LOG" "update state.*app=$v2" 60 "$RELAY_PID" || mv_fail "no status after restart"
first=$(grep -m1 "update state.*app=$v2" "$RELAY_LOG")
[[ "$first" =~ state=\"downloading\".*offset=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 65536 ] ||
    mv_fail "the download did not resume after the relay restart: $first"
mv_log "resumed at offset ${BASH_REMATCH[1]}"
wait_log 'ota v1: update downloaded, restarting to apply it' 60
wait_log 'ota v2: started \(wake APPLICATIONUPDATE\)' 60
wait_state "applied $v2" 60
# The relay's update events are in the device's log, in line with the app's own lines.
wait_log "update: downloading $v2 at offset [1-9]" 10
wait_log "update: applied $v2" 10
wait_log 'ota v2: tick 2' 30
wait_log 'ota v2: network notification' 30
grep -q 'ota v1: mvRestart returned' "$MV_TMP/logs.json" && mv_fail "mvRestart returned after applying"
cmp -s "$MV_TMP/id/update/app.so" v2.so || mv_fail "installed image differs from v2"
grep -Fq "device $dev app $MV_TMP/id/update/app.so" "$MV_TMP/device.log" ||
    mv_fail "the device did not come back with the same identity and the new app"

mv_log "v3 faults at every start: rolled back to v2"
"$cli" apps bundle --key owner.key.pem --version 3.0 "$B/apps/ota_crash.so" -o v3.mvb >/dev/null
v3=$(deploy v3.mvb)
wait_log 'ota v3: started' 60
wait_state "rolled back $v3" 90
grep -Eq "^update +rolled back $v3: the new app faulted" "$MV_TMP/show.txt" ||
    mv_fail "rollback reason: $(cat "$MV_TMP/show.txt")"
wait_log "update: rolled back $v3: the new app faulted" 10
wait_log 'ota v2: started \(wake COLDBOOT\)' 60
cmp -s "$MV_TMP/id/update/app.so" v2.so || mv_fail "v2 is not the installed app after the rollback"
before=$(ticks_of 2)
wait_log "ota v2: tick $((before + 2))" 30

mv_log "v4 never reaches the network: rolled back to v2 when its trial time ends"
"$cli" apps bundle --key owner.key.pem --version 4.0 "$B/apps/ota_offline.so" -o v4.mvb >/dev/null
v4=$(deploy v4.mvb)
wait_state "rolled back $v4" 90
grep -Eq "^update +rolled back $v4: the new app did not reach the network in time" \
    "$MV_TMP/show.txt" || mv_fail "rollback reason: $(cat "$MV_TMP/show.txt")"
wait_log 'ota v4: started \(wake APPLICATIONUPDATE\)' 10
cmp -s "$MV_TMP/id/update/app.so" v2.so || mv_fail "v2 is not the installed app after the rollback"
before=$(ticks_of 2)
wait_log "ota v2: tick $((before + 2))" 30
echo "ok: host OTA update, refusals and rollback"

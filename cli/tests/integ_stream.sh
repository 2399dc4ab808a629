#!/usr/bin/env bash
# Integration: `mvcli logs stream` on a quiet device. It says the device is offline, keeps
# streaming across a relay restart that happens before any record arrived (it used to exit
# 3), says when it reconnected, and then shows the records the device sends. Then
# `logs get --tail/-n`, the "more records exist" notices and `logs stream --tail`.
set -euo pipefail
. "$(dirname "$0")/../../tests/e2e/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir cli-stream
mv_start_relay "$MV_TMP/data"
cli="$B/mvcli"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")

"$cli" logs stream "$dev" >"$MV_TMP/out" 2>"$MV_TMP/err" &
sp=$!
MV_PIDS+=("$sp")
mv_wait_for "$MV_TMP/err" "device $dev is offline" 10 "$sp" || mv_fail "no offline notice"
sleep 0.5 # the stream is open (no record yet)
mv_stop_pid "$RELAY_PID" || mv_fail "relay exit status"
sleep 0.5
mv_start_relay "$MV_TMP/data"
mv_wait_for "$MV_TMP/err" "log stream reconnected" 20 "$sp" || mv_fail "stream did not reconnect"
timeout 20 "$B/tests/mvtdev" --port "$RELAY_DEV_PORT" --ca "$MV_TMP/data/ca.pem" \
    --identity "$MV_TMP/id" hello:00000000000000e1 logs:00000000000000e1:1:2 >/dev/null ||
    mv_fail "test device could not log"
mv_wait_for "$MV_TMP/out" "msg-2" 10 "$sp" || mv_fail "records not streamed"
kill -0 "$sp" || mv_fail "the stream exited"
mv_stop_pid "$sp" || mv_fail "mvcli logs stream did not exit 0 on SIGTERM"

tdev_logs() {
  timeout 20 "$B/tests/mvtdev" --port "$RELAY_DEV_PORT" --ca "$MV_TMP/data/ca.pem" \
    --identity "$MV_TMP/id" hello:00000000000000e1 "logs:00000000000000e1:$1:$2" >/dev/null ||
    mv_fail "test device could not log"
}
tdev_logs 3 3 # msg-3..msg-5
msgs() { grep -o 'msg-[0-9]*' "$MV_OUT" | tr '\n' ' '; }
mv_expect_rc 0 "$cli" logs get "$dev" --tail 2
[ "$(msgs)" = "msg-4 msg-5 " ] || mv_fail "--tail 2: $(msgs)"
grep -q "older records exist" "$MV_ERR" || mv_fail "--tail: no notice of older records"
mv_expect_rc 0 "$cli" logs get "$dev" -n 5
[ "$(msgs)" = "msg-1 msg-2 msg-3 msg-4 msg-5 " ] || mv_fail "-n 5: $(msgs)"
[ -s "$MV_ERR" ] && mv_fail "-n 5 printed a notice: $(cat "$MV_ERR")"
mv_expect_rc 0 "$cli" logs get "$dev" --limit 2
[ "$(msgs)" = "msg-1 msg-2 " ] || mv_fail "--limit 2: $(msgs)"
grep -q "more records exist: continue with --since seq:00000000000000e1:2" "$MV_ERR" ||
  mv_fail "--limit: no notice: $(cat "$MV_ERR")"
mv_expect_rc 1 "$cli" logs get "$dev" --tail 2 --since seq:00000000000000e1:1

"$cli" logs stream "$dev" --tail 2 >"$MV_TMP/out2" 2>"$MV_TMP/err2" &
sp=$!
MV_PIDS+=("$sp")
mv_wait_for "$MV_TMP/out2" "msg-5" 10 "$sp" || mv_fail "stream --tail printed nothing"
tdev_logs 6 1
mv_wait_for "$MV_TMP/out2" "msg-6" 10 "$sp" || mv_fail "stream --tail did not follow"
got=$(grep -o 'msg-[0-9]*' "$MV_TMP/out2" | tr '\n' ' ')
[ "$got" = "msg-4 msg-5 msg-6 " ] || mv_fail "stream --tail 2: $got"
mv_stop_pid "$sp" || mv_fail "mvcli logs stream --tail did not exit 0"
echo PASS

#!/usr/bin/env bash
# End-to-end HTTP on the host: mvrelay (trusting a local HTTPS server's own CA and
# allowing its address) + mvdevice running device/apps/http_demo. The app's logs, stored
# by the relay, must show: GET with status, a header and the body read by offset; the
# kernel's REQUESTALREADYSENT on a second send and TOOMANYELEMENTS for 33 headers; a
# POST echoed back; and, with the relay restarted during a slow request, the channel
# closed with NETWORKDISCONNECTED (3) reported to the app, which then carries on.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../../cloud/tests/http/lib_http.sh"
trap mv_cleanup EXIT
mv_tmpdir e2e-http
cli="$B/mvcli"
make_target_ca "$MV_TMP/tgt"
start_target "$MV_TMP/tgt"
MV_PIDS+=("$TARGET_PID")
relay_http=(--http-ca-file "$MV_TMP/tgt/ca.pem" --http-allow "localhost:$TPORT")
mv_start_relay "$MV_TMP/data" "${relay_http[@]}"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
"$cli" config set http-demo-url "https://localhost:$TPORT" >/dev/null || mv_fail "config set"
"$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$MV_TMP/id" \
  --app http_demo >"$MV_TMP/device.log" 2>&1 &
dev_pid=$!
MV_PIDS+=("$dev_pid")

logs() { "$cli" logs get "$dev" --limit 1000 2>/dev/null >"$MV_TMP/logs.txt" || true; }
wait_log() {
  for _ in $(seq "$2"); do
    logs
    grep -q -- "$1" "$MV_TMP/logs.txt" && return 0
    kill -0 "$dev_pid" 2>/dev/null || { tail "$MV_TMP/device.log"; mv_fail "mvdevice exited"; }
    sleep 0.5
  done
  cat "$MV_TMP/logs.txt" >&2; mv_fail "timed out waiting for '$1'"
}

mv_log "waiting for the app's GET, POST and the slow request"
wait_log "http_demo: slow request sent" 60
mv_log "restarting the relay during the slow request"
mv_stop_pid "$RELAY_PID" || mv_fail "mvrelay did not exit 0 on SIGTERM"
mv_start_relay "$MV_TMP/data" "${relay_http[@]}"
wait_log "http_demo: done" 40
cat "$MV_TMP/logs.txt"
for want in \
  "http_demo: second send on the channel: status 23" \
  "http_demo: GET /json result=0 status=200 headers=4 body_length=53" \
  "http_demo: header Content-Type: application/json" \
  'http_demo: GET /json body={"device": "mvisor", "temperature": 21.5, "ok": true}' \
  "http_demo: POST /echo result=0 status=200" \
  "http_demo: header X-Echo-X-Demo: http_demo" \
  "http_demo: POST /echo body=hello from http_demo" \
  "http_demo: 33 headers: status 34" \
  "http_demo: slow request: channel closed (reason 3)"; do
  grep -qF -- "$want" "$MV_TMP/logs.txt" || mv_fail "missing log line: $want"
done
grep -q 'reason="channel_closed"' "$RELAY_LOG" "$(dirname "$RELAY_LOG")"/relay.1.log ||
  mv_fail "the relay did not cancel the slow transfer"
echo PASS

# Shared by an505_http.sh and riscv_http.sh (sourced after lib.sh and the board's lib):
# http_demo on the emulated board through the relay's HTTP proxy to a local HTTPS server.
board_setup "$BOARD"-http "$BOARD_KERNEL" app_http_demo.elf
for f in "$B/mvrelay" "$B/mvcli"; do [ -x "$f" ] || mv_fail "missing $f (the host build)"; done
cli="$B/mvcli"
make_target_ca "$MV_TMP/tgt"
start_target "$MV_TMP/tgt"
MV_PIDS+=("$TARGET_PID")
relay_http=(--http-ca-file "$MV_TMP/tgt/ca.pem" --http-allow "localhost:$TPORT")
mv_start_relay "$MV_TMP/data" "${relay_http[@]}"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
"$cli" config set http-demo-url "https://localhost:$TPORT" >/dev/null || mv_fail "config set"
device/port/mps2-an505/mkprov.py "$MV_TMP/id" "wss://localhost:$RELAY_DEV_PORT" \
  "$MV_TMP/prov.bin" || mv_fail "mkprov"
board_start_networked app_http_demo.elf 150 "$MV_TMP/prov.bin"

wait_log() {
  for _ in $(seq "$2"); do
    "$cli" logs get "$dev" --limit 1000 >"$MV_TMP/logs.txt" 2>/dev/null || true
    grep -q -- "$1" "$MV_TMP/logs.txt" && return 0
    board_alive || { board_show; mv_fail "QEMU exited"; }
    sleep 0.5
  done
  board_show; cat "$MV_TMP/logs.txt"; mv_fail "timed out waiting for '$1'"
}
mv_log "waiting for the app's GET, POST and the slow request"
wait_log "http_demo: slow request sent" 180
mv_log "restarting the relay during the slow request"
mv_stop_pid "$RELAY_PID" || mv_fail "mvrelay did not exit 0 on SIGTERM"
sleep 1.5 # as board_relay.sh: down long enough for QEMU's chardev to notice and retry
mv_start_relay "$MV_TMP/data" "${relay_http[@]}"
wait_log "http_demo: done" 120
cat "$MV_TMP/logs.txt"
for want in \
  "http_demo: second send on the channel: status 23" \
  "http_demo: GET /json result=0 status=200 headers=4 body_length=53" \
  "http_demo: header Content-Type: application/json" \
  'http_demo: GET /json body={"device": "mvisor", "temperature": 21.5, "ok": true}' \
  "http_demo: POST /echo result=0 status=200" \
  "http_demo: POST /echo body=hello from http_demo" \
  "http_demo: 33 headers: status 34" \
  "http_demo: slow request: channel closed (reason 3)"; do
  grep -qF -- "$want" "$MV_TMP/logs.txt" || { board_show; mv_fail "missing log line: $want"; }
done
echo PASS

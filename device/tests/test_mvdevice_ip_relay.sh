#!/usr/bin/env bash
# Integration: mvdevice reaches a relay named by an IPv4 address. The relay's certificate
# lists IP:127.0.0.1, so wss://127.0.0.1 must connect (mbedTLS 2.28 alone matches DNS
# names only and refused it); a relay listening on 127.0.0.2, an address its certificate
# does not list, must be refused as a certificate mismatch; and pointed at the relay's API
# port (which never asks for a client certificate) it must say so. Loopback only.
set -euo pipefail
B=${B:-build/host}
. tests/e2e/lib.sh
mv_tmpdir mvk-ip
T=$MV_TMP
trap mv_cleanup EXIT
mv_start_relay "$T/data"
"$B/mvcli" devices provision --out "$T/dev" >/dev/null || mv_fail "provision"
"$B/mvdevice" --relay "wss://127.0.0.1:$RELAY_DEV_PORT" --identity "$T/dev" >"$T/ok.log" 2>&1 &
MV_PIDS+=($!)
mv_wait_for "$RELAY_LOG" 'msg="device session"' 15 || { cat "$T/ok.log"; mv_fail "wss://127.0.0.1 did not connect"; }
echo "ok: wss://127.0.0.1 verified against the certificate's IP SAN"
"$B/mvdevice" --relay "wss://localhost:$RELAY_API_PORT" --identity "$T/dev" >"$T/api.log" 2>&1 &
MV_PIDS+=($!)
mv_wait_for "$T/api.log" "not the relay's device listener \(its API port\?\)" 15 ||
  mv_fail "mvdevice on the API port did not say so"
echo "ok: the API port is named as not the device listener"
mv_stop_pid "$RELAY_PID" || true

# The same relay data dir (same certificate) on 127.0.0.2.
P=$(mv_free_port)
"$B/mvrelay" --data-dir "$T/data" --listen "127.0.0.2:$P" --api-listen "127.0.0.2:$(mv_free_port)" \
  >"$T/relay2.log" 2>&1 &
MV_PIDS+=($!)
mv_wait_for "$T/relay2.log" "mvrelay: ready" 15 || mv_fail "relay on 127.0.0.2"
"$B/mvdevice" --relay "wss://127.0.0.2:$P" --identity "$T/dev" >"$T/bad.log" 2>&1 &
MV_PIDS+=($!)
mv_wait_for "$T/bad.log" "relay connection failed: tls .*(verif|CN|certificate)" 15 ||
  mv_fail "an address missing from the certificate was not refused as a TLS verification failure"
grep -q 'msg="device session"' "$T/relay2.log" && mv_fail "device got a session on 127.0.0.2"
echo "ok: wss://127.0.0.2 refused (not in the certificate)"
mv_stop_pid "$RELAY_PID" 2>/dev/null || true

# An identity from another relay (another data dir, so another CA) is named as such.
unset RELAY_DEV_PORT RELAY_API_PORT
mv_start_relay "$T/other"
"$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$T/dev" >"$T/other.log" 2>&1 &
MV_PIDS+=($!)
mv_wait_for "$T/other.log" "an identity issued by a different relay" 15 ||
  mv_fail "an identity from another relay was not named as such: $(cat "$T/other.log")"
echo "ok: an identity from another relay is named as such"

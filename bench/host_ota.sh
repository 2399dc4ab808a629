#!/usr/bin/env bash
# host_ota: over-the-air update figures on the host port, in one run: the update channel's
# download throughput for a 4 MiB bundle (relay log: offer to "downloaded", so it includes
# the device's staging writes and verification) against the raw TLS throughput of the
# same loopback link (Python ssl client and server moving the same bytes), and the
# deploy-to-running time of a 64 KiB app (deploy until the relay records "applied": the
# download, verification, the app's own 1.5 s wait before mvRestart, the re-exec, TLS
# reconnect and the new app's first network request). Not a test: figures only.
#   host_ota.sh BUILD_DIR
set -euo pipefail
B=$(cd "${1:?usage: host_ota.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/tests/e2e/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir bench-ota
cli="$B/mvcli"
cd "$MV_TMP"
ts_of() { sed -n 's/^ts=\([^ ]*\).*/\1/p' | head -1 | python3 -c 'import sys,datetime; print(datetime.datetime.strptime(sys.stdin.read().strip(), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp())'; }

mv_start_relay "$MV_TMP/data"
"$cli" devices provision --out id >/dev/null
dev=$(cat id/device_id)
"$cli" apps keygen --out owner >/dev/null
cp owner.pub.pem id/update.pub.pem
"$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity id --app ota_v1 >device.log 2>&1 &
MV_PIDS+=("$!")
sleep 3

# 1. Download throughput of a 4 MiB bundle.
cp "$B/apps/ota_v2.so" big.so && truncate -s 4000K big.so
"$cli" apps bundle --key owner.key.pem --version big big.so -o big.mvb >/dev/null
size=$(stat -c %s big.mvb)
app=$("$cli" apps upload big.mvb)
"$cli" devices deploy "$dev" "$app" >/dev/null
mv_wait_for "$RELAY_LOG" "state=\"downloaded\" app=$app" 120 || mv_fail "no download"
t0=$(grep "update offered.*app=$app" "$RELAY_LOG" | ts_of)
t1=$(grep "state=\"downloaded\" app=$app" "$RELAY_LOG" | ts_of)
ota=$(python3 -c "print($size / ($t1 - $t0) / 1e6)")

# 2. The raw link: the same bytes over TLS on loopback, relay certificate, no framing.
raw=$(python3 - "$MV_TMP/data/server.pem" "$MV_TMP/data/server.key" big.mvb <<'PY'
import socket, ssl, sys, threading, time
cert, key, path = sys.argv[1:4]
data = open(path, "rb").read()
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
port = srv.getsockname()[1]
sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); sctx.load_cert_chain(cert, key)
def serve():
    c, _ = srv.accept(); s = sctx.wrap_socket(c, server_side=True)
    s.sendall(data); s.close()
threading.Thread(target=serve, daemon=True).start()
cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); cctx.check_hostname = False
cctx.verify_mode = ssl.CERT_NONE
s = cctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
t = time.time(); got = 0
while got < len(data):
    b = s.recv(65536)
    if not b: break
    got += len(b)
print(len(data) / (time.time() - t) / 1e6)
PY
)

# 3. Deploy-to-running of a 64 KiB app (the big one is applied first and then replaced).
mv_wait_for "$RELAY_LOG" "state=\"applied\" app=$app" 120 || mv_fail "big app not applied"
cp "$B/apps/ota_v1.so" small.so && truncate -s 64K small.so
"$cli" apps bundle --key owner.key.pem --version small small.so -o small.mvb >/dev/null
app2=$("$cli" apps upload small.mvb)
d0=$(python3 -c 'import time; print(time.time())')
"$cli" devices deploy "$dev" "$app2" >/dev/null
mv_wait_for "$RELAY_LOG" "state=\"applied\" app=$app2" 120 || mv_fail "small app not applied"
d1=$(grep "state=\"applied\" app=$app2" "$RELAY_LOG" | ts_of)
python3 - "$size" "$ota" "$raw" "$d0" "$d1" <<'PY'
import sys
size, ota, raw, d0, d1 = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"host_ota: bundle {size} bytes: update channel {ota:.1f} MB/s, raw TLS loopback {raw:.1f} MB/s, ratio {100 * ota / raw:.0f} %")
print(f"host_ota: deploy-to-running, 64 KiB app: {d1 - d0:.2f} s (includes the test app's 1.5 s wait before mvRestart)")
PY

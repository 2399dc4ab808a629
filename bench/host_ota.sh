#!/usr/bin/env bash
# host_ota: over-the-air update figures on the host port, in one run. The update channel's
# download of a 4 MiB bundle, from the relay's log: the transfer (offer to the device's
# "all staged" report, offset = size: TLS, framing, credit and the staging writes), then
# the verification (to "downloaded": hash and signature). Against two anchors moving the same bytes
# over TLS on the same loopback, from a server with the relay's certificate:
#   raw TLS       a Python (OpenSSL) client: what the loopback link carries at all;
#   device TLS    ota_rawtls, an mbedTLS client configured as the device's kernel (same
#                 suites, 4 KiB records): the link as the device's TLS stack can read it.
# ROUNDS rounds (default 5) of anchor, anchor, download; medians are printed. Then the
# deploy-to-running time of a 64 KiB app (deploy until the relay records "applied": the
# download, verification, the app's own 1.5 s wait before mvRestart, the re-exec, TLS
# reconnect and the new app's first network request). Not a test: figures only.
# BENCH_RT=1 (root): the relay, the device and both anchors' processes run at SCHED_FIFO
# priority 10, all alike, so that the other work on a shared machine weighs less on the
# figures (a download is two processes handing data to each other; each anchor a single
# reader behind a server that writes everything at once).
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
RT=()
if [ "${BENCH_RT:-}" = 1 ]; then
    RT=(chrt -f 10)
    chrt -a -f -p 10 "$RELAY_PID" >/dev/null && chrt -a -f -p 10 "$!" >/dev/null
fi
sleep 3

# The anchors' server: every connection gets the whole file, then the server closes.
cat >serve.py <<'PY'
import socket, ssl, sys, threading
cert, key, path, portfile = sys.argv[1:5]
data = open(path, "rb").read()
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(4)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(cert, key)
def serve(c):
    try:
        s = ctx.wrap_socket(c, server_side=True); s.sendall(data); s.close()
    except OSError:
        pass
open(portfile + ".tmp", "w").write(str(srv.getsockname()[1]))
import os; os.rename(portfile + ".tmp", portfile)
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
cat >rawpy.py <<'PY'
import socket, ssl, sys, time
port, total = int(sys.argv[1]), int(sys.argv[2])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
t = time.time(); got = 0
while got < total:
    b = s.recv(65536)
    if not b: break
    got += len(b)
assert got == total, (got, total)
print(total / (time.time() - t) / 1e6)
PY
median() { python3 -c 'import sys, statistics; print(statistics.median(map(float, sys.argv[1:])))' "$@"; }

# 1. Download throughput of 4 MiB bundles, each round against both anchors.
cp "$B/apps/ota_v2.so" big.so && truncate -s 4000K big.so
"$cli" apps bundle --key owner.key.pem --version big0 big.so -o big.mvb >/dev/null
size=$(stat -c %s big.mvb)
"${RT[@]}" python3 serve.py "$MV_TMP/data/server.pem" "$MV_TMP/data/server.key" big.mvb port &
MV_PIDS+=("$!")
for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
aport=$(cat port)
ota=() ver=() all=() raw=() dtls=()
for r in $(seq "${ROUNDS:-5}"); do
    raw+=("$("${RT[@]}" python3 rawpy.py "$aport" "$size")")
    dtls+=("$("${RT[@]}" "$B/bench/ota_rawtls" "$aport" "$size")")
    # A new version each round (same size), so the device downloads every time.
    "$cli" apps bundle --key owner.key.pem --version "big$r" big.so -o big.mvb >/dev/null
    app=$("$cli" apps upload big.mvb)
    "$cli" devices deploy "$dev" "$app" >/dev/null
    mv_wait_for "$RELAY_LOG" "state=\"downloaded\" app=$app" 120 || mv_fail "no download"
    t0=$(grep "update offered.*app=$app" "$RELAY_LOG" | ts_of)
    ts=$(grep "state=\"downloading\" app=$app offset=$size " "$RELAY_LOG" | ts_of)
    t1=$(grep "state=\"downloaded\" app=$app" "$RELAY_LOG" | ts_of)
    ota+=("$(python3 -c "print($size / ($ts - $t0) / 1e6)")")
    ver+=("$(python3 -c "print(($t1 - $ts) * 1e3)")")
    all+=("$(python3 -c "print($size / ($t1 - $t0) / 1e6)")")
    # The app applies it (after its 1.5 s wait) before the next round's offer.
    mv_wait_for "$RELAY_LOG" "state=\"applied\" app=$app" 120 || mv_fail "big app not applied"
done
fmt() { python3 -c 'import sys; print(" ".join("%.1f" % float(x) for x in sys.argv[1:]))' "$@"; }
printf 'host_ota: round %s\n' "transfer MB/s: $(fmt "${ota[@]}")" "raw TLS MB/s: $(fmt "${raw[@]}")" \
    "device TLS MB/s: $(fmt "${dtls[@]}")" "verification ms: $(fmt "${ver[@]}")"
# Ratios per round (anchor and download a second apart), then their median: the machine's
# load changes between rounds more than within one.
r_dtls=() r_raw=() r_all=()
for i in "${!ota[@]}"; do
    r_dtls+=("$(python3 -c "print(100 * ${ota[i]} / ${dtls[i]})")")
    r_raw+=("$(python3 -c "print(100 * ${ota[i]} / ${raw[i]})")")
    r_all+=("$(python3 -c "print(100 * ${all[i]} / ${dtls[i]})")")
done
ota=$(median "${ota[@]}") ver=$(median "${ver[@]}") all=$(median "${all[@]}")
raw=$(median "${raw[@]}") dtls=$(median "${dtls[@]}")
r_dtls=$(median "${r_dtls[@]}") r_raw=$(median "${r_raw[@]}") r_all=$(median "${r_all[@]}")

# 2. Deploy-to-running of a 64 KiB app (replacing the last big one).
cp "$B/apps/ota_v1.so" small.so && truncate -s 64K small.so
"$cli" apps bundle --key owner.key.pem --version small small.so -o small.mvb >/dev/null
app2=$("$cli" apps upload small.mvb)
d0=$(python3 -c 'import time; print(time.time())')
"$cli" devices deploy "$dev" "$app2" >/dev/null
mv_wait_for "$RELAY_LOG" "state=\"applied\" app=$app2" 120 || mv_fail "small app not applied"
d1=$(grep "state=\"applied\" app=$app2" "$RELAY_LOG" | ts_of)
python3 - "$size" "$ota" "$ver" "$all" "$raw" "$dtls" "$r_dtls" "$r_raw" "$r_all" "$d0" "$d1" <<'PY'
import sys
size, ota, ver, total, raw, dtls, r_dtls, r_raw, r_all, d0, d1 = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"host_ota: bundle {size} bytes, medians: transfer {ota:.1f} MB/s (offer to all staged), "
      f"then verification {ver:.0f} ms ({total:.1f} MB/s offer to downloaded)")
print(f"host_ota: anchors: raw TLS loopback {raw:.1f} MB/s, device TLS {dtls:.1f} MB/s")
print(f"host_ota: ratios (median of rounds): transfer / device TLS {r_dtls:.0f} %, "
      f"transfer / raw TLS {r_raw:.0f} %, with verification / device TLS {r_all:.0f} %")
print(f"host_ota: deploy-to-running, 64 KiB app: {d1 - d0:.2f} s (includes the test app's 1.5 s wait before mvRestart)")
PY

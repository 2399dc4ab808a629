#!/usr/bin/env bash
# an505_ota: update download throughput on the mps2-an505 kernel image over its UART link,
# against the raw rate of the same link measured in the same run. Not a test: figures only.
#
# The board (QEMU in real time, as tests/e2e/an505_ota.sh runs it) reaches the relay over
# UART1, which QEMU bridges to a TCP socket. (1) A bundle of BUNDLE_KIB (default 256) KiB
# is deployed with no rate limit; from the relay's log: the transfer (offer to the device's "all staged" report,
# offset = size) and the verification (to "downloaded"). (2) The relay is stopped and a
# plain TCP server takes its port: QEMU's link reconnects to it and it pushes RAW_KIB
# (default 512) KiB of zeros with a small send buffer. The board drains them with its UART
# receive interrupt whatever the kernel above does, so the steady rate at which they leave
# (after the first 256 KiB, which only fill the socket buffers) is the link's raw rate: the
# same QEMU serial path with nothing above the interrupt handler.
#   an505_ota.sh IMAGE_DIR HOST_BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
img=$(cd "${1:?usage: an505_ota.sh IMAGE_DIR HOST_BUILD_DIR}" && pwd)
B=$(cd "${2:?usage: an505_ota.sh IMAGE_DIR HOST_BUILD_DIR}" && pwd)
cd "$root"
. tests/e2e/lib.sh
. tests/e2e/an505_lib.sh
AN505_IMG=$img
an505_setup bench-an505-ota s_kernel.elf app_ota_v1.elf app_ota_v2.bin
cli="$B/mvcli"
ts_of() { sed -n 's/^ts=\([^ ]*\).*/\1/p' | head -1 | python3 -c 'import sys,datetime; print(datetime.datetime.strptime(sys.stdin.read().strip(), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp())'; }
fail() { an505_show; mv_fail "$*"; }

mv_start_relay "$MV_TMP/data"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null
dev=$(cat "$MV_TMP/id/device_id")
(cd "$MV_TMP" && "$cli" apps keygen --out owner >/dev/null)
cp "$MV_TMP/owner.pub.pem" "$MV_TMP/id/update.pub.pem"
device/port/mps2-an505/mkprov.py "$MV_TMP/id" "wss://localhost:$RELAY_DEV_PORT" \
  "$MV_TMP/prov.bin"
an505_start_networked app_ota_v1.elf 300 "$MV_TMP/prov.bin"
mv_wait_for "$RELAY_LOG" "update state.*device=$dev" 90 "$AN505_QPID" || fail "the board did not come up"

# 1. The download (zeros past v2's image are harmless in the slot).
cp "$img/app_ota_v2.bin" "$MV_TMP/v2.bin"
truncate -s "${BUNDLE_KIB:-256}K" "$MV_TMP/v2.bin"
"$cli" apps bundle --key "$MV_TMP/owner.key.pem" --version 2.0 --port an505 "$MV_TMP/v2.bin" \
  -o "$MV_TMP/v2.mvb" >/dev/null
size=$(stat -c %s "$MV_TMP/v2.mvb")
app=$("$cli" apps upload "$MV_TMP/v2.mvb")
"$cli" devices deploy "$dev" "$app" >/dev/null
mv_wait_for "$RELAY_LOG" "state=\"downloaded\" app=$app" 180 "$AN505_QPID" || fail "no download"
t0=$(grep "update offered.*app=$app" "$RELAY_LOG" | ts_of)
ts=$(grep "state=\"downloading\" app=$app offset=$size " "$RELAY_LOG" | ts_of)
t1=$(grep "state=\"downloaded\" app=$app" "$RELAY_LOG" | ts_of)
restarts=$(grep -c "update offered.*app=$app" "$RELAY_LOG" || true)

# 2. The raw link: the relay's port taken over by a plain pusher.
mv_stop_pid "$RELAY_PID" || true
python3 - "$RELAY_DEV_PORT" "$(( ${RAW_KIB:-512} * 1024 ))" >"$MV_TMP/raw.txt" <<'PY' &
import socket, sys, time
port, total = int(sys.argv[1]), int(sys.argv[2])
skip, piece = 256 * 1024, 4096
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port)); srv.listen(1)
c, _ = srv.accept()
c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
buf, sent, t_skip = bytes(piece), 0, None
while sent < total:
    c.sendall(buf)
    sent += piece
    if t_skip is None and sent >= skip:
        t_skip = time.time()
print((sent - skip) / (time.time() - t_skip))
PY
PUSH_PID=$!
MV_PIDS+=("$PUSH_PID")
for _ in $(seq 1200); do kill -0 "$PUSH_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PUSH_PID" 2>/dev/null && fail "the raw transfer did not finish in 120 s"
wait "$PUSH_PID" || fail "the raw pusher failed"
raw=$(cat "$MV_TMP/raw.txt")

python3 - "$size" "$t0" "$ts" "$t1" "$raw" "$restarts" <<'PY'
import sys
size, t0, ts, t1, raw = int(sys.argv[1]), *map(float, sys.argv[2:6])
restarts = int(sys.argv[6])
ota = size / (ts - t0)
print(f"an505_ota: bundle {size} bytes over UART1: transfer {ota / 1e3:.1f} kB/s "
      f"({ts - t0:.2f} s, offer to all staged), verification {1e3 * (t1 - ts):.0f} ms "
      f"({size / (t1 - t0) / 1e3:.1f} kB/s offer to downloaded)" +
      ("" if restarts == 1 else f" [offered {restarts} times: the link broke]"))
print(f"an505_ota: raw UART link (same run, interrupt handler only): {raw / 1e3:.1f} kB/s")
print(f"an505_ota: transfer / raw link {100 * ota / raw:.0f} %, "
      f"with verification {100 * size / (t1 - t0) / raw:.0f} %")
PY

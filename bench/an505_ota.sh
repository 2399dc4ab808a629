#!/usr/bin/env bash
# an505_ota: update download throughput on the mps2-an505 kernel image over its UART link,
# against the raw rate of the same link measured in the same run. Not a test: figures only.
#
# The board (QEMU in real time, as tests/e2e/an505_ota.sh runs it) reaches the relay over
# UART1, which QEMU bridges to a TCP socket. ROUNDS (default 2) rounds of: (1) a bundle of
# BUNDLE_KIB (default 256) KiB is deployed with no rate limit; from the relay's log: the
# transfer (offer to the device's "all staged" report, offset = size) and the verification
# (to "downloaded"); the app applies it and comes up. (2) The relay is stopped and a plain
# TCP server takes its port: QEMU's link reconnects to it and it pushes RAW_KIB (default
# 512) KiB of zeros with a small send buffer. The board drains them with its UART receive
# interrupt whatever the kernel above does, so the steady rate at which they leave (after
# the first 256 KiB, which only fill the socket buffers) is the link's raw rate: the same
# QEMU serial path with nothing above the interrupt handler. Then the relay comes back
# for the next round. Ratios are per round (the host's load moves both), then the median.
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
an505_start_networked app_ota_v1.elf 600 "$MV_TMP/prov.bin"
mv_wait_for "$RELAY_LOG" "update state.*device=$dev" 90 "$AN505_QPID" || fail "the board did not come up"

# The pusher of the raw phase (below).
cat >"$MV_TMP/push.py" <<'PY'
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

# Zeros past v2's image are harmless in the slot.
cp "$img/app_ota_v2.bin" "$MV_TMP/v2.bin"
truncate -s "${BUNDLE_KIB:-256}K" "$MV_TMP/v2.bin"
ota=() ver=() all=() raw=() broke=0
for r in $(seq "${ROUNDS:-2}"); do
    if [ "$r" -gt 1 ]; then
        sleep 1.5 # QEMU's link reconnects to the same port (as in an505_relay.sh)
        mv_start_relay "$MV_TMP/data"
        mv_wait_for "$RELAY_LOG" "update state.*device=$dev" 90 "$AN505_QPID" ||
            fail "round $r: the board did not reconnect"
    fi
    # 1. A download (a new version each round), then the app applies it and comes up.
    "$cli" apps bundle --key "$MV_TMP/owner.key.pem" --version "2.$r" --port an505 \
        "$MV_TMP/v2.bin" -o "$MV_TMP/v2.mvb" >/dev/null
    size=$(stat -c %s "$MV_TMP/v2.mvb")
    app=$("$cli" apps upload "$MV_TMP/v2.mvb")
    "$cli" devices deploy "$dev" "$app" >/dev/null
    mv_wait_for "$RELAY_LOG" "state=\"downloaded\" app=$app" 180 "$AN505_QPID" || fail "no download"
    t0=$(grep "update offered.*app=$app" "$RELAY_LOG" | ts_of)
    ts=$(grep "state=\"downloading\" app=$app offset=$size " "$RELAY_LOG" | ts_of)
    t1=$(grep "state=\"downloaded\" app=$app" "$RELAY_LOG" | ts_of)
    [ "$(grep -c "update offered.*app=$app" "$RELAY_LOG")" -eq 1 ] || broke=1
    ota+=("$(python3 -c "print($size / ($ts - $t0))")")
    ver+=("$(python3 -c "print(1e3 * ($t1 - $ts))")")
    all+=("$(python3 -c "print($size / ($t1 - $t0))")")
    mv_wait_for "$RELAY_LOG" "state=\"applied\" app=$app" 120 "$AN505_QPID" || fail "not applied"
    # 2. The raw link: the relay's port taken over by the pusher.
    mv_stop_pid "$RELAY_PID" || true
    python3 "$MV_TMP/push.py" "$RELAY_DEV_PORT" "$(( ${RAW_KIB:-512} * 1024 ))" >"$MV_TMP/raw.txt" &
    PUSH_PID=$!
    MV_PIDS+=("$PUSH_PID")
    for _ in $(seq 1200); do kill -0 "$PUSH_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$PUSH_PID" 2>/dev/null && fail "the raw transfer did not finish in 120 s"
    wait "$PUSH_PID" || fail "the raw pusher failed"
    raw+=("$(cat "$MV_TMP/raw.txt")")
done

python3 - "$size" "$broke" "${ota[*]}" "${ver[*]}" "${all[*]}" "${raw[*]}" <<'PY'
import statistics, sys
size, broke = int(sys.argv[1]), int(sys.argv[2])
ota, ver, total, raw = ([float(x) for x in a.split()] for a in sys.argv[3:7])
med = statistics.median
ratio = [100 * o / r for o, r in zip(ota, raw)]
ratio_all = [100 * t / r for t, r in zip(total, raw)]
print("an505_ota: rounds: transfer kB/s " + " ".join(f"{o / 1e3:.1f}" for o in ota) +
      "; raw link kB/s " + " ".join(f"{r / 1e3:.1f}" for r in raw) +
      "; verification ms " + " ".join(f"{v:.0f}" for v in ver))
print(f"an505_ota: bundle {size} bytes over UART1, medians: transfer {med(ota) / 1e3:.1f} kB/s "
      f"(offer to all staged), verification {med(ver):.0f} ms "
      f"({med(total) / 1e3:.1f} kB/s offer to downloaded)" +
      (" [a download was offered again: the link broke]" if broke else ""))
print(f"an505_ota: raw UART link (interrupt handler only): {med(raw) / 1e3:.1f} kB/s")
print(f"an505_ota: ratios (median of rounds): transfer / raw link {med(ratio):.0f} %, "
      f"with verification {med(ratio_all):.0f} %")
PY

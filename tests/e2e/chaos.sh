#!/usr/bin/env bash
# A standing chaos check: a host device (mvdevice, demo app) and a protocol driver (mvtdev,
# batches of 8) log while the relay is SIGKILLed 10 times at random moments and another
# process holds the database's write lock twice. At the end, per boot: no duplicate seq,
# every missing seq covered by a GAP record, and no record the relay acknowledged missing.
# Bounded: ~40 s. Prints the counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir chaos
cli="$B/mvcli"
dd="$MV_TMP/data"
KILLS=${CHAOS_KILLS:-10}
mv_start_relay "$dd"
"$cli" devices provision --out "$MV_TMP/dev" >/dev/null || mv_fail "provision device"
"$cli" devices provision --out "$MV_TMP/drv" >/dev/null || mv_fail "provision driver"
"$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$MV_TMP/dev" --app demo \
    >"$MV_TMP/device.log" 2>&1 &
dev_pid=$!
MV_PIDS+=("$dev_pid")

# The driver: one connection per round, HELLO then 4 batches of 8 sent back to back (as a
# device with a LOG window does) from the next unacknowledged seq; every LOG_ACK goes to
# acks.txt. A WELCOME whose acked seq is below an ack seen
# earlier means the relay lost acknowledged records.
BOOT=00000000000c4a05
driver() {
    local next=1 out acked hi=0
    while [ ! -e "$MV_TMP/stop" ] || [ "$hi" -lt "$(cat "$MV_TMP/stop")" ]; do
        out=$(timeout 10 "$B/tests/mvtdev" --port "$RELAY_DEV_PORT" --ca "$dd/ca.pem" \
            --identity "$MV_TMP/drv" hello:$BOOT burst:$BOOT:$next:8:4 2>/dev/null || true)
        acked=$(sed -n 's/^WELCOME version=1 acked=\([0-9]*\) .*/\1/p' <<<"$out")
        if [ -n "$acked" ] && [ "$acked" -lt "$hi" ]; then
            echo "LOSS: WELCOME acked=$acked after LOG_ACK $hi" >>"$MV_TMP/driver.err"
        fi
        while read -r a; do
            echo "$a" >>"$MV_TMP/acks.txt"
            [ "$a" -gt "$hi" ] && hi=$a
        done < <(sed -n 's/^LOG_ACK boot=[0-9a-f]* seq=\([0-9]*\)$/\1/p' <<<"$out")
        next=$((hi + 1))
        sleep 0.05
    done
}
driver &
drv_pid=$!
MV_PIDS+=("$drv_pid")

hold_lock() {
    python3 - "$dd/relay.db" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
time.sleep(5)
c.execute("ROLLBACK")
PY
}

locks=0
for k in $(seq "$KILLS"); do
    sleep "$(python3 -c 'import random; print(round(random.uniform(0.4, 2.5), 2))')"
    kill -KILL "$RELAY_PID"
    wait "$RELAY_PID" 2>/dev/null || true
    sleep "$(python3 -c 'import random; print(round(random.uniform(0.0, 1.0), 2))')"
    mv_start_relay "$dd"
    if [ "$k" = 3 ] || [ "$k" = 7 ]; then hold_lock; locks=$((locks + 1)); fi
done

# Quiet period: the driver finishes 64 more records, the device flushes its buffer.
sleep 3
hi=$(sort -n "$MV_TMP/acks.txt" | tail -n 1)
echo $((hi + 64)) >"$MV_TMP/stop"
for _ in $(seq 300); do kill -0 "$drv_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$drv_pid" 2>/dev/null && mv_fail "driver did not finish after the chaos"
sleep 3
kill -0 "$dev_pid" || { tail -n 30 "$MV_TMP/device.log"; mv_fail "mvdevice exited"; }
[ ! -s "$MV_TMP/driver.err" ] || mv_fail "$(cat "$MV_TMP/driver.err")"

"$cli" --json logs get "$(cat "$MV_TMP/drv/device_id")" --limit 100000 >"$MV_TMP/drv.json" ||
    mv_fail "logs get (driver)"
"$cli" --json logs get "$(cat "$MV_TMP/dev/device_id")" --limit 100000 >"$MV_TMP/dev.json" ||
    mv_fail "logs get (device)"
python3 - "$MV_TMP/drv.json" "$MV_TMP/dev.json" "$MV_TMP/acks.txt" "$KILLS" "$locks" <<'PY' ||
import json, sys
from collections import defaultdict
drv, dev = (json.load(open(f))["logs"] for f in sys.argv[1:3])
acks = [int(x) for x in open(sys.argv[3])]
def check(name, logs):
    boots = defaultdict(list)
    for r in logs:
        boots[r["boot_id"]].append(r)
    gaps = 0
    for boot, rs in boots.items():
        seqs = [r["seq"] for r in rs]
        assert len(seqs) == len(set(seqs)), "%s boot %s: duplicate seqs" % (name, boot)
        have = set(seqs)
        missing = [s for s in range(1, max(seqs) + 1) if s not in have]
        dropped = sum(r.get("dropped") or 0 for r in rs if r.get("kind") == "gap")
        gaps += sum(1 for r in rs if r.get("kind") == "gap")
        assert len(missing) <= dropped, "%s boot %s: %d missing seqs, GAPs cover %d" % (
            name, boot, len(missing), dropped)
    return boots, gaps
b, _ = check("driver", drv)
seqs = {r["seq"] for rs in b.values() for r in rs}
lost = [a for a in range(1, max(acks) + 1) if a not in seqs]
assert not lost, "acknowledged but not stored: %s" % lost[:10]
assert seqs == set(range(1, max(seqs) + 1)), "driver seqs not contiguous"
db, gaps = check("device", dev)
assert sum(len(v) for v in db.values()) >= 10, "device stored too little"
print("chaos: %s relay kills, %s lock holds; driver %d records stored (%d acks, none lost); "
      "device %d records over %d boot(s), %d GAP records" % (sys.argv[4], sys.argv[5],
      len(seqs), len(acks), sum(len(v) for v in db.values()), len(db), gaps))
PY
    mv_fail "log accounting after the chaos"
mv_stop_pid "$dev_pid" || true

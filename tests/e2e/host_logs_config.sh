#!/usr/bin/env bash
# End-to-end on the host: mvrelay + mvdevice (demo app) + mvcli. Checks that a
# config value uploaded with mvcli is fetched by the device (it shows up in the
# device's logs), that the secret is never logged in clear, and that after the
# relay is restarted (the device's connection is killed and re-established)
# `mvcli logs get` has every record once, in order, and the live stream that ran
# throughout showed the same records without loss or duplicates.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir e2e-host
cli="$B/mvcli"
dd="$MV_TMP/data"
start=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)
greeting="e2e-greeting-$RANDOM$RANDOM"
secret="e2e-secret-$RANDOM$RANDOM"

mv_start_relay "$dd"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
"$cli" config set demo-greeting "$greeting" >/dev/null || mv_fail "config set"
printf '%s' "$secret" | "$cli" secret set demo-secret - >/dev/null || mv_fail "secret set"

"$cli" --json logs stream "$dev" --since "$start" >"$MV_TMP/stream.jsonl" 2>"$MV_TMP/stream.err" &
stream_pid=$!
MV_PIDS+=("$stream_pid")
"$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$MV_TMP/id" --app demo \
    >"$MV_TMP/device.log" 2>&1 &
dev_pid=$!
MV_PIDS+=("$dev_pid")

# logs_json FILE: every stored record of the device, oldest first.
logs_json() {
    "$cli" --json logs get "$dev" --limit 100000 >"$1" || mv_fail "logs get"
}
count_msgs() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["logs"]))' "$1"; }

# wait_logs PATTERN MIN SECONDS: until a message matches PATTERN and there are MIN records.
wait_logs() {
    for _ in $(seq "$3"); do
        logs_json "$MV_TMP/logs.json"
        if grep -q -- "$1" "$MV_TMP/logs.json" && [ "$(count_msgs "$MV_TMP/logs.json")" -ge "$2" ]; then
            return 0
        fi
        kill -0 "$dev_pid" 2>/dev/null || { tail -n 30 "$MV_TMP/device.log"; mv_fail "mvdevice exited"; }
        sleep 1
    done
    tail -n 30 "$MV_TMP/device.log" >&2
    cat "$MV_TMP/logs.json" >&2
    mv_fail "timed out waiting for '$1' and $2 records"
}

mv_log "waiting for the fetched config value in the device's logs"
wait_logs "$greeting" 3 40
before=$(count_msgs "$MV_TMP/logs.json")

mv_log "restarting the relay (the device and the stream must reconnect)"
mv_stop_pid "$RELAY_PID" || mv_fail "mvrelay did not exit 0 on SIGTERM"
sleep 1
mv_start_relay "$dd"
wait_logs "$greeting" $((before + 4)) 60

mv_log "checking order, completeness and uniqueness"
grep -q "reconnecting" "$MV_TMP/stream.err" || mv_fail "the stream never lost its connection?"
# Paging by cursor: two pages of 3 are the first 6 records.
"$cli" --json logs get "$dev" --limit 3 >"$MV_TMP/p1.json" || mv_fail "logs get page 1"
cur=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["meta"]["next_cursor"])' "$MV_TMP/p1.json")
"$cli" --json logs get "$dev" --limit 3 --since "$cur" >"$MV_TMP/p2.json" || mv_fail "logs get page 2"
"$cli" --json logs get "$dev" --limit 6 >"$MV_TMP/p12.json" || mv_fail "logs get 6"
python3 - "$MV_TMP/p1.json" "$MV_TMP/p2.json" "$MV_TMP/p12.json" <<'PY' || mv_fail "paging check"
import json, sys
p1, p2, p12 = (json.load(open(f))["logs"] for f in sys.argv[1:4])
c = lambda l: [r["cursor"] for r in l]
assert len(p1) == 3 and len(p2) == 3 and c(p1) + c(p2) == c(p12), (c(p1), c(p2), c(p12))
PY
kill -0 "$stream_pid" || mv_fail "the stream exited"
# Stop the device so the stored log is final, then wait (bounded) until the live stream has
# shown every stored record: it must then be exactly the stored sequence.
mv_stop_pid "$dev_pid" || mv_fail "mvdevice did not exit 0 on SIGTERM"
logs_json "$MV_TMP/final.json"
stored=$(count_msgs "$MV_TMP/final.json")
for _ in $(seq 100); do
    [ "$(grep -c . "$MV_TMP/stream.jsonl")" -ge "$stored" ] && break
    sleep 0.1
done
mv_stop_pid "$stream_pid" || mv_fail "mvcli logs stream did not exit 0 on SIGTERM"
python3 - "$MV_TMP/final.json" "$MV_TMP/stream.jsonl" "$secret" <<'PY' || mv_fail "log check"
import json, sys
final = json.load(open(sys.argv[1]))["logs"]
stream = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
secret = sys.argv[3]

def check_seq(recs, what):
    by_boot = {}
    for r in recs:
        by_boot.setdefault(r["boot_id"], []).append(r["seq"])
    for boot, seqs in by_boot.items():
        # Strictly increasing by one from 1: none missing, none duplicated.
        assert seqs == list(range(1, len(seqs) + 1)), f"{what}: boot {boot}: seqs {seqs}"

check_seq(final, "logs get")
cursors = [r["cursor"] for r in final]
assert len(set(cursors)) == len(cursors), "logs get: duplicate cursors"
assert not any(r.get("message") and secret in r["message"] for r in final), "secret logged in clear"
# The demo app counts once a second from 0 in each boot: the counters must be consecutive.
import re
by_boot = {}
for r in final:
    m = re.search(r"counter (\d+)", r.get("message") or "")
    if m:
        by_boot.setdefault(r["boot_id"], []).append(int(m.group(1)))
assert by_boot, "no counter records"
for boot, ns in by_boot.items():
    assert ns == list(range(ns[0], ns[0] + len(ns))), f"boot {boot}: counters {ns}"
s_cursors = [r["cursor"] for r in stream]
assert len(stream) >= 4, f"stream showed only {len(stream)} records"
assert len(set(s_cursors)) == len(s_cursors), "stream: duplicate records"
assert s_cursors == cursors, \
    f"stream is not the stored sequence: stream {s_cursors} vs stored {cursors}"
print(f"ok: {len(final)} stored, {len(stream)} streamed")
PY
echo PASS

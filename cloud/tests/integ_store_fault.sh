#!/usr/bin/env bash
# A LOG batch whose transaction fails (database write lock held by another process, file
# size limit reached) is never acknowledged, not even by a later batch's cumulative ack:
# the relay ends the session with GOAWAY and stores nothing more from it; after recovery
# the device's resend stores every record exactly once. The relay survives SIGXFSZ.
. "$(dirname "$0")/lib.sh"
start_relay "$T/data"
provision "$T/dev"
provision "$T/dev2"
ID=$(cat "$T/dev/device_id")
BOOT=00000000000000f1
count() { api GET "/v1/Devices/$ID/Logs?limit=1000" | jq '[.logs[] | select(.boot_id == "'$BOOT'")] | length'; }

# 1. Another process holds the write lock (longer than the relay's busy timeout) until
# the test creates $T/release.
python3 - "$DATA/relay.db" "$T/locked" "$T/release" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
for _ in range(300):
    if os.path.exists(sys.argv[3]):
        break
    time.sleep(0.05)
c.execute("ROLLBACK")
PY
LOCKER=$!; PIDS+=("$LOCKER")
for _ in $(seq 100); do [ -e "$T/locked" ] && break; sleep 0.05; done
out=$(timeout 20 "$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" --identity "$T/dev" \
  hello:$BOOT logs:$BOOT:1:5 logs:$BOOT:6:5 2>&1 || true)
health=$(curl -sk -w ' %{http_code}' "$API/healthz")
# The loop does not wait for the lock: another device's HELLO (whose last_seen write
# waits in the store's writer thread) and PING are answered at once, well within the
# writer's 1 s lock wait.
t0=$(date +%s%N)
out2=$(tdev "$T/dev2" hello:00000000000000f2 ping)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_line "$out2" "PONG chan=0 len=8"
[ "$ms" -lt 1500 ] || fail "a locked database stalled another device for $ms ms"
touch "$T/release"
wait "$LOCKER"
grep -q "^GOAWAY retry=" <<<"$out" || fail "no GOAWAY after a failed batch: $out"
! grep -q "^LOG_ACK" <<<"$out" || fail "a batch was acknowledged while the store failed: $out"
grep -q 'log batch not stored, ending session' "$T/relay.log" || fail "no log line"
[ "$(count)" = 0 ] || fail "records stored from a session that had a failed batch: $(count)"
out=$(tdev "$T/dev" hello:$BOOT logs:$BOOT:1:10)
expect_line "$out" "WELCOME version=1 acked=none window=65536 ping=30"
expect_line "$out" "LOG_ACK boot=$BOOT seq=10"
[ "$(count)" = 10 ] || fail "after recovery: $(count) records, want 10"
[[ "$health" == *'"status":"degraded"'*' 503' ]] || fail "healthz while failing: $health"
health=$(curl -sk -w ' %{http_code}' "$API/healthz")
[[ "$health" == *'"status":"ok"'*' 200' ]] || fail "healthz after recovery: $health"
ok "held write lock: no ack, GOAWAY, healthz degraded, resend stores all 10 once"

# 2. A file-size limit: writes fail with EFBIG; the relay must not die of SIGXFSZ.
prlimit --pid "$RELAY_PID" --fsize=1:unlimited
out=$(timeout 20 "$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" --identity "$T/dev" \
  hello:$BOOT logs:$BOOT:11:5 2>&1 || true)
kill -0 "$RELAY_PID" || fail "relay died at the file-size limit"
grep -q "^GOAWAY retry=" <<<"$out" || fail "no GOAWAY at the file-size limit: $out"
! grep -q "^LOG_ACK" <<<"$out" || fail "acknowledged at the file-size limit: $out"
prlimit --pid "$RELAY_PID" --fsize=unlimited:unlimited
out=$(tdev "$T/dev" hello:$BOOT logs:$BOOT:11:5)
expect_line "$out" "WELCOME version=1 acked=10 window=65536 ping=30"
expect_line "$out" "LOG_ACK boot=$BOOT seq=15"
[ "$(count)" = 15 ] || fail "after the limit was lifted: $(count) records, want 15"
# Captured first: under pipefail, `curl | grep -q` fails when grep exits before curl
# has written the whole body (curl gets EPIPE).
m=$(curl -sk "$API/metrics" -H "Authorization: Bearer $TOKEN")
grep -q '^mvrelay_log_batches_failed_total [1-9]' <<<"$m" || fail "failed batches not counted in /metrics"
ok "file-size limit: relay survives, no ack, resend stores all 15 once"
stop_relay

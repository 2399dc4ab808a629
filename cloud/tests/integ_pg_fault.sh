#!/usr/bin/env bash
# PostgreSQL failing under a relay: down at start (a clear error, exit 1); stopped while a
# device is connected (its next LOG batch gets no LOG_ACK, the session ends with GOAWAY,
# /healthz says degraded, the relay stays up); back again (the relay reconnects by itself,
# WELCOME reports the last acknowledged seq, the resend stores every record exactly once).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"

pg_start
pg_stop
mkdir -p "$T/down"
if timeout 30 "$RELAY" --data-dir "$T/down" --store "$PG_URL" --listen 127.0.0.1:"$(free_port)" \
  --api-listen 127.0.0.1:"$(free_port)" >"$T/down.log" 2>&1; then fail "relay started without its database"; fi
grep -q "cannot connect to PostgreSQL" "$T/down.log" || fail "unclear error: $(cat "$T/down.log")"
ok "database down at start: exit 1, cannot connect to PostgreSQL"

pg_run
RELAY_EXTRA="--store $PG_URL" start_relay "$T/data"
provision "$T/dev"
ID=$(cat "$T/dev/device_id")
BOOT=00000000000000f7
# One connection: 3 records acknowledged, then (database stopped meanwhile) 3 more.
tdev "$T/dev" hello:$BOOT logs:$BOOT:1:3 waitfile:"$T/stopped" logs:$BOOT:4:3 \
  >"$T/out1.txt" 2>&1 &
DEV=$!
for _ in $(seq 100); do grep -q "LOG_ACK boot=$BOOT seq=3" "$T/out1.txt" && break; sleep 0.1; done
grep -q "LOG_ACK boot=$BOOT seq=3" "$T/out1.txt" || fail "first batch: $(cat "$T/out1.txt")"
pg_stop
touch "$T/stopped"
wait "$DEV" || true
out=$(cat "$T/out1.txt")
grep -q "^GOAWAY retry=" <<<"$out" || fail "no GOAWAY with the database down: $out"
grep -q "LOG_ACK boot=$BOOT seq=6" <<<"$out" && fail "acknowledged a batch it could not store"
curl -sS --max-time 10 --cacert "$DATA/ca.pem" "$API/healthz" -o "$T/h.json" -w '%{http_code}' \
  >"$T/h.code" || true
[ "$(cat "$T/h.code")" = 503 ] && grep -q degraded "$T/h.json" || fail "healthz: $(cat "$T/h.json")"
kill -0 "$RELAY_PID" || fail "relay exited with its database down"
ok "database lost mid-run: no LOG_ACK, GOAWAY, healthz degraded, relay up"

# The fleet event connection is reopened with a back-off (1, 2, 4 ... s), not every
# second: each attempt holds a store reader that REST and admissions need as well.
sleep 4
waits=$(sed -n 's/.*msg="fleet events unavailable" retry_s=\([0-9]*\).*/\1/p' "$T/relay.log" | tr '\n' ' ')
[[ "$waits" == "1 2 "* ]] || fail "event connection retries without back-off: '$waits'"
[ "$(wc -w <<<"$waits")" -le 3 ] || fail "too many event connection retries in 4 s: '$waits'"
ok "event connection retried with back-off: $waits"

pg_run
out=$(tdev "$T/dev" hello:$BOOT logs:$BOOT:4:3)
expect_line "$out" "WELCOME version=1 acked=3 window=65536 ping=30"
expect_line "$out" "LOG_ACK boot=$BOOT seq=6"
seqs=$(api GET "/v1/Devices/$ID/Logs" | jq -r '[.logs[].seq] | join(",")')
[ "$seqs" = "1,2,3,4,5,6" ] || fail "stored seqs after recovery: $seqs"
ok "database back: the relay reconnects, the resend stores 1..6 once each"
stop_relay
pg_stop

#!/usr/bin/env bash
# The loop never waits for the SQLite database either: while another process holds the
# database's write lock (python3 sqlite3, BEGIN IMMEDIATE, HOLD_S seconds), REST admin
# writes (config POSTs) and an update-channel STATUS (its report and update event) wait
# for the lock on the store's reader threads, so connected devices' PINGs and /healthz
# are still answered at once; the writes fail after the readers' busy timeout and work
# again once the lock is gone. With those store calls on the loop, each would hold every
# device for its busy wait.
. "$(dirname "$0")/lib.sh"

HOLD_S=4
WRITES=6
start_relay "$T/data"
provision "$T/dev"
provision "$T/dev4"
ID4=$(cat "$T/dev4/device_id")
UPD_APP=AP0123456789abcdef0123456789abcdef

tdev "$T/dev" hello:00000000000000b1 waitfile:"$T/go" ping ping ping >"$T/dev.txt" 2>&1 &
DEV=$!
# Device 4 opens its update channel (type 0x100), reports a failed update while the lock
# is held, then PINGs.
tdev "$T/dev4" hello:00000000000000b4 open:1:256:65536 waitfile:"$T/status" \
  upd:1:4:$UPD_APP waitfile:"$T/go" ping >"$T/dev4.txt" 2>&1 &
DEV4=$!
for _ in $(seq 100); do grep -q "^WELCOME" "$T/dev.txt" && grep -q "^OPEN_OK" "$T/dev4.txt" && break; sleep 0.1; done
grep -q "^WELCOME" "$T/dev.txt" || fail "device: $(cat "$T/dev.txt")"
grep -q "^OPEN_OK" "$T/dev4.txt" || fail "update channel: $(cat "$T/dev4.txt")"

python3 - "$DATA/relay.db" "$T/locked" "$HOLD_S" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
c.execute("ROLLBACK")
PY
LOCKER=$!; PIDS+=("$LOCKER")
for _ in $(seq 100); do [ -e "$T/locked" ] && break; sleep 0.05; done
[ -e "$T/locked" ] || fail "the locker did not take the lock"
t_lock=$(date +%s%N)

# Admin writes and the STATUS now wait for the lock.
WPIDS=()
for i in $(seq "$WRITES"); do
  curl -sS --max-time 30 --cacert "$DATA/ca.pem" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' --data-binary "{\"key\":\"w$i\",\"value\":\"v\"}" \
    -o /dev/null -w '%{http_code}' "$API/v1/Configs" >"$T/w$i.code" 2>&1 &
  WPIDS+=("$!")
done
touch "$T/status"
sleep 0.3

t0=$(date +%s%N)
touch "$T/go"
wait "$DEV" || fail "device: $(cat "$T/dev.txt")"
t1=$(date +%s%N)
wait "$DEV4" || fail "device 4: $(cat "$T/dev4.txt")"
t4=$(date +%s%N)
[ "$(grep -c "^PONG" "$T/dev.txt")" = 3 ] || fail "PONGs while the database was locked: $(cat "$T/dev.txt")"
grep -q "^PONG" "$T/dev4.txt" || fail "no PONG behind the STATUS: $(cat "$T/dev4.txt")"
ping_ms=$(( (t1 - t0) / 1000000 ))
ping4_ms=$(( (t4 - t0) / 1000000 ))
# Each device waits up to 50 ms for the file, then exchanges its PINGs.
[ "$ping_ms" -lt 300 ] ||
  fail "3 PINGs took ${ping_ms} ms while $WRITES config writes and a STATUS waited for the SQLite lock"
[ "$ping4_ms" -lt 300 ] || fail "PONG behind an update STATUS took ${ping4_ms} ms"
th0=$(date +%s%N)
code=$(curl -sS --max-time 2 --cacert "$DATA/ca.pem" -o /dev/null -w '%{http_code}' "$API/healthz") ||
  fail "/healthz did not answer while writes waited for the SQLite lock"
h_ms=$(( ($(date +%s%N) - th0) / 1000000 ))
[ "$code" = 200 ] || fail "/healthz: $code"
still=$(( ($(date +%s%N) - t_lock) / 1000000 ))
[ "$still" -lt $((HOLD_S * 1000)) ] || fail "the checks outlasted the lock (${still} ms): the host is too slow"
ok "SQLite write lock held ${HOLD_S} s: 3 PINGs answered in ${ping_ms} ms, PING behind the STATUS in ${ping4_ms} ms, /healthz 200 in ${h_ms} ms, with $WRITES config writes and a STATUS waiting"

for p in "${WPIDS[@]}"; do wait "$p" || true; done
wait "$LOCKER" || true
failed=0
for i in $(seq "$WRITES"); do
  c=$(cat "$T/w$i.code")
  case "$c" in 201) ;; 5??) failed=$((failed + 1)) ;; *) fail "config write $i: $c" ;; esac
done
[ "$failed" -gt 0 ] || fail "no write failed: was the lock held?"
grep -q 'op=kv_put\|store error' "$T/relay.log" || fail "no store error logged for the refused writes"
# The lock is gone: an admin write and a STATUS are stored again.
api POST /v1/Configs '{"key":"after","value":"v"}' >/dev/null
[ "$(status)" = 201 ] || fail "config write after the lock: $(status)"
out=$(tdev "$T/dev4" hello:00000000000000b5 open:1:256:65536 upd:1:4:$UPD_APP ping)
grep -q "^PONG" <<<"$out" || fail "device 4 after the lock: $out"
state=""
for _ in $(seq 50); do
  state=$(python3 -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute("SELECT state, app_id FROM device_updates WHERE device_id = ?", (sys.argv[2],)).fetchone()
print(" ".join(r) if r else "")' "$DATA/relay.db" "$ID4")
  [ "$state" = "failed $UPD_APP" ] && break
  sleep 0.1
done
[ "$state" = "failed $UPD_APP" ] || fail "device 4's STATUS after the lock: '$state'"
ok "lock released: $failed of $WRITES writes refused (5xx) during it, a config write (201) and a STATUS (stored) after it"
stop_relay

#!/usr/bin/env bash
# The loop never waits for PostgreSQL: while a REST request, a device's config fetch, a
# device connecting (the lookup of its certificate's device) and an update-channel STATUS
# wait for table locks held in the database (another session's LOCK TABLE devices,
# configs, device_updates ... pg_sleep), the relay still answers connected devices' PINGs
# and /healthz at once, and all of them complete when the locks are released. With any of
# those store calls on the loop, the PINGs would wait too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"

HOLD_S=6
pg_start
RELAY_EXTRA="--store $PG_URL" start_relay "$T/data"
provision "$T/dev"
ID=$(cat "$T/dev/device_id")
provision "$T/dev2"
provision "$T/dev3"
provision "$T/dev4"
ID4=$(cat "$T/dev4/device_id")
UPD_APP=AP0123456789abcdef0123456789abcdef
api POST /v1/Configs '{"key":"k1","value":"v1"}' >/dev/null; [ "$(status)" = 201 ] || fail "config"

tdev "$T/dev" hello:00000000000000a1 waitfile:"$T/locked" ping >"$T/dev.txt" 2>&1 &
DEV=$!
for _ in $(seq 100); do grep -q "^WELCOME" "$T/dev.txt" && break; sleep 0.1; done
grep -q "^WELCOME" "$T/dev.txt" || fail "device: $(cat "$T/dev.txt")"
tdev "$T/dev2" hello:00000000000000a2 open:1:3:8192 waitfile:"$T/locked" cfg:1:a/c/k1 \
  >"$T/dev2.txt" 2>&1 &
DEV2=$!
for _ in $(seq 100); do grep -q "^OPEN_OK" "$T/dev2.txt" && break; sleep 0.1; done
# Device 4 opens its update channel (type 0x100), reports a failed update while the lock
# is held, then PINGs.
tdev "$T/dev4" hello:00000000000000a4 open:1:256:65536 waitfile:"$T/status" \
  upd:1:4:$UPD_APP waitfile:"$T/locked" ping >"$T/dev4.txt" 2>&1 &
DEV4=$!
for _ in $(seq 100); do grep -q "^OPEN_OK" "$T/dev4.txt" && break; sleep 0.1; done
grep -q "^OPEN_OK" "$T/dev4.txt" || fail "update channel: $(cat "$T/dev4.txt")"

# Another session holds the devices table: every read of it waits HOLD_S seconds.
"$PG_BIN/psql" -X -q "$PG_URL" -c "BEGIN; LOCK TABLE devices, configs, device_updates IN ACCESS EXCLUSIVE MODE;
  SELECT pg_sleep($HOLD_S); COMMIT;" >/dev/null 2>&1 &
LOCKER=$!
for _ in $(seq 50); do
  [ "$(pg_sql "SELECT count(*) FROM pg_locks WHERE relation = 'devices'::regclass AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] && break
  sleep 0.1
done
curl -sS --max-time 30 --cacert "$DATA/ca.pem" -H "Authorization: Bearer $TOKEN" \
  -o "$T/get.json" -w '%{http_code}' "$API/v1/Devices/$ID" >"$T/get.code" 2>&1 &
GET=$!
# A device connects: its certificate's device is looked up while the lock is held.
tdev "$T/dev3" hello:00000000000000a3 ping >"$T/dev3.txt" 2>&1 &
DEV3=$!
touch "$T/status" # device 4's STATUS: its store work waits for device_updates
sleep 0.5 # the GET, the connect's lookup and the STATUS now wait for the lock

t0=$(date +%s%N)
touch "$T/locked"
wait "$DEV" || fail "device: $(cat "$T/dev.txt")"
t1=$(date +%s%N)
wait "$DEV4" || fail "device 4: $(cat "$T/dev4.txt")"
t4=$(date +%s%N)
grep -q "^PONG" "$T/dev.txt" || fail "no PONG while the database was locked: $(cat "$T/dev.txt")"
grep -q "^PONG" "$T/dev4.txt" || fail "no PONG behind the STATUS: $(cat "$T/dev4.txt")"
ping_ms=$(( (t1 - t0) / 1000000 ))
ping4_ms=$(( (t4 - t0) / 1000000 ))
[ "$ping_ms" -lt 2000 ] ||
  fail "PONG took ${ping_ms} ms while a REST read, a connect and a STATUS waited for PostgreSQL"
[ "$ping4_ms" -lt 2000 ] || fail "PONG behind an update STATUS took ${ping4_ms} ms"
code=$(curl -sS --max-time 2 --cacert "$DATA/ca.pem" -o /dev/null -w '%{http_code}' "$API/healthz") ||
  fail "/healthz did not answer while a REST read waited for PostgreSQL"
[ "$code" = 200 ] || fail "/healthz: $code"
kill -0 "$GET" 2>/dev/null || fail "the GET finished before the lock was released: is the lock held?"
kill -0 "$DEV2" 2>/dev/null || fail "config fetch answered through the lock: $(cat "$T/dev2.txt")"
kill -0 "$DEV3" 2>/dev/null && ! grep -q "^WELCOME" "$T/dev3.txt" ||
  fail "the connecting device was admitted through the lock: $(cat "$T/dev3.txt")"
ok "database lock held ${HOLD_S} s: PINGs answered in ${ping_ms} and ${ping4_ms} ms, /healthz 200, REST read, config fetch, connect and STATUS waiting"

wait "$GET" || true
wait "$LOCKER" || true
[ "$(cat "$T/get.code")" = 200 ] || fail "GET after the lock: $(cat "$T/get.code") $(cat "$T/get.json")"
[ "$(jq -r .id "$T/get.json")" = "$ID" ] || fail "GET body: $(cat "$T/get.json")"
wait "$DEV2" || fail "device 2: $(cat "$T/dev2.txt")"
grep -q "^CFG result=0 n=1" "$T/dev2.txt" && grep -q "v1" "$T/dev2.txt" ||
  fail "config fetch after the lock: $(cat "$T/dev2.txt")"
wait "$DEV3" || fail "device 3: $(cat "$T/dev3.txt")"
grep -q "^WELCOME" "$T/dev3.txt" && grep -q "^PONG" "$T/dev3.txt" ||
  fail "the connecting device after the lock: $(cat "$T/dev3.txt")"
state=""
for _ in $(seq 50); do
  state=$(pg_sql "SELECT state || ' ' || app_id FROM device_updates WHERE device_id = '$ID4'")
  [ "$state" = "failed $UPD_APP" ] && break
  sleep 0.1
done
[ "$state" = "failed $UPD_APP" ] || fail "device 4's STATUS after the lock: '$state'"
ok "lock released: the waiting REST read (200, the device), config fetch (v1), connect (WELCOME) and STATUS (stored) completed"
stop_relay
pg_stop

#!/usr/bin/env bash
# Data dir lifecycle: a restart reuses the CA, server certificate, token, keys and
# database (devices keep connecting, logs and secrets survive, SIGTERM sends GOAWAY and
# exits 0); a corrupt key file or database is a clear error with exit status 1.
. "$(dirname "$0")/lib.sh"
start_relay "$T/data"
provision "$T/dev"
ID=$(cat "$T/dev/device_id")
api POST "/v1/Devices/$ID/Secrets" '{"key":"s","value":"kept"}' >/dev/null
tdev "$T/dev" hello:00000000000000c1 logs:00000000000000c1:1:2 >/dev/null
cp "$DATA/ca.pem" "$T/ca.before"; OLD_TOKEN=$TOKEN
perms=$(stat -c '%a' "$DATA/ca.key" "$DATA/server.key" "$DATA/secrets.key" "$DATA/admin.token" \
  "$DATA"/relay.db* | sort -u)
[ "$perms" = 600 ] || fail "key and database file modes: $perms"
[ "$(stat -c '%a' "$DATA")" = 700 ] || fail "data dir mode"
! grep -q "$(cat "$DATA/admin.token")" "$T/relay.log" || fail "token printed into a log that is not a terminal"
grep -q "admin token created; read it with: cat $DATA/admin.token" "$T/relay.log" || fail "no hint where the token is"

# A connected device receives GOAWAY when the relay is stopped.
timeout 30 "$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" --identity "$T/dev" hello:00000000000000c1 \
  wait_close >"$T/goaway.txt" 2>&1 &
PIDS+=($!); GW=$!
for _ in $(seq 200); do grep -q WELCOME "$T/goaway.txt" && break; sleep 0.1; done
stop_relay
wait "$GW" || true
grep -q "^GOAWAY retry=" "$T/goaway.txt" && grep -qx "CLOSED code=1000" "$T/goaway.txt" ||
  fail "no GOAWAY + close 1000 on shutdown: $(cat "$T/goaway.txt")"
ok "SIGTERM: GOAWAY and exit 0"

start_relay "$T/data"
cmp -s "$DATA/ca.pem" "$T/ca.before" || fail "CA replaced on restart"
[ "$TOKEN" = "$OLD_TOKEN" ] || fail "token replaced"
grep -c "admin token" "$T/relay.log" | grep -qx 1 || fail "token printed again on restart"
out=$(tdev "$T/dev" hello:00000000000000c1 open:1:3:4096 cfg:1:d/s/s)
expect_line "$out" "WELCOME version=1 acked=2 window=65536 ping=30"
expect_line "$out" "ITEM 0 result=0 value=kept"
[ "$(api GET "/v1/Devices/$ID/Logs" | jq '.logs | length')" = 2 ] || fail "logs lost"
ok "restart reuses the data dir"
stop_relay

cp -a "$DATA" "$T/bad1"; echo garbage >"$T/bad1/ca.key"
rc=0; "$RELAY" --data-dir "$T/bad1" --listen 127.0.0.1:1 --api-listen 127.0.0.1:2 2>"$T/err1" || rc=$?
[ "$rc" = 1 ] && grep -q "ca.key" "$T/err1" || fail "corrupt ca.key: rc=$rc $(cat "$T/err1")"
cp -a "$DATA" "$T/bad2"; rm -f "$T/bad2"/relay.db-*; head -c 8192 /dev/urandom >"$T/bad2/relay.db"
rc=0; "$RELAY" --data-dir "$T/bad2" --listen 127.0.0.1:1 --api-listen 127.0.0.1:2 2>"$T/err2" || rc=$?
[ "$rc" = 1 ] && grep -q "relay.db" "$T/err2" || fail "corrupt db: rc=$rc $(cat "$T/err2")"
cp -a "$DATA" "$T/bad3"; head -c 5 /dev/urandom >"$T/bad3/secrets.key"
rc=0; "$RELAY" --data-dir "$T/bad3" --listen 127.0.0.1:1 --api-listen 127.0.0.1:2 2>"$T/err3" || rc=$?
[ "$rc" = 1 ] && grep -q "secrets.key" "$T/err3" || fail "bad secrets.key: rc=$rc"
echo x >"$T/notadir"
rc=0; "$RELAY" --data-dir "$T/notadir" 2>"$T/err4" || rc=$?
[ "$rc" = 1 ] || fail "data dir is a file: rc=$rc"
# A damaged page behind a valid header: the start-up quick_check refuses the database.
cp -a "$DATA" "$T/bad5"; rm -f "$T/bad5"/relay.db-*
python3 - "$T/bad5/relay.db" <<'PY'
import sqlite3, sys
p = sys.argv[1]
c = sqlite3.connect(p)
root = c.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'logs'").fetchone()[0]
c.close()
b = bytearray(open(p, "rb").read())
ps = int.from_bytes(b[16:18], "big") or 65536
# The logs table's page: nothing reads it at start, so only a check finds the damage.
b[(root - 1) * ps:root * ps] = bytes((i * 37 + 11) & 0xFF for i in range(ps))
open(p, "wb").write(bytes(b))
PY
rc=0; timeout 10 "$RELAY" --data-dir "$T/bad5" --listen 127.0.0.1:1 --api-listen 127.0.0.1:2 2>"$T/err5" || rc=$?
[ "$rc" = 1 ] && grep -q "relay.db" "$T/err5" || fail "damaged pages: rc=$rc $(cat "$T/err5")"
# A database the relay's user cannot write (root bypasses modes, so run as nobody).
cp -a "$DATA" "$T/ro"; rm -f "$T/ro"/relay.db-*
chown -R nobody "$T/ro"; chmod 0444 "$T/ro/relay.db"; chmod 0711 "$T"
rc=0; timeout 10 setpriv --reuid=nobody --regid=nogroup --clear-groups "$RELAY" --data-dir "$T/ro" \
  --listen "127.0.0.1:$(free_port)" --api-listen "127.0.0.1:$(free_port)" 2>"$T/err6" || rc=$?
[ "$rc" = 1 ] && grep -Eq "relay.db (is read-only|is not writable)" "$T/err6" || fail "read-only db: rc=$rc $(cat "$T/err6")"
ok "corrupt data dir files are clear errors (exit 1)"

#!/usr/bin/env bash
# Integration: what mvrelay says about its data directory and config file. A changed
# --server-name issues the server certificate again (a log line; the CA stays), an
# unchanged one does not; key and token files readable by every user are pointed out; a
# config file may quote values, and its errors name file and line (exit 1).
set -euo pipefail
. "$(dirname "$0")/../../tests/e2e/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir relay-datadir
dd=$MV_TMP/data
sans() { openssl x509 -in "$dd/server.pem" -noout -ext subjectAltName | tail -n 1 | tr -d ' '; }

mv_start_relay "$dd" --server-name relay-a.example --server-name 192.0.2.7
[ "$(sans)" = "DNS:localhost,IPAddress:127.0.0.1,DNS:relay-a.example,IPAddress:192.0.2.7" ] ||
  mv_fail "first SANs: $(sans)"
ca_before=$(sha256sum <"$dd/ca.pem")
cert_before=$(sha256sum <"$dd/server.pem")
mv_stop_pid "$RELAY_PID" || mv_fail "relay exit status"

# The same names: the certificate is kept.
mv_start_relay "$dd" --server-name relay-a.example --server-name 192.0.2.7
[ "$(sha256sum <"$dd/server.pem")" = "$cert_before" ] || mv_fail "reissued for the same names"
grep -q "issued again" "$RELAY_LOG" && mv_fail "reissue logged for the same names"
mv_stop_pid "$RELAY_PID" || mv_fail "relay exit status"

# A changed name: issued again, with a log line; the CA and the token stay valid.
mv_start_relay "$dd" --server-name relay-b.example
grep -q 'server names changed: server certificate issued again.*names="localhost,127.0.0.1,relay-b.example"' \
  "$RELAY_LOG" || mv_fail "no reissue line: $(cat "$RELAY_LOG")"
[ "$(sans)" = "DNS:localhost,IPAddress:127.0.0.1,DNS:relay-b.example" ] || mv_fail "new SANs: $(sans)"
[ "$(sha256sum <"$dd/ca.pem")" = "$ca_before" ] || mv_fail "the CA changed"
openssl verify -CAfile "$dd/ca.pem" "$dd/server.pem" >/dev/null || mv_fail "new cert not from the CA"
mv_expect_rc 0 "$B/mvcli" devices list
mv_stop_pid "$RELAY_PID" || mv_fail "relay exit status"

# World-readable token and key: warned about, by name, with the fix.
chmod 644 "$dd/admin.token" "$dd/ca.key"
mv_start_relay "$dd" --server-name relay-b.example
grep -q "warning: $dd/admin.token is readable by every user (mode 644): chmod 600" "$RELAY_LOG" ||
  mv_fail "no token warning: $(cat "$RELAY_LOG")"
grep -q "warning: $dd/ca.key is readable by every user" "$RELAY_LOG" || mv_fail "no key warning"
grep -q "server.key is readable" "$RELAY_LOG" && mv_fail "warned about a 0600 file"
mv_stop_pid "$RELAY_PID" || mv_fail "relay exit status"
chmod 600 "$dd/admin.token" "$dd/ca.key"

# Config file: quoted values are the text inside; errors name file:line; exit 1.
cat >"$MV_TMP/relay.conf" <<CONF
# quoted as in an environment file
data_dir = "$dd"
listen = "127.0.0.1:$RELAY_DEV_PORT"
api_listen = '127.0.0.1:$RELAY_API_PORT'
server_name = 'relay-b.example'
CONF
cert_before=$(sha256sum <"$dd/server.pem")
"$B/mvrelay" --config "$MV_TMP/relay.conf" >"$MV_TMP/conf.log" 2>&1 &
pid=$!
MV_PIDS+=("$pid")
mv_wait_for "$MV_TMP/conf.log" "mvrelay: ready device=127.0.0.1:$RELAY_DEV_PORT" 30 "$pid" ||
  mv_fail "relay with a quoted config: $(cat "$MV_TMP/conf.log")"
[ "$(sha256sum <"$dd/server.pem")" = "$cert_before" ] ||
  mv_fail "quoted server_name kept its quotes (certificate issued again)"
mv_expect_rc 0 "$B/mvcli" devices list
mv_stop_pid "$pid" || mv_fail "relay exit status"
printf 'data_dir = %s\nlisten = "127.0.0.1:7443\n' "$dd" >"$MV_TMP/bad.conf"
mv_expect_rc 1 "$B/mvrelay" --config "$MV_TMP/bad.conf"
grep -q "^mvrelay: $MV_TMP/bad.conf:2: unmatched double quote" "$MV_ERR" ||
  mv_fail "bad config message: $(cat "$MV_ERR")"
printf 'data_dir = %s\nfrob = 1\n' "$dd" >"$MV_TMP/bad.conf"
mv_expect_rc 1 "$B/mvrelay" --config="$MV_TMP/bad.conf"
grep -q "^mvrelay: $MV_TMP/bad.conf:2: unknown setting: frob" "$MV_ERR" ||
  mv_fail "unknown setting message: $(cat "$MV_ERR")"
mv_expect_rc 1 "$B/mvrelay" --config "$MV_TMP/missing.conf"
grep -q "cannot read config file $MV_TMP/missing.conf: No such file" "$MV_ERR" ||
  mv_fail "missing file message: $(cat "$MV_ERR")"
echo PASS

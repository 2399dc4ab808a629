#!/usr/bin/env bash
# Integration: exit statuses and their messages: usage -> 1, API error (bad
# token, unknown device) -> 2, relay unreachable or untrusted -> 3; settings
# from a config file.
set -euo pipefail
. "$(dirname "$0")/../../tests/e2e/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir cli-errors
mv_start_relay "$MV_TMP/data"
cli="$B/mvcli"

# usage: 1 in all three programs
mv_expect_rc 1 "$cli"
mv_expect_rc 1 "$cli" --bogus
mv_expect_rc 1 "$B/mvrelay" --bogus
grep -q "unknown option" "$MV_ERR" || mv_fail "mvrelay usage: $(cat "$MV_ERR")"
mv_expect_rc 1 "$B/mvdevice" --bogus
grep -q "usage" "$MV_ERR" || mv_fail "mvdevice usage: $(cat "$MV_ERR")"
# Wrong API URLs are named before any request; the device port is recognised.
host=${MVCLI_URL#https://}
mv_expect_rc 1 "$cli" --url "http://$host" devices list
grep -q "the API is HTTPS: use https://$host" "$MV_ERR" || mv_fail "http://: $(cat "$MV_ERR")"
mv_expect_rc 1 "$cli" --url "$host" devices list
grep -q "the API is HTTPS" "$MV_ERR" || mv_fail "no scheme: $(cat "$MV_ERR")"
mv_expect_rc 1 "$cli" --url "$MVCLI_URL/v1/" devices list
grep -q "without /v1" "$MV_ERR" || mv_fail "/v1: $(cat "$MV_ERR")"
mv_expect_rc 3 "$cli" --url "https://127.0.0.1:$RELAY_DEV_PORT" devices list
grep -q "is the relay's device listener" "$MV_ERR" || mv_fail "device port: $(cat "$MV_ERR")"
mv_expect_rc 0 "$cli" --version
grep -qx "mvcli $(cat VERSION)" "$MV_OUT" || mv_fail "--version: $(cat "$MV_OUT")"
mv_expect_rc 0 "$B/mvrelay" --version
grep -qx "mvrelay $(cat VERSION)" "$MV_OUT" || mv_fail "mvrelay --version: $(cat "$MV_OUT")"
mv_expect_rc 1 "$cli" config frob
grep -q "unknown command" "$MV_ERR" || mv_fail "usage message"
mv_expect_rc 1 "$cli" logs get not-a-device
mv_expect_rc 0 "$cli" logs stream --help
grep -q "usage: mvcli logs stream" "$MV_OUT" || mv_fail "help text"
MVCLI_TOKEN= mv_expect_rc 1 "$cli" devices list
grep -q "no API token" "$MV_ERR" || mv_fail "missing token message"

# API errors
mv_expect_rc 2 "$cli" --token wrong devices list
grep -q "20003" "$MV_ERR" || mv_fail "bad token message: $(cat "$MV_ERR")"
mv_expect_rc 2 "$cli" --token wrong logs stream UV00000000000000000000000000000000
mv_expect_rc 2 "$cli" logs get UV00000000000000000000000000000000 --since garbage

# TLS: without the relay's CA the server certificate is not trusted.
MVCLI_CACERT= mv_expect_rc 3 "$cli" devices list
grep -q "TLS error" "$MV_ERR" || mv_fail "TLS message: $(cat "$MV_ERR")"

# Settings from a config file (flags and env unset).
cat >"$MV_TMP/cfg" <<CFG
# written by the test
url = $MVCLI_URL
token = $MVCLI_TOKEN
cacert = $MVCLI_CACERT
CFG
chmod 600 "$MV_TMP/cfg"
env -u MVCLI_URL -u MVCLI_TOKEN -u MVCLI_CACERT MVCLI_CONFIG="$MV_TMP/cfg" \
    "$cli" devices list >/dev/null 2>"$MV_TMP/cfg.err" || mv_fail "config file not used"
[ -s "$MV_TMP/cfg.err" ] && mv_fail "a 0600 config file was warned about: $(cat "$MV_TMP/cfg.err")"
# A token in a file other users can read is pointed out (and still used).
chmod 644 "$MV_TMP/cfg"
env -u MVCLI_URL -u MVCLI_TOKEN -u MVCLI_CACERT MVCLI_CONFIG="$MV_TMP/cfg" \
    "$cli" devices list >/dev/null 2>"$MV_TMP/cfg.err" || mv_fail "config file not used"
grep -q "warning: $MV_TMP/cfg holds the admin token and other users can read it (mode 644): chmod 600" \
    "$MV_TMP/cfg.err" || mv_fail "no warning for a shared token file: $(cat "$MV_TMP/cfg.err")"

# relay down
port=$RELAY_API_PORT
mv_stop_pid "$RELAY_PID" || mv_fail "mvrelay did not exit 0 on SIGTERM"
mv_expect_rc 3 "$cli" devices list
grep -q "is mvrelay running" "$MV_ERR" || mv_fail "connect message: $(cat "$MV_ERR")"
mv_expect_rc 3 "$cli" --url "https://127.0.0.1:$port" logs stream UV00000000000000000000000000000000
echo PASS

#!/usr/bin/env bash
# Integration: `mvcli config set|get|list|delete` at account and device scope
# against a real mvrelay on loopback (env B = build dir).
set -euo pipefail
. "$(dirname "$0")/../../tests/e2e/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir cli-config
mv_start_relay "$MV_TMP/data"
cli="$B/mvcli"

mv_expect_rc 0 "$cli" devices provision --out "$MV_TMP/id"
dev=$(cat "$MV_TMP/id/device_id")

# account scope
mv_expect_rc 0 "$cli" config set greeting "hello world"
grep -q "greeting set (account scope)" "$MV_OUT" || mv_fail "set output: $(cat "$MV_OUT")"
mv_expect_rc 0 "$cli" config get greeting
[ "$(cat "$MV_OUT")" = "hello world" ] || mv_fail "get returned '$(cat "$MV_OUT")'"
mv_expect_rc 0 "$cli" config set 'odd:key?#%+' v2
mv_expect_rc 0 "$cli" config get 'odd:key?#%+'
[ "$(cat "$MV_OUT")" = "v2" ] || mv_fail "escaped key round trip"
mv_expect_rc 0 "$cli" config set greeting "replaced"
# The value from standard input ('-') or a file (--file); one trailing newline dropped.
printf 'from stdin\n' | mv_expect_rc 0 "$cli" config set stdin-key -
mv_expect_rc 0 "$cli" config get stdin-key
[ "$(cat "$MV_OUT")" = "from stdin" ] || mv_fail "config set -: '$(cat "$MV_OUT")'"
printf 'line one\nline two\n' >"$MV_TMP/value.txt"
mv_expect_rc 0 "$cli" config set file-key --file "$MV_TMP/value.txt"
mv_expect_rc 0 "$cli" --json config get file-key
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["value"] == "line one\nline two"' \
    "$MV_OUT" || mv_fail "config set --file: $(cat "$MV_OUT")"
mv_expect_rc 1 "$cli" config set only-key
mv_expect_rc 1 "$cli" config set k v --file "$MV_TMP/value.txt"
mv_expect_rc 0 "$cli" config delete stdin-key
mv_expect_rc 0 "$cli" config delete file-key
mv_expect_rc 0 "$cli" config list
grep -Eq '^greeting +account +[^ ]+ +replaced$' "$MV_OUT" || mv_fail "list: $(cat "$MV_OUT")"
grep -q 'odd:key?#%+' "$MV_OUT" || mv_fail "list lacks the odd key"
mv_expect_rc 0 "$cli" --json config list
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["configs"]) == 2, d' "$MV_OUT" ||
    mv_fail "--json list"

# device scope is separate from account scope
mv_expect_rc 0 "$cli" config set --device "$dev" greeting "device value"
mv_expect_rc 0 "$cli" config get --device "$dev" greeting
[ "$(cat "$MV_OUT")" = "device value" ] || mv_fail "device get"
mv_expect_rc 0 "$cli" config get greeting
[ "$(cat "$MV_OUT")" = "replaced" ] || mv_fail "account value changed by a device set"
mv_expect_rc 0 "$cli" --json config get --device "$dev" greeting
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["scope"]=="device" and d["device_id"]==sys.argv[2], d' \
    "$MV_OUT" "$dev" || mv_fail "--json device get"
mv_expect_rc 0 "$cli" config list --device "$dev"
[ "$(grep -c . "$MV_OUT")" -eq 2 ] || mv_fail "device list: $(cat "$MV_OUT")"

# delete, then the key is gone (API error -> 2)
mv_expect_rc 0 "$cli" config delete --device "$dev" greeting
mv_expect_rc 2 "$cli" config get --device "$dev" greeting
grep -q "20404" "$MV_ERR" || mv_fail "missing API code: $(cat "$MV_ERR")"
mv_expect_rc 0 "$cli" config delete greeting
mv_expect_rc 2 "$cli" config delete greeting
mv_expect_rc 0 "$cli" config list
grep -q greeting "$MV_OUT" && mv_fail "deleted key still listed"
echo PASS

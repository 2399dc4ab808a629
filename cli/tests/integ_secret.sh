#!/usr/bin/env bash
# Integration: `mvcli secret set|list|delete` at both scopes, values from argv
# and stdin, and no command (human or --json) ever prints a secret value.
set -euo pipefail
. "$(dirname "$0")/../../tests/e2e/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir cli-secret
mv_start_relay "$MV_TMP/data"
cli="$B/mvcli"
v1="s3cr3t-argv-$RANDOM$RANDOM"
v2="s3cr3t-stdin-$RANDOM$RANDOM"
all_out="$MV_TMP/all-output"
: >"$all_out"
keep() { cat "$MV_OUT" "$MV_ERR" >>"$all_out"; }

mv_expect_rc 0 "$cli" devices provision --out "$MV_TMP/id"
dev=$(cat "$MV_TMP/id/device_id")

mv_expect_rc 0 "$cli" secret set api-key "$v1"; keep
grep -q "api-key set (account scope)" "$MV_OUT" || mv_fail "set output"
printf '%s\n' "$v2" | mv_expect_rc 0 "$cli" --json secret set --device "$dev" db-pass -; keep
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["key"]=="db-pass" and d["scope"]=="device", d' \
    "$MV_OUT" || mv_fail "--json set: $(cat "$MV_OUT")"
mv_expect_rc 0 "$cli" secret list; keep
grep -Eq '^api-key +account' "$MV_OUT" || mv_fail "list: $(cat "$MV_OUT")"
mv_expect_rc 0 "$cli" --json secret list; keep
mv_expect_rc 0 "$cli" secret list --device "$dev"; keep
grep -Eq '^db-pass +device' "$MV_OUT" || mv_fail "device list: $(cat "$MV_OUT")"
mv_expect_rc 0 "$cli" --json secret list --device "$dev"; keep
# Secrets are not configs: they cannot be read back through the config routes.
mv_expect_rc 2 "$cli" config get api-key; keep

if grep -q -e "$v1" -e "$v2" "$all_out"; then mv_fail "a secret value was printed"; fi

# A too-long secret from stdin is refused locally (usage, exit 1).
head -c 5000 /dev/zero | tr '\0' x | mv_expect_rc 1 "$cli" secret set big -

mv_expect_rc 0 "$cli" secret delete api-key
mv_expect_rc 0 "$cli" secret delete --device "$dev" db-pass
mv_expect_rc 2 "$cli" secret delete api-key
mv_expect_rc 0 "$cli" secret list
grep -q api-key "$MV_OUT" && mv_fail "deleted secret still listed"
echo PASS

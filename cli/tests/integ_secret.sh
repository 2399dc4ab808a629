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

# From a file, and from a silent prompt on a terminal (script(1) gives it one); without a
# value and without a terminal it is a usage error, never an empty secret.
v3="s3cr3t-file-$RANDOM$RANDOM"; v4="s3cr3t-tty-$RANDOM$RANDOM"
printf '%s\n' "$v3" >"$MV_TMP/secret.txt"
mv_expect_rc 0 "$cli" secret set from-file --file "$MV_TMP/secret.txt"; keep
# A pseudo-terminal that types the value once the prompt is shown, as a person would.
python3 - "$cli" "$v4" >"$MV_TMP/tty.out" 2>&1 <<'PY' || mv_fail "prompted secret: $(cat "$MV_TMP/tty.out")"
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "secret", "set", "from-tty"])
out, typed, end = b"", False, time.time() + 20
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    if not typed and b"(not shown):" in out:
        os.write(fd, sys.argv[2].encode() + b"\n")
        typed = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(0 if typed and os.waitstatus_to_exitcode(status) == 0 else 1)
PY
cat "$MV_TMP/tty.out" >>"$all_out"
grep -q "secret value (not shown):" "$MV_TMP/tty.out" || mv_fail "no prompt: $(cat "$MV_TMP/tty.out")"
mv_expect_rc 1 "$cli" secret set no-value </dev/null
grep -q "not a terminal" "$MV_ERR" || mv_fail "no-value message: $(cat "$MV_ERR")"
mv_expect_rc 0 "$cli" secret list; keep
grep -Eq '^from-file +account' "$MV_OUT" && grep -Eq '^from-tty +account' "$MV_OUT" ||
  mv_fail "file/prompt secrets not stored: $(cat "$MV_OUT")"
if grep -q -e "$v3" -e "$v4" "$all_out"; then mv_fail "a file or prompted secret was printed"; fi

mv_expect_rc 0 "$cli" secret delete api-key
mv_expect_rc 0 "$cli" secret delete --device "$dev" db-pass
mv_expect_rc 2 "$cli" secret delete api-key
mv_expect_rc 0 "$cli" secret list
grep -q api-key "$MV_OUT" && mv_fail "deleted secret still listed"
echo PASS

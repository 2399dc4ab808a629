#!/usr/bin/env bash
# Integration: how mvcli reads and shows things. `logs get --until` (a time and a
# duration), long table cells cut with an ellipsis but whole in --json and with
# --no-trunc, colours on a terminal only (and never with --no-color or NO_COLOR), times in
# UTC unless --local, bash completion from `mvcli completion bash`, and the message for a
# CA that belongs to another relay.
set -euo pipefail
. "$(dirname "$0")/../../tests/e2e/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir cli-display
export LC_ALL=C # ASCII "..." unless a test asks for UTF-8
mv_start_relay "$MV_TMP/data"
cli="$B/mvcli"
"$cli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision"
dev=$(cat "$MV_TMP/id/device_id")
tdev_logs() {
  timeout 20 "$B/tests/mvtdev" --port "$RELAY_DEV_PORT" --ca "$MV_TMP/data/ca.pem" \
    --identity "$MV_TMP/id" hello:00000000000000e1 "logs:00000000000000e1:$1:$2" >/dev/null ||
    mv_fail "test device could not log"
}
msgs() { grep -o 'msg-[0-9]*' "$MV_OUT" | tr '\n' ' '; }

# --until: records received after it are left out, and no "more records" notice is given.
tdev_logs 1 2
sleep 1.2
cut=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)
sleep 1.2
tdev_logs 3 2
mv_expect_rc 0 "$cli" logs get "$dev" --until "$cut"
[ "$(msgs)" = "msg-1 msg-2 " ] || mv_fail "--until $cut: $(msgs)"
[ -s "$MV_ERR" ] && mv_fail "--until printed a notice: $(cat "$MV_ERR")"
mv_expect_rc 0 "$cli" --json logs get "$dev" --until="$cut"
grep -q '"next_cursor": "seq:00000000000000e1:2"' "$MV_OUT" ||
  mv_fail "--until --json cursor: $(cat "$MV_OUT")"
mv_expect_rc 0 "$cli" logs get "$dev" --since 1h --until 0s
[ "$(msgs)" = "msg-1 msg-2 msg-3 msg-4 " ] || mv_fail "--until 0s: $(msgs)"
mv_expect_rc 0 "$cli" logs get "$dev" --until 1h
[ -z "$(msgs)" ] || mv_fail "--until 1h (before every record): $(msgs)"
mv_expect_rc 1 "$cli" logs get "$dev" --until tomorrow
grep -q "until must be a time" "$MV_ERR" || mv_fail "--until message: $(cat "$MV_ERR")"

# Long keys and values: cut in tables, whole in --json and with --no-trunc.
long_key=k-$(printf 'x%.0s' $(seq 100))
long_val=v-$(printf 'y%.0s' $(seq 300))
mv_expect_rc 0 "$cli" config set "$long_key" "$long_val"
mv_expect_rc 0 "$cli" config list
grep -Eq '^k-x{43}\.\.\.  account' "$MV_OUT" || mv_fail "key not cut: $(cat "$MV_OUT")"
grep -Eq 'v-y{43}\.\.\.$' "$MV_OUT" || mv_fail "value not cut: $(cat "$MV_OUT")"
mv_expect_rc 0 "$cli" --json config list
grep -q "\"$long_val\"" "$MV_OUT" || mv_fail "--json value not whole"
mv_expect_rc 0 "$cli" config list --no-trunc
grep -q "^$long_key .*$long_val\$" "$MV_OUT" || mv_fail "--no-trunc: $(cat "$MV_OUT")"
LC_ALL=C.UTF-8 mv_expect_rc 0 "$cli" config list
grep -Eq '^k-x{45}…  account' "$MV_OUT" || mv_fail "UTF-8 ellipsis: $(cat "$MV_OUT")"

# Colour: only on a terminal, and not with --no-color or NO_COLOR.
on_tty() { script -qec "$*" /dev/null </dev/null; }
esc=$'\033['
out=$(TERM=xterm on_tty "$cli" logs get "$dev") || mv_fail "logs get on a terminal"
[[ $out == *"${esc}36m00000000000000e1:1${esc}0m"* ]] || mv_fail "no colour on a tty: $out"
out=$(TERM=xterm on_tty "$cli" logs get "$dev" --no-color) || mv_fail "--no-color"
[[ $out == *"$esc"* ]] && mv_fail "colour despite --no-color: $out"
out=$(TERM=xterm NO_COLOR=1 on_tty "$cli" devices list) || mv_fail "NO_COLOR"
[[ $out == *"$esc"* ]] && mv_fail "colour despite NO_COLOR: $out"
mv_expect_rc 0 "$cli" logs get "$dev"
grep -qF "$esc" "$MV_OUT" && mv_fail "colour into a pipe"

# Times: UTC as the relay stores them, or local with --local (TZ two hours east).
mv_expect_rc 0 "$cli" logs get "$dev" -n 1
utc=$(cut -d' ' -f1 "$MV_OUT")
[[ $utc == *Z ]] || mv_fail "not UTC by default: $utc"
TZ=UTC-2 mv_expect_rc 0 "$cli" logs get "$dev" -n 1 --local
loc=$(cut -d' ' -f1 "$MV_OUT")
[[ $loc == *+02:00 ]] || mv_fail "--local: $loc"
[ "$(date -u -d "$loc" +%s.%N)" = "$(date -u -d "$utc" +%s.%N)" ] ||
  mv_fail "--local names another instant: $utc vs $loc"
TZ=UTC-2 mv_expect_rc 0 "$cli" logs get "$dev" --local --until "$(TZ=UTC-2 date -d "$cut" '+%Y-%m-%d %H:%M:%S.%6N')"
[ "$(msgs)" = "msg-1 msg-2 " ] || mv_fail "--local --until (local time): $(msgs)"

# Completion: the script registers itself and completes commands, options, devices.
mv_expect_rc 0 "$cli" completion bash
bash -c '
  set -e
  export PATH="$1:$PATH"
  source "$2"
  complete -p mvcli | grep -q -- "-F _mvcli mvcli"
  c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _mvcli; echo "${COMPREPLY[*]}"; }
  [ "$(c mvcli lo)" = "logs" ] || { echo "groups: $(c mvcli lo)"; exit 1; }
  [ "$(c mvcli config "")" = "set get list delete" ] || { echo "subs: $(c mvcli config "")"; exit 1; }
  [ "$(c mvcli logs get --un)" = "--until" ] || { echo "opts: $(c mvcli logs get --un)"; exit 1; }
  [ -z "$(c mvcli logs stream --un)" ] || { echo "stream has no --until"; exit 1; }
  [ "$(c mvcli --json logs get UV)" = "$3" ] || { echo "devices: $(c mvcli --json logs get UV)"; exit 1; }
  [ "$(c mvcli config list --device "")" = "$3" ] || { echo "--device: $(c mvcli config list --device "")"; exit 1; }
  [ "$(c mvcli logs get --since 1h g)" = "get" ] && { echo "value of --since taken as a word"; exit 1; }
  exit 0
' _ "$(cd "$B" && pwd)" "$MV_OUT" "$dev" || mv_fail "bash completion"
mv_expect_rc 0 "$cli" completion zsh
grep -q "bashcompinit" "$MV_OUT" || mv_fail "zsh script"
# zsh (scripts/packages.txt has it): the script registers through bashcompinit, and the
# function answers under the sh emulation zsh's _bash_complete runs it in (zsh's compadd
# then filters by the typed prefix).
zsh -c '
  autoload -U compinit && compinit -u -d "$2/zcompdump"
  source "$1"
  [[ ${_comps[mvcli]} == "_bash_complete -F _mvcli" ]] || { print "registered as: ${_comps[mvcli]}"; exit 1; }
  emulate sh; setopt kshglob noshglob braceexpand
  COMP_WORDS=(mvcli config ""); COMP_CWORD=2; COMPREPLY=(); _mvcli
  [ "${COMPREPLY[*]}" = "set get list delete" ] || { echo "zsh subs: ${COMPREPLY[*]}"; exit 1; }
' _ "$MV_OUT" "$MV_TMP" || mv_fail "zsh completion"

# A CA from another relay: named as such, with what to do.
ports=("$RELAY_DEV_PORT" "$RELAY_API_PORT")
mv_stop_pid "$RELAY_PID" || mv_fail "relay exit status"
unset RELAY_DEV_PORT RELAY_API_PORT
mv_start_relay "$MV_TMP/other"
other_ca=$MV_TMP/other/ca.pem
mv_stop_pid "$RELAY_PID" || mv_fail "other relay exit status"
RELAY_DEV_PORT=${ports[0]} RELAY_API_PORT=${ports[1]}
mv_start_relay "$MV_TMP/data"
mv_expect_rc 3 "$cli" --cacert "$other_ca" devices list
grep -q "belongs to another relay" "$MV_ERR" && grep -q "DATA_DIR/ca.pem" "$MV_ERR" ||
  mv_fail "CA of another relay: $(cat "$MV_ERR")"
mv_expect_rc 2 "$cli" --token "$(cat "$MV_TMP/other/admin.token")" devices list
grep -q "token from another relay" "$MV_ERR" || mv_fail "token of another relay: $(cat "$MV_ERR")"
echo PASS

#!/usr/bin/env bash
# End-to-end on the host: a Microvisor-style application (device/tests/apps/mvstyle:
# static aligned buffers and string literals handed to the kernel, STM32U585 IRQ 51 with
# NVIC_EnableIRQ + TIM8_BRK_IRQHandler, int main, RCC through mvPeriphPoke32, no host
# shim) runs unchanged on mvdevice against a real relay: it logs from a 1 KiB buffer,
# fetches a config value and a secret, opens HTTP and MQTT channels (and handles the
# relay's answer: an open channel, or OPEN_ERR where a service is not served), then faults on purpose and
# is restarted alone: same mvdevice, same boot id, log sequence continuing, wake reason
# APPLICATIONCRASH; the system LED it turned off is on again (mvdevice stderr lines).
# Three devices: a bad pointer, a failed assert, a stack overflow.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir e2e-mvstyle
cli="$B/mvcli"
greeting="mvstyle-greeting-$RANDOM$RANDOM"
secret="mvstyle-secret-$RANDOM$RANDOM"

logs() { "$cli" --json logs get "$dev" --limit 1000 >"$MV_TMP/logs.json" || mv_fail "logs get"; }
# wait_msg PATTERN SECONDS: until a stored message matches (mvdevice must stay alive).
wait_msg() {
    for _ in $(seq "$2"); do
        logs
        grep -q -- "$1" "$MV_TMP/logs.json" && return 0
        kill -0 "$dev_pid" 2>/dev/null || { cat "$devlog"; mv_fail "mvdevice exited"; }
        sleep 1
    done
    cat "$devlog" >&2
    python3 -c 'import json,sys; [print(r.get("message")) for r in json.load(open(sys.argv[1]))["logs"]]' \
        "$MV_TMP/logs.json" >&2
    mv_fail "timed out waiting for '$1'"
}

check_logs() {
    python3 - "$MV_TMP/logs.json" "$greeting" "$secret" <<'PY' || mv_fail "log check"
import json, sys
recs = json.load(open(sys.argv[1]))["logs"]
greeting, secret = sys.argv[2], sys.argv[3]
msgs = [r.get("message") or "" for r in recs]
def has(s):
    assert any(s in m for m in msgs), f"missing: {s!r} in {msgs}"
has("mvstyle: starting")                       # a string literal
has("mvstyle: cold boot")
has("mvstyle: system LED off")
has("mvstyle: GPIOA clock enabled")            # RCC through mvPeriphPoke32/Peek32
has("mvstyle: heap buffer accepted")
has("mvstyle: notifications on IRQ 51")
has("mvstyle: network connected")
has("mvstyle: closed a channel before the server answered")
has(f"mvstyle: greeting={greeting}")
has(f"mvstyle: secret={secret[:2]}***")
for ch in ("http", "mqtt"):
    assert any(m.startswith(f"mvstyle: {ch} channel open") or
               m.startswith(f"mvstyle: {ch} channel refused by the server") for m in msgs), \
        f"no answer for the {ch} channel: {msgs}"
has("mvstyle: restarted after an application crash")
assert not any(secret in m for m in msgs), "secret logged in clear"
assert msgs.count("mvstyle: starting") == 2, "expected exactly one restart"
# One boot: the kernel and its session survived, the sequence runs on without a hole.
boots = {r["boot_id"] for r in recs}
assert len(boots) == 1, f"boot ids {boots}"
seqs = [r["seq"] for r in recs]
assert seqs == list(range(1, len(seqs) + 1)), f"seqs {seqs}"
print(f"ok: {len(recs)} records, one boot, fault and restart")
PY
}

# run_device FAULT: a fresh device whose app faults that way on its cold boot.
run_device() {
    local fault=$1
    devlog="$MV_TMP/device-$fault.log"
    "$cli" devices provision --out "$MV_TMP/id-$fault" >/dev/null || mv_fail "provision"
    dev=$(cat "$MV_TMP/id-$fault/device_id")
    "$cli" config set mvstyle-fault "$fault" >/dev/null || mv_fail "config set fault"
    "$B/mvdevice" --relay "wss://localhost:$RELAY_DEV_PORT" --identity "$MV_TMP/id-$fault" \
        --app mvstyle >"$devlog" 2>&1 &
    dev_pid=$!
    MV_PIDS+=("$dev_pid")
    mv_log "waiting for the application's first run and its deliberate fault ($fault)"
    wait_msg "mvstyle: faulting on purpose ($fault)" 40
    mv_log "waiting for the restarted application"
    wait_msg "mvstyle: counter 1 " 40
    grep -q "mvdevice: application fault (signal" "$devlog" ||
        mv_fail "no fault line on mvdevice's stderr"
    if grep -q "relay connection failed\|AddressSanitizer\|runtime error" "$devlog"; then
        cat "$devlog"; mv_fail "session disturbed or sanitizer report"
    fi
    # Closing before the answer is a normal race: the relay sent no ERROR for it.
    if grep -q "unknown or closed channel" "$RELAY_LOG" 2>/dev/null; then
        grep "unknown or closed channel" "$RELAY_LOG"; mv_fail "the relay answered a CLOSE with ERROR"
    fi
    check_logs
    # The host's system LED is a line on stderr per change: on at boot, off by the app,
    # on again when the kernel restarts the application.
    leds=$(grep -o "mvdevice: system LED o[nf]*" "$devlog" | sed 's/mvdevice: system LED //' | tr '\n' ' ')
    [ "$leds" = "on off on " ] || mv_fail "system LED lines '$leds', expected 'on off on '"
    mv_stop_pid "$dev_pid" || mv_fail "mvdevice did not exit 0 on SIGTERM"
}

mv_start_relay "$MV_TMP/data"
"$cli" config set mvstyle-greeting "$greeting" >/dev/null || mv_fail "config set"
printf '%s' "$secret" | "$cli" secret set mvstyle-secret - >/dev/null || mv_fail "secret set"
run_device null
run_device assert
run_device overflow
echo PASS

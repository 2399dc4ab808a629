#!/usr/bin/env bash
# e2e: `make demo` as a person runs it, on a terminal (a pseudo-terminal here): the build
# prints progress lines, not compiler commands; the three demo devices' logs stream (the
# log demo's counter, the MQTT demo's command, the HTTP demo's GET); Ctrl-C ends it with
# "demo: stopped" and status 0, without make's "Interrupt", and nothing it started is
# left running.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
trap mv_cleanup EXIT
mv_tmpdir e2e-demo
target=$(basename "$B")
# A make of our own, not a sub-make of the one running the tests.
unset MAKEFLAGS MFLAGS MAKELEVEL
python3 - "$root" "$target" "$MV_TMP/demo" >"$MV_TMP/out" 2>&1 <<'PY' || { cat "$MV_TMP/out"; mv_fail "make demo on a terminal"; }
import os, pty, select, signal, sys, time
root, target, demo_dir = sys.argv[1:4]
want = [b"demo: counter 1\r\n", b"mqtt_demo: command on", b"http_demo: GET /json result=0 status=200"]
env = dict(os.environ, DEMO_DIR=demo_dir, TERM="dumb")
pid, fd = pty.fork()
if pid == 0:
    os.chdir(root)
    os.execvpe("make", ["make", "-s", "demo", "TARGET=" + target], env)
out, sent, end = b"", None, time.time() + 240
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    if sent is None and all(w in out for w in want):
        os.write(fd, b"\x03")  # Ctrl-C, as typed: the terminal sends SIGINT
        sent = time.time()
    if sent is not None and time.time() - sent > 30:
        break
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
print("\nEXIT", os.waitstatus_to_exitcode(status), "CTRL-C", sent is not None)
PY
out=$MV_TMP/out
grep -q "^EXIT 0 CTRL-C True" "$out" || mv_fail "exit after Ctrl-C: $(tail -n 5 "$out")"
grep -q "demo: stopped" "$out" || mv_fail "no 'demo: stopped'"
grep -q "Interrupt" "$out" && mv_fail "make reported an Interrupt"
grep -qE "^demo: built in [0-9]+ s" "$out" || mv_fail "no build progress line"
grep -qE "(^|[ /])(gcc|cc|clang) .*-c " "$out" && mv_fail "compiler commands printed"
sleep 1
left=$(pgrep -f "$MV_TMP/demo" || true)
[ -z "$left" ] && echo PASS || mv_fail "left running: $(ps -o pid,args -p "${left//$'\n'/,}")"

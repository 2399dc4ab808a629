#!/usr/bin/env bash
# Unauthenticated connections are capped per source address (64): 80 idle TCP connections
# from 127.0.0.2 to the device port get 16 refused at once, while a device from 127.0.0.1
# still connects; once they close, 127.0.0.2 is admitted again. The same cap guards the
# API port; refusals are counted in /metrics.
. "$(dirname "$0")/lib.sh"
start_relay "$T/data"
provision "$T/dev"
# idle_conns PORT [HELD GO]: opens 80 idle TCP connections from 127.0.0.2 and prints
# "closed N", how many the relay closed at once; with HELD and GO it then creates HELD
# and keeps the connections open until GO exists.
idle_conns() {
  python3 - "$@" <<'PY'
import os, socket, sys, time
socks = []
for _ in range(80):
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    s.connect(("127.0.0.1", int(sys.argv[1])))
    socks.append(s)
time.sleep(0.5)
closed = 0
for s in socks:
    s.settimeout(0.05)
    try:
        if s.recv(1) == b"":
            closed += 1
    except (socket.timeout, BlockingIOError):
        pass
    except OSError:
        closed += 1
print("closed", closed, flush=True)
if len(sys.argv) > 3:
    open(sys.argv[2], "w").close()
    for _ in range(100):
        if os.path.exists(sys.argv[3]):
            break
        time.sleep(0.05)
PY
}
idle_conns "$DPORT" "$T/held" "$T/go" >"$T/idle.txt" &
IDLE=$!; PIDS+=("$IDLE")
for _ in $(seq 100); do [ -e "$T/held" ] && break; sleep 0.1; done
[ -e "$T/held" ] || fail "idle connections not opened"
grep -qx "closed 16" "$T/idle.txt" || fail "expected 16 of 80 refused: $(cat "$T/idle.txt")"
out=$(tdev "$T/dev" hello:00000000000000f7 ping)
grep -q '^WELCOME' <<<"$out" || fail "a device from another address was locked out: $out"
touch "$T/go"; wait "$IDLE" || true
sleep 0.3
python3 - "$DPORT" <<'PY' || fail "127.0.0.2 still refused after its connections closed"
import socket, sys
s = socket.socket(); s.bind(("127.0.0.2", 0)); s.connect(("127.0.0.1", int(sys.argv[1])))
s.settimeout(0.5)
try:
    assert s.recv(1) != b"", "closed at once"
except socket.timeout:
    pass
PY
m=$(api GET /metrics) # not piped: grep -q exiting early would fail curl under pipefail
grep -q '^mvrelay_preauth_refused_total 16$' <<<"$m" || fail "refusals not counted"
grep -q 'msg="connection refused" listener=device' "$T/relay.log" || fail "no log line"
ok "64 unauthenticated connections per address; others unaffected; counted and logged"
stop_relay

# Behind a load balancer every device comes from its address: --max-pending-per-address
# raises the cap, and the same 80 idle connections from one address are all admitted.
RELAY_EXTRA="--max-pending-per-address 100" start_relay "$T/data"
idle_conns "$DPORT" >"$T/idle2.txt"
grep -qx "closed 0" "$T/idle2.txt" || fail "--max-pending-per-address 100 still refused: $(cat "$T/idle2.txt")"
ok "--max-pending-per-address raises the per-address cap"
stop_relay

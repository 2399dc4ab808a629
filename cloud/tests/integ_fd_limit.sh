#!/usr/bin/env bash
# Descriptor limit: started with a soft limit of 64 (hard 4096), the relay raises its soft
# limit to the hard one, so 150 idle connections do not lock a device out.
if [ -z "${MVR_UNDER_PRLIMIT:-}" ]; then
  MVR_UNDER_PRLIMIT=1 exec prlimit --nofile=64:4096 -- bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
start_relay "$T/data"
provision "$T/dev"
soft=$(awk '/^Max open files/ {print $4}' "/proc/$RELAY_PID/limits")
[ "$soft" = 4096 ] || fail "soft descriptor limit is $soft, want the hard limit 4096"
python3 - "$DPORT" "$T/held" <<'PY' &
import resource, socket, sys, time, os
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
socks = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(150)]
open(sys.argv[2], "w").close()
time.sleep(8)
PY
HOLDER=$!; PIDS+=("$HOLDER")
for _ in $(seq 100); do [ -e "$T/held" ] && break; sleep 0.05; done
[ -e "$T/held" ] || fail "could not open 150 connections"
out=$(tdev "$T/dev" hello:00000000000000d1 ping)
grep -q "^WELCOME" <<<"$out" || fail "device locked out with 150 idle connections: $out"
ok "soft limit raised to the hard limit; a device connects past 150 idle connections"
kill "$HOLDER" 2>/dev/null || true
stop_relay

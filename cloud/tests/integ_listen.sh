#!/usr/bin/env bash
# Listen addresses: a host name binds its resolved address, an [IPv6] literal binds that
# address, and an address this host does not have, a name that does not resolve or a port
# in use stops the relay with exit 1 and a message naming it (never "ready" without a
# listener). A data dir whose parents do not exist yet is created with them.
. "$(dirname "$0")/lib.sh"
listening() { ss -ltnH "sport = :$1" | awk '{print $4}'; }
run_relay() { # run_relay LOG ARGS...: starts a relay, waits for ready or exit
  local log=$1; shift
  "$RELAY" "$@" >"$log" 2>&1 &
  local pid=$!; PIDS+=("$pid")
  for _ in $(seq 100); do
    grep -q "mvrelay: ready" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" || echo "rc=$?" >>"$log"; return 1; }
    sleep 0.1
  done
  return 1
}

P1=$(free_port); P2=$(free_port)
run_relay "$T/a.log" --data-dir "$T/new/parents/data" --listen "localhost:$P1" \
  --api-listen "127.0.0.1:$P2" || fail "localhost: $(cat "$T/a.log")"
grep -q "mvrelay: ready device=127.0.0.1:$P1 api=127.0.0.1:$P2" "$T/a.log" || fail "ready line: $(cat "$T/a.log")"
[ "$(listening "$P1")" = "127.0.0.1:$P1" ] || fail "localhost bound to '$(listening "$P1")'"
[ "$(stat -c %a "$T/new/parents/data")" = 700 ] || fail "data dir mode"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" || true
ok "localhost binds 127.0.0.1; missing parents of the data dir are created"

if [ -e /proc/net/if_inet6 ] && [ -n "$(ip -6 addr show lo 2>/dev/null)" ]; then
  P1=$(free_port); P2=$(free_port)
  run_relay "$T/b.log" --data-dir "$T/new/parents/data" --listen "[::1]:$P1" \
    --api-listen "[::1]:$P2" || fail "[::1]: $(cat "$T/b.log")"
  [ "$(listening "$P1")" = "[::1]:$P1" ] && [ "$(listening "$P2")" = "[::1]:$P2" ] ||
    fail "[::1] bound to '$(listening "$P1")' '$(listening "$P2")'"
  curl -sgk "https://[::1]:$P2/healthz" | grep -q '"ok"' || fail "API on [::1] does not answer"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" || true
  ok "[::1] literals bind IPv6 loopback"
else
  ok "no IPv6 loopback here: [::1] case not run"
fi

P1=$(free_port); P2=$(free_port)
for bad in "192.0.2.1:$P1" "nonexistent.invalid:$P1"; do
  ! run_relay "$T/c.log" --data-dir "$T/new/parents/data" --listen "$bad" --api-listen "127.0.0.1:$P2" ||
    fail "$bad: relay became ready"
  grep -q "rc=1" "$T/c.log" && grep -q "mvrelay: cannot .*${bad%%:*}" "$T/c.log" ||
    fail "$bad: no clear error: $(cat "$T/c.log")"
done
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(5)' "$P1" &
PIDS+=($!)
for _ in $(seq 50); do [ -n "$(listening "$P1")" ] && break; sleep 0.1; done
! run_relay "$T/d.log" --data-dir "$T/new/parents/data" --listen "127.0.0.1:$P1" --api-listen "127.0.0.1:$P2" ||
  fail "port in use: relay became ready"
grep -q "rc=1" "$T/d.log" && grep -q "Address already in use" "$T/d.log" || fail "port in use: $(cat "$T/d.log")"
ok "an address not on this host, a name that does not resolve, a port in use: exit 1 with the reason"

#!/usr/bin/env bash
# Connection scale, CI-sized (bench/relay_conns measures 2,000-20,000 against Mosquitto):
# CONNS (default 1,000) devices provisioned from one CSR hold mutually authenticated
# sessions at once (bench/relay_conns_drv); while they are held another device is served
# (PONG, LOG_ACK); the relay is restarted on the same ports (SIGTERM: GOAWAY to all) and
# every device comes back by itself with jittered back-off while that device logs through
# the reconnect storm; every record it sent is stored exactly once. The restarted relay
# limits handshakes (--accept-rate) as a production one facing a storm would.
. "$(dirname "$0")/lib.sh"
DRV="$B/bench/relay_conns_drv"
N=${CONNS:-1000}
BOOT=00000000000000d1
ulimit -n "$(ulimit -Hn)"
# The driver and the relay each hold N descriptors plus their own few.
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((N + 200)) ]; then
  echo "note: RLIMIT_NOFILE hard limit $(ulimit -Hn): $((N = $(ulimit -n) - 200)) sessions"
fi
start_relay "$T/data"
provision "$T/dev"
ID=$(cat "$T/dev/device_id")
provision_fleet "$N"

mkfifo "$T/ctl"
MVBENCH_RECONNECT=1 "$DRV" hold relay "$DPORT" "$DATA/ca.pem" "$T/k.pem" "$T/certs.pem" "$N" \
  <"$T/ctl" >"$T/hold.out" 2>"$T/drv.log" &
PIDS+=($!)
exec 3>"$T/ctl"
for _ in $(seq 1200); do grep -q '^ready' "$T/hold.out" && break; sleep 0.1; done
read -r _ est _ failed < <(grep "^ready" "$T/hold.out") ||
  fail "sessions not established in 120 s: $(tail -n 5 "$T/drv.log" "$T/hold.out")"
[ "$est" = "$N" ] && [ "$failed" = 0 ] || fail "$est of $N sessions established, $failed failed"
gauge() { curl -sk "$API/metrics" -H "Authorization: Bearer $TOKEN" |
  awk '$1 == "mvrelay_device_connections" {print $2}'; }
[ "$(gauge)" = "$N" ] || fail "relay counts $(gauge) connections, want $N"
ok "$N mutually authenticated sessions held"

out=$(tdev "$T/dev" hello:$BOOT ping logs:$BOOT:1:5)
expect_line "$out" "PONG chan=0 len=8"
expect_line "$out" "LOG_ACK boot=$BOOT seq=5"
ok "a new device is served while $N are held"

# Restart on the same ports; the fleet reconnects with jittered back-off while the
# device logs records 6..10 through the storm.
stop_relay
"$RELAY" --data-dir "$DATA" --listen "127.0.0.1:$DPORT" --api-listen "127.0.0.1:$APORT" \
  --accept-rate 400 >>"$T/relay2.log" 2>&1 &
RELAY_PID=$!; PIDS+=("$RELAY_PID")
for _ in $(seq 100); do grep -q "mvrelay: ready" "$T/relay2.log" && break; sleep 0.1; done
grep -q "mvrelay: ready" "$T/relay2.log" || fail "relay did not restart on the same ports"
# The storm fills the relay's 64 unauthenticated connections per address (all of them
# come from 127.0.0.1 here): like any device, this one retries until it gets in.
for _ in $(seq 40); do
  out=$(tdev "$T/dev" hello:$BOOT logs:$BOOT:6:5 2>&1) && grep -q '^LOG_ACK' <<<"$out" && break
  sleep 0.5
done
expect_line "$out" "WELCOME version=1 acked=5 window=65536 ping=30"
expect_line "$out" "LOG_ACK boot=$BOOT seq=10"
back=0
for _ in $(seq 120); do
  back=$(awk '/^established/ {n = $2} END {print n + 0}' "$T/hold.out")
  [ "$back" = "$N" ] && break
  sleep 1
done
[ "$back" = "$N" ] ||
  fail "$back of $N devices reconnected within 120 s: $(tail -n 3 "$T/drv.log" "$T/hold.out" "$T/relay2.log")"
[ "$(gauge)" = "$N" ] || fail "relay counts $(gauge) connections after the storm, want $N"
deferred=$(curl -sk "$API/metrics" -H "Authorization: Bearer $TOKEN" |
  awk '$1 == "mvrelay_accepts_deferred_total" {print $2}')
ok "all $N devices reconnected after a restart ($deferred handshakes waited for the rate)"

seqs=$(api GET "/v1/Devices/$ID/Logs?boot=$BOOT&limit=1000" | jq -c '[.logs[].seq]')
[ "$seqs" = "[1,2,3,4,5,6,7,8,9,10]" ] || fail "records across the restart: $seqs"
ok "records sent before and during the reconnect storm stored exactly once"
exec 3>&-

#!/usr/bin/env bash
# Handshakes in progress are capped (--max-handshakes): N devices (default 200, from one
# CSR, bench/relay_conns_drv: 64 handshakes at once) connect together while a new device
# is probed (WELCOME + PONG). The relay's peak of handshakes in progress never exceeds
# the cap, the others waited (deferred), every device is established with no failed
# attempt, the probe is served, and afterwards no slot is left taken and none is parked.
# Then 20 silent TCP clients (connected, no ClientHello) must not hold the slots: a device
# is still served within 3 s (it would wait their 10 s handshake timeout otherwise).
# HS_CAP (default 4) sets the cap; HS_CAP=0 (no cap) must fail on the peak.
. "$(dirname "$0")/lib.sh"
DRV="$B/bench/relay_conns_drv"
N=${CONNS:-200}
CAP=${HS_CAP:-4}
BOOT=00000000000000e3
ulimit -n "$(ulimit -Hn)"
export MVBENCH_SPREAD_SRC=1 # own addresses: the per-address cap (64) is not what is tested
RELAY_EXTRA="--max-handshakes $CAP" start_relay "$T/data"
provision "$T/dev"
provision_fleet $((N + 1))
metric() { curl -sk "$API/metrics" -H "Authorization: Bearer $TOKEN" | awk -v k="$1" '$1 == k {print $2}'; }

mkfifo "$T/ctl"
"$DRV" hold relay "$DPORT" "$DATA/ca.pem" "$T/k.pem" "$T/certs.pem" "$N" \
  <"$T/ctl" >"$T/hold.out" 2>"$T/drv.log" &
PIDS+=($!)
exec 3>"$T/ctl"
# The probe (certificate N, not held) starts with the crowd: 10 attempts, 50 ms apart.
MVBENCH_PROBE_GAP_MS=50 "$DRV" probe relay "$DPORT" "$DATA/ca.pem" "$T/k.pem" "$T/certs.pem" \
  "$N" 10 >"$T/probe.out" 2>"$T/probe.log" || fail "probe: $(cat "$T/probe.out" "$T/probe.log")"
for _ in $(seq 600); do grep -q '^ready' "$T/hold.out" && break; sleep 0.1; done
read -r _ est ms failed < <(grep "^ready" "$T/hold.out") ||
  fail "devices not established in 60 s: $(tail -n 5 "$T/drv.log" "$T/hold.out")"
[ "$est" = "$N" ] && [ "$failed" = 0 ] || fail "$est of $N established, $failed failed: $(grep -v "^ready" "$T/drv.log" | head -5; grep -i "warn\|error" "$T/relay.log" | head -5)"
peak=$(metric mvrelay_handshakes_in_progress_peak)
deferred=$(metric mvrelay_accepts_deferred_total)
[ "$peak" -ge 1 ] || fail "no handshake seen in progress (peak $peak)"
[ "$CAP" != 0 ] && [ "$peak" -le "$CAP" ] ||
  fail "peak of handshakes in progress $peak with --max-handshakes $CAP"
[ "$deferred" -ge 1 ] || fail "no handshake waited for a slot"
ok "$N devices at once: all established in $ms ms, at most $peak handshakes in progress (cap $CAP), $deferred waited"

ok "a new device during the crowd: $(head -n 1 "$T/probe.out")"

# Every slot was given back and nobody is left parked.
[ "$(metric mvrelay_handshakes_in_progress)" = 0 ] || fail "slots still taken: $(metric mvrelay_handshakes_in_progress)"
[ "$(metric mvrelay_handshakes_parked)" = 0 ] || fail "still parked: $(metric mvrelay_handshakes_parked)"
out=$(tdev "$T/dev" hello:$BOOT ping)
expect_line "$out" "PONG chan=0 len=8"
ok "afterwards no slot taken, none parked, a device served"

python3 - "$DPORT" "$T/silent" <<'PY' &
import os, socket, sys, time
socks = []
for _ in range(20):
    s = socket.socket(); s.bind(("127.0.0.2", 0)); s.connect(("127.0.0.1", int(sys.argv[1])))
    socks.append(s)
open(sys.argv[2], "w").close()
time.sleep(20)
PY
PIDS+=($!)
for _ in $(seq 100); do [ -e "$T/silent" ] && break; sleep 0.1; done
[ -e "$T/silent" ] || fail "silent clients not connected"
sleep 0.3
t0=$(date +%s%N)
out=$(tdev "$T/dev" hello:$BOOT ping)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_line "$out" "PONG chan=0 len=8"
[ "$ms" -lt 3000 ] || fail "a device took $ms ms beside 20 silent clients (cap $CAP)"
ok "beside 20 silent clients a device is served in $ms ms (cap $CAP)"
exec 3>&-

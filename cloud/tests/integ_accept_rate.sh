#!/usr/bin/env bash
# Reconnect-storm shedding, the accept rate: with --accept-rate 5, 30 devices connecting
# at once are all served (none refused, none timed out), the handshakes beyond the rate
# wait (the storm takes >= 4 s instead of well under one) and are counted.
. "$(dirname "$0")/lib.sh"
N=30
BOOT=00000000000000e2
RELAY_EXTRA="--accept-rate 5" start_relay "$T/data"
for i in $(seq $N); do provision "$T/d$i"; done
metric() { curl -sk "$API/metrics" -H "Authorization: Bearer $TOKEN" | awk -v k="$1" '$1 == k {print $2}'; }

t0=$(date +%s%N)
for i in $(seq $N); do
  tdev "$T/d$i" hello:$BOOT ping >"$T/out$i" 2>&1 &
  PIDS+=($!)
done
wait "${PIDS[@]:1}" 2>/dev/null || true
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
served=$(cat "$T"/out* | grep -cx "PONG chan=0 len=8")
[ "$served" = $N ] || fail "$served of $N devices served in $ms ms: $(grep -L PONG "$T"/out* | head -3 | xargs cat)"
[ "$ms" -ge 4000 ] || fail "$N handshakes at 5/s took only $ms ms"
d=$(metric mvrelay_accepts_deferred_total)
[ "$d" -ge 20 ] || fail "accepts deferred: $d"
ok "$N devices at once, 5 handshakes/s: all served in $ms ms, $d waited"

#!/usr/bin/env bash
# The parked-handshake queue under overload (accept_rate.h): with one handshake slot
# (--max-handshakes 1), a client that sent its ClientHello and stalls holds the slot, 50
# more such clients wait parked behind it, and then a new device connects.
#  - the slot holder is closed after --handshake-timeout-ms (1 s here; before, the 10 s
#    handshake timeout), counted in mvrelay_handshakes_timed_out_total,
#  - the new device gets the freed slot before the 50 that waited longer (newest first
#    once the oldest has waited 50 ms): WELCOME + PONG under 3 s from its connect.
# PARK_FLAGS overrides the relay options (PARK_FLAGS="--max-handshakes 1" runs the same
# scenario against a relay without --handshake-timeout-ms: it must fail).
. "$(dirname "$0")/lib.sh"
FLAGS=${PARK_FLAGS---max-handshakes 1 --handshake-timeout-ms 1000}
BOOT=00000000000000e4
K=50
RELAY_EXTRA="$FLAGS" start_relay "$T/data"
provision "$T/dev"
metric() { curl -sk "$API/metrics" -H "Authorization: Bearer $TOKEN" | awk -v k="$1" '$1 == k {print $2}'; }

# Stalled clients from 127.0.0.2 (the device connects from 127.0.0.1): each sends a
# whole ClientHello and never answers the relay's reply (a client that is not idle for
# the slot-holder demotion: only the handshake time limit frees its slot). Each one's
# close by the relay (FIN or RST: POLLRDHUP/POLLHUP/POLLERR, the relay's reply left
# unread) is timed from its connect; written after 5 s.
python3 - "$DPORT" "$T/slow" "$K" <<'PY' &
import select, socket, ssl, sys, time
port, out, k = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
def stalled():
    s = socket.socket(); s.bind(("127.0.0.2", 0)); s.connect(("127.0.0.1", port))
    t = ctx.wrap_socket(s, server_hostname="localhost", do_handshake_on_connect=False)
    t.setblocking(False)
    try:
        t.do_handshake() # sends the ClientHello; the reply is never read
    except ssl.SSLWantReadError:
        pass
    return t
first = stalled(); t_first = time.monotonic()
time.sleep(0.2) # the first holds the slot before the others come
rest = [stalled() for _ in range(k)]; t_rest = time.monotonic()
open(out + ".ready", "w").close()
po = select.poll()
byfd = {}
for t in [first] + rest:
    po.register(t.fileno(), select.POLLRDHUP)
    byfd[t.fileno()] = t
closed = {}
while time.monotonic() - t_first < 5.0 and len(closed) < len(byfd):
    for fd, ev in po.poll(50):
        if ev & (select.POLLRDHUP | select.POLLHUP | select.POLLERR) and byfd[fd] not in closed:
            closed[byfd[fd]] = time.monotonic()
            po.unregister(fd)
with open(out, "w") as f:
    f.write("first %.0f\n" % ((closed[first] - t_first) * 1000 if first in closed else -1))
    f.write("rest %d %.0f\n" % (sum(1 for s in rest if s in closed),
            max([(closed[s] - t_rest) * 1000 for s in rest if s in closed] or [-1])))
time.sleep(10) # keep the rest open (on a relay without the bound they stay parked)
PY
PIDS+=($!)
for _ in $(seq 100); do [ -e "$T/slow.ready" ] && break; sleep 0.05; done
[ -e "$T/slow.ready" ] || fail "stalled clients not connected"
sleep 0.3
[ "$(metric mvrelay_handshakes_parked)" -ge $((K - 10)) ] ||
  fail "expected about $K parked, got $(metric mvrelay_handshakes_parked)"

t0=$(date +%s%N)
out=$(timeout 15 "$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" --identity "$T/dev" \
  hello:$BOOT ping 2>&1) || true
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
grep -qx "PONG chan=0 len=8" <<<"$out" || fail "new device not served in $ms ms: $out"
[ "$ms" -lt 3000 ] || fail "new device served only after $ms ms behind $K parked clients"
ok "new device served in $ms ms with $K stalled clients parked before it and one in the slot"

for _ in $(seq 100); do [ -s "$T/slow" ] && break; sleep 0.1; done
read -r _ first_ms < <(grep '^first' "$T/slow") || fail "no stalled-client result"
read -r _ n_closed last_ms < <(grep '^rest' "$T/slow")
[ "$first_ms" -ge 0 ] && [ "$first_ms" -lt 2500 ] ||
  fail "the stalled client holding the slot was closed after $first_ms ms (-1: not within 5 s)"
ok "the stalled client holding the slot closed after $first_ms ms"
# The others got the slot in turn, newest first, each for its second: by 5 s a few.
[ "$n_closed" -ge 1 ] || fail "no parked client got the slot after the new device"
timed=$(metric mvrelay_handshakes_timed_out_total)
[ "$timed" -ge 1 ] || fail "slot time limit not counted: $timed"
ok "$n_closed of $K parked clients had the slot in turn and were closed by $last_ms ms ($timed slot timeouts)"
out=$(tdev "$T/dev" hello:$BOOT ping)
expect_line "$out" "PONG chan=0 len=8"
ok "afterwards a device is still served"

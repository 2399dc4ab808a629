#!/usr/bin/env bash
# relay_conns: N idle mutually authenticated TLS connections held by mvrelay, against
# Mosquitto holding the same N TLS clients (client certificates required) in the same run.
# Devices are provisioned from one CSR (one key, N certificates); relay_conns_drv holds the
# connections on one epoll loop (WebSocket + HELLO for the relay, MQTT CONNECT for the
# broker) and answers the relay's PINGs. Per server: time to establish all N, RSS added
# per connection, CPU over IDLE_S idle seconds (the relay PINGs every device once per 30 s
# interval, so a 30 s window contains one PING round), and latency for a new client to
# be served (WELCOME + PONG; CONNACK + PINGRESP) while N are held. Then a reconnect
# storm: STORM of the N clients (default min(10000, N/2)) are reset at once and reconnect
# with the device kernel's jittered back-off; measured: each one's time to be back
# (p50/p99, and until all are back), failed attempts, and the same new-client probe
# running throughout the storm (one attempt every 100 ms until all are back).
#   relay_conns.sh BUILD_DIR    (env CONNS, default 2000; IDLE_S, default 30; PROBES, 50;
#                                STORM, 0 to skip; DRV_PER, clients per driver process,
#                                default 10000; SERVERS, default "mvrelay mosquitto";
#                                RELAY_ARGS, extra mvrelay options, e.g. --accept-rate 200)
# CONNS larger than the descriptor limit allows is capped, and the line "cap:" says which
# limit capped it: the servers and drivers get the hard limit (ulimit -Hn) as soft limit;
# the relay admits connections up to that limit less its reserve (an eighth, at least 64,
# docs/relay.md); each driver process holds at most DRV_PER clients.
set -euo pipefail
B=$(cd "${1:?usage: relay_conns.sh BUILD_DIR}" && pwd)
N=${CONNS:-2000}
IDLE_S=${IDLE_S:-30}
PROBES=${PROBES:-50}
PER=${DRV_PER:-10000}
SERVERS=${SERVERS:-mvrelay mosquitto}
DRV="$B/bench/relay_conns_drv"
export MVBENCH_SPREAD_SRC=1 # each client from its own loopback address, as in the field
ulimit -n "$(ulimit -Hn)"
LIM=$(ulimit -n)
[ "$LIM" != unlimited ] || LIM=$(cat /proc/sys/fs/nr_open)
RESERVE=$((LIM / 8 > 64 ? LIM / 8 : 64))
CAP=$((LIM - RESERVE - 16)) # 16: the probe and slack for API connections
if [ "$N" -gt "$CAP" ]; then
  echo "cap: CONNS=$N capped to N=$CAP by the descriptor limit $LIM (ulimit -Hn): the relay" \
    "admits $LIM less its reserve of $RESERVE"
  N=$CAP
fi
[ "$PER" -le $((LIM - 64)) ] || PER=$((LIM - 64))
STORM=${STORM:-$((N / 2 < 10000 ? N / 2 : 10000))}
mkdir -p /tmp/mv-bench
T=$(mktemp -d /tmp/mv-bench/conns.XXXXXX)
PIDS=()
cleanup() {
  local p
  exec 3>&- 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "relay_conns: FAIL: $*" >&2; tail -n 20 "$T"/*.log >&2 || true; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

DPORT=$(free_port); APORT=$(free_port); MPORT=$(free_port)
# shellcheck disable=SC2086 # RELAY_ARGS: extra relay options, split on spaces
"$B/mvrelay" --data-dir "$T/data" --listen "127.0.0.1:$DPORT" --api-listen "127.0.0.1:$APORT" \
  ${RELAY_ARGS:-} 2>"$T/relay.log" &
RELAY=$!; PIDS+=("$RELAY")
for _ in $(seq 100); do grep -q 'mvrelay: ready' "$T/relay.log" && break; sleep 0.1; done
grep -q 'mvrelay: ready' "$T/relay.log" || fail "relay did not start"

# One key and CSR; N + 1 devices (the last one is the probe) over one keep-alive connection.
openssl ecparam -name prime256v1 -genkey -noout -out "$T/dev.key" 2>/dev/null
openssl req -new -key "$T/dev.key" -subj /CN=bench -out "$T/dev.csr" 2>/dev/null
python3 - "$APORT" "$T/data" "$T/dev.csr" "$T/certs.pem" $((N + 1)) <<'PY' || fail "provisioning"
import http.client, json, ssl, sys
port, data, csr, out, n = sys.argv[1], sys.argv[2], open(sys.argv[3]).read(), sys.argv[4], int(sys.argv[5])
ctx = ssl.create_default_context(cafile=data + "/ca.pem")
tok = open(data + "/admin.token").read().strip()
c = http.client.HTTPSConnection("localhost", int(port), context=ctx)
body = json.dumps({"csr": csr})
with open(out, "w") as f:
    for i in range(n):
        c.request("POST", "/v1/Devices", body, {"Authorization": "Bearer " + tok,
                                                "Content-Type": "application/json"})
        r = c.getresponse(); d = r.read()
        if r.status != 201:
            sys.exit("HTTP %d %s" % (r.status, d[:200]))
        f.write(json.loads(d)["certificate"])
PY

# hold MODE PORT: starts the driver processes (PER clients each, certificates split by
# index), each reading commands from its own FIFO (descriptors in CTL).
CTL=()
NDRV=0
hold() {
  local mode=$1 port=$2 i=0 base=0 n fd
  CTL=()
  while [ "$base" -lt "$N" ]; do
    n=$((N - base < PER ? N - base : PER))
    rm -f "$T/ctl$i" "$T/hold$i.out"; mkfifo "$T/ctl$i"
    MVBENCH_BACK_FILE="$T/back$i" "$DRV" hold "$mode" "$port" "$T/data/ca.pem" "$T/dev.key" \
      "$T/certs.pem" "$n" "$base" <"$T/ctl$i" >"$T/hold$i.out" 2>>"$T/drv.log" &
    PIDS+=("$!")
    exec {fd}>"$T/ctl$i"
    CTL+=("$fd")
    base=$((base + n)); i=$((i + 1))
  done
  NDRV=$i
}

# all_have WORD: 0 when every driver's output has a line starting with WORD.
all_have() {
  local i
  for ((i = 0; i < NDRV; i++)); do grep -q "^$1" "$T/hold$i.out" || return 1; done
}

# storm NAME MODE PORT: drops STORM clients (spread over the drivers by their share) while
# the probe runs; prints one result line.
storm() {
  local name=$1 mode=$2 port=$3 i k left=$STORM n probe back
  rm -f "$T/storm.done" "$T"/back*
  for ((i = 0; i < NDRV; i++)); do
    n=$(( (i + 1) * PER < N ? PER : N - i * PER ))
    k=$(( i == NDRV - 1 ? left : STORM * n / N )); left=$((left - k))
    echo "drop $k" >&"${CTL[$i]}"
  done
  MVBENCH_PROBE_UNTIL="$T/storm.done" MVBENCH_PROBE_GAP_MS=100 "$DRV" probe "$mode" "$port" \
    "$T/data/ca.pem" "$T/dev.key" "$T/certs.pem" "$N" 100000 >"$T/sprobe.out" \
    2>>"$T/drv.log" &
  local sp=$!; PIDS+=("$sp")
  for _ in $(seq 6000); do all_have back && break; sleep 0.1; done
  touch "$T/storm.done"
  wait "$sp" || true
  all_have back || fail "$name: storm: not all clients came back within 600 s"
  back=$(cat "$T"/back* | sort -n | awk '{ t[NR] = $1 } END {
    if (NR) printf "%d %.1f %.1f %.2f", NR, t[int(NR / 2) + 1], t[int((NR * 99 + 99) / 100)], t[NR] / 1000; else print "0 - - -" }')
  local retries lost
  retries=$(cat "$T"/hold*.out | awk '/^back/ { r += $7 } END { print r + 0 }')
  lost=$(cat "$T"/hold*.out | awk '/^back/ { l += $9 } END { print l + 0 }')
  set -- $(cat "$T/sprobe.out")
  printf "%-10s %7s %8s %8s %8s %7s %5s %8s %8s %8s %8s\n" "$name" $back "$retries" "$lost" \
    "$4" "$6" "$8" "$2"
}

# measure NAME PID MODE PORT: prints one result line (and a storm line into $T/storm.txt).
measure() {
  local name=$1 pid=$2 mode=$3 port=$4 rss0 rss1 c0 c1 probe i fd
  sleep 1
  rss0=$(rss_kb "$pid")
  hold "$mode" "$port"
  for _ in $(seq 2400); do all_have ready && break; sleep 0.5; done
  all_have ready || fail "$name: clients not established"
  local ready; ready=$(cat "$T"/hold*.out | awk '/^ready/ { e += $2; f += $4; if ($3 > m) m = $3 }
    END { print e, m, f }')
  sleep 2
  c0=$(cpu_ticks "$pid"); sleep "$IDLE_S"; c1=$(cpu_ticks "$pid")
  rss1=$(rss_kb "$pid") # steady state: after the idle window
  probe=$("$DRV" probe "$mode" "$port" "$T/data/ca.pem" "$T/dev.key" "$T/certs.pem" "$N" \
    "$PROBES" 2>>"$T/drv.log") || fail "$name: probe failed: $probe"
  [ "$STORM" -le 0 ] || storm "$name" "$mode" "$port" >>"$T/storm.txt"
  for fd in "${CTL[@]}"; do exec {fd}>&-; done
  for _ in $(seq 100); do all_have alive && break; sleep 0.1; done
  local alive; alive=$(cat "$T"/hold*.out | awk '/^alive/ { a += $2; n++ } END { if (n) print a }')
  set -- $ready; local est=$1 ms=$2 failed=$3
  set -- $probe
  awk -v n="$name" -v N="$N" -v est="$est" -v al="${alive:-?}" -v ms="$ms" -v f="$failed" \
      -v r0="$rss0" -v r1="$rss1" -v c0="$c0" -v c1="$c1" -v hz="$(getconf CLK_TCK)" \
      -v s="$IDLE_S" -v p50="$4" -v p99="$6" -v mx="$8" 'BEGIN {
    printf "%-10s %6d %6d %6s %8.2f %10.1f %9.2f %8s %8s %8s\n", n, N, est, al, ms / 1000,
      (r1 - r0) / N, 100 * (c1 - c0) / hz / s, p50, p99, mx }'
}

printf "%-10s %6s %6s %6s %8s %10s %9s %8s %8s %8s\n" server N est alive accept_s \
  KB/conn idle_cpu% new_p50 new_p99 new_max
line_r= line_m=
if [[ " $SERVERS " == *" mvrelay "* ]]; then
  line_r=$(measure mvrelay "$RELAY" relay "$DPORT"); echo "$line_r"
fi
kill -TERM "$RELAY"; wait "$RELAY" 2>/dev/null || true

if [[ " $SERVERS " == *" mosquitto "* ]]; then
  {
    echo "listener $MPORT 127.0.0.1"
    echo "persistence false"
    echo "log_dest none"
    echo "cafile $T/data/ca.pem"
    echo "certfile $T/data/server.pem"
    echo "keyfile $T/data/server.key"
    echo "require_certificate true"
    echo "allow_anonymous true"
    [ "$(id -u)" != 0 ] || echo "user root"
  } >"$T/mosquitto.conf"
  mosquitto -c "$T/mosquitto.conf" >"$T/mosquitto.log" 2>&1 &
  MOSQ=$!; PIDS+=("$MOSQ")
  for _ in $(seq 50); do (exec 4<>"/dev/tcp/127.0.0.1/$MPORT") 2>/dev/null && break; sleep 0.1; done
  line_m=$(measure mosquitto "$MOSQ" mqtt "$MPORT"); echo "$line_m"
fi

if [ -n "$line_r" ] && [ -n "$line_m" ]; then
  awk -v r="$line_r" -v m="$line_m" 'BEGIN {
    split(r, a); split(m, b)
    printf "ratio mvrelay/mosquitto: KB/conn %.2f, idle CPU %s, accept time %.2f, new p99 %.2f\n",
      (b[6] > 0 ? a[6] / b[6] : 0), (b[7] > 0 ? sprintf("%.1f", a[7] / b[7]) : "(mosquitto 0%)"),
      (b[5] > 0 ? a[5] / b[5] : 0), (b[9] > 0 ? a[9] / b[9] : 0) }'
fi
if [ -s "$T/storm.txt" ]; then
  echo "reconnect storm: $STORM of the $N reset at once, back with the device back-off; new client meanwhile:"
  printf "%-10s %7s %8s %8s %8s %7s %5s %8s %8s %8s %8s\n" server back back_p50 back_p99 \
    all_back_s retries lost new_p50 new_p99 new_max served
  cat "$T/storm.txt"
  if [ "$(wc -l <"$T/storm.txt")" -eq 2 ]; then
    awk 'NR == 1 { split($0, a) } NR == 2 { split($0, b) } END {
      printf "ratio mvrelay/mosquitto (storm): all back %.2f, new p99 %.2f\n",
        (b[5] > 0 ? a[5] / b[5] : 0), (b[9] > 0 ? a[9] / b[9] : 0) }' "$T/storm.txt"
  fi
fi

#!/usr/bin/env bash
# relay_conns: N idle mutually authenticated TLS connections held by mvrelay, against
# Mosquitto holding the same N TLS clients (client certificates required) in the same run.
# Devices are provisioned from one CSR (one key, N certificates); relay_conns_drv holds the
# connections on one epoll loop (WebSocket + HELLO for the relay, MQTT CONNECT for the
# broker) and answers the relay's PINGs. Per server: time to establish all N, RSS added
# per connection, CPU over IDLE_S idle seconds (the relay PINGs every device once per 30 s
# interval, so a 30 s window contains one PING round), and latency for a new client to
# be served (WELCOME + PONG; CONNACK + PINGRESP) while N are held.
#   relay_conns.sh BUILD_DIR    (env CONNS, default 2000; IDLE_S, default 30; PROBES, 50)
set -euo pipefail
B=$(cd "${1:?usage: relay_conns.sh BUILD_DIR}" && pwd)
N=${CONNS:-2000}
IDLE_S=${IDLE_S:-30}
PROBES=${PROBES:-50}
DRV="$B/bench/relay_conns_drv"
ulimit -n "$(ulimit -Hn)"
if [ $((N + 200)) -gt "$(ulimit -n)" ]; then
  echo "relay_conns: descriptor limit $(ulimit -n) is below CONNS=$N + 200" >&2
  exit 1
fi
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
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "relay_conns: FAIL: $*" >&2; tail -n 20 "$T"/*.log >&2 || true; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

DPORT=$(free_port); APORT=$(free_port); MPORT=$(free_port)
"$B/mvrelay" --data-dir "$T/data" --listen "127.0.0.1:$DPORT" --api-listen "127.0.0.1:$APORT" \
  2>"$T/relay.log" &
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

# measure NAME PID MODE PORT: prints one result line.
measure() {
  local name=$1 pid=$2 mode=$3 port=$4 rss0 rss1 c0 c1 ready probe
  sleep 1
  rss0=$(rss_kb "$pid")
  rm -f "$T/ctl"; mkfifo "$T/ctl"
  "$DRV" hold "$mode" "$port" "$T/data/ca.pem" "$T/dev.key" "$T/certs.pem" "$N" \
    <"$T/ctl" >"$T/hold.out" 2>"$T/drv.log" &
  PIDS+=("$!")
  exec 3>"$T/ctl"
  for _ in $(seq 1200); do grep -q '^ready' "$T/hold.out" && break; sleep 0.5; done
  ready=$(grep '^ready' "$T/hold.out") || fail "$name: clients not established"
  sleep 2
  c0=$(cpu_ticks "$pid"); sleep "$IDLE_S"; c1=$(cpu_ticks "$pid")
  rss1=$(rss_kb "$pid") # steady state: after the idle window
  probe=$("$DRV" probe "$mode" "$port" "$T/data/ca.pem" "$T/dev.key" "$T/certs.pem" "$N" \
    "$PROBES" 2>>"$T/drv.log") || fail "$name: probe failed: $probe"
  exec 3>&-
  for _ in $(seq 100); do grep -q '^alive' "$T/hold.out" && break; sleep 0.1; done
  local alive; alive=$(awk '/^alive/ {print $2}' "$T/hold.out")
  set -- $ready; local est=$2 ms=$3 failed=$4
  set -- $probe
  awk -v n="$name" -v N="$N" -v est="$est" -v al="${alive:-?}" -v ms="$ms" -v f="$failed" \
      -v r0="$rss0" -v r1="$rss1" -v c0="$c0" -v c1="$c1" -v hz="$(getconf CLK_TCK)" \
      -v s="$IDLE_S" -v p50="$4" -v p99="$6" -v mx="$8" 'BEGIN {
    printf "%-10s %6d %6d %6s %8.2f %10.1f %9.2f %8s %8s %8s\n", n, N, est, al, ms / 1000,
      (r1 - r0) / N, 100 * (c1 - c0) / hz / s, p50, p99, mx }'
}

printf "%-10s %6s %6s %6s %8s %10s %9s %8s %8s %8s\n" server N est alive accept_s \
  KB/conn idle_cpu% new_p50 new_p99 new_max
line_r=$(measure mvrelay "$RELAY" relay "$DPORT"); echo "$line_r"
kill -TERM "$RELAY"; wait "$RELAY" 2>/dev/null || true

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

awk -v r="$line_r" -v m="$line_m" 'BEGIN {
  split(r, a); split(m, b)
  printf "ratio mvrelay/mosquitto: KB/conn %.2f, idle CPU %s, accept time %.2f, new p99 %.2f\n",
    (b[6] > 0 ? a[6] / b[6] : 0), (b[7] > 0 ? sprintf("%.1f", a[7] / b[7]) : "(mosquitto 0%)"),
    (b[5] > 0 ? a[5] / b[5] : 0), (b[9] > 0 ? a[9] / b[9] : 0) }'

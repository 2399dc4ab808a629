#!/usr/bin/env bash
# relay_http: proxied HTTPS GET (1 KiB body) through a real mvrelay versus direct
# keep-alive requests from curl to the same local nginx, in the same run. For N = 1, 8
# and 32 devices (one relay_http_drv process each, closed loop: OPEN, HTTP_REQUEST,
# HTTP_RESPONSE, CLOSE) it prints requests/s, p50/p99 latency (HTTP_REQUEST sent to
# response received) and the same for N curl processes making keep-alive requests; then
# the ratios (proxied/direct throughput, p50 overhead). Not a test: figures only.
#   relay_http.sh BUILD_DIR        (env SECONDS_PER_RUN, default 3)
set -euo pipefail
B=$(cd "${1:?usage: relay_http.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")/.." && pwd)
SECS=${SECONDS_PER_RUN:-3}
command -v nginx >/dev/null || { echo "relay_http: nginx not installed (make deps)"; exit 1; }
mkdir -p /tmp/mv-bench
T=$(mktemp -d /tmp/mv-bench/http.XXXXXX)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "relay_http: FAIL: $*" >&2; tail -n 20 "$T/relay.log" "$T/nginx.err" >&2 || true; exit 1; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
. "$HERE/cloud/tests/http/lib_http.sh"
make_target_ca "$T/tgt"

# nginx: one worker, keep-alive without a request limit, a static 1 KiB body.
NPORT=$(free_port)
head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 >"$T/kib"
chmod 711 "$T"; chmod 644 "$T/kib" # nginx workers run as an unprivileged user
mkdir -p "$T/nginx"
cat >"$T/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $T/nginx.pid;
error_log $T/nginx.err warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $T/nginx/body; proxy_temp_path $T/nginx/proxy;
  fastcgi_temp_path $T/nginx/fcgi; uwsgi_temp_path $T/nginx/uwsgi; scgi_temp_path $T/nginx/scgi;
  keepalive_requests 1000000; keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$NPORT ssl;
    ssl_certificate $T/tgt/server.pem; ssl_certificate_key $T/tgt/server.key;
    location = /kib { default_type application/octet-stream; alias $T/kib; }
  }
}
NGX
nginx -p "$T/nginx" -c "$T/nginx.conf" -e "$T/nginx.err" &
PIDS+=("$!")
URL="https://localhost:$NPORT/kib"
for _ in $(seq 50); do curl -s --cacert "$T/tgt/ca.pem" -o /dev/null "$URL" && break; sleep 0.1; done
curl -sf --cacert "$T/tgt/ca.pem" -o /dev/null "$URL" || fail "nginx not serving"

DPORT=$(free_port); APORT=$(free_port)
"$B/mvrelay" --data-dir "$T/data" --listen "127.0.0.1:$DPORT" --api-listen "127.0.0.1:$APORT" \
  --http-ca-file "$T/tgt/ca.pem" --http-allow "localhost:$NPORT" \
  --http-rate-per-device 100000000 --http-rate-burst 1000000 >"$T/relay.log" 2>&1 &
RELAY_PID=$!
PIDS+=("$RELAY_PID")
for _ in $(seq 100); do grep -q "mvrelay: ready" "$T/relay.log" && break; sleep 0.1; done
grep -q "mvrelay: ready" "$T/relay.log" || fail "relay not ready"
TOKEN=$(cat "$T/data/admin.token")
for i in $(seq 32); do
  mkdir -p "$T/dev$i"
  body=$(curl -sS --fail --cacert "$T/data/ca.pem" -H "Authorization: Bearer $TOKEN" \
    -X POST -d '{}' "https://localhost:$APORT/v1/Devices") || fail "provision"
  jq -r .private_key <<<"$body" >"$T/dev$i/device.key.pem"
  jq -r .certificate <<<"$body" >"$T/dev$i/device.cert.pem"
done

# pct FILE P: the P-th percentile (µs values, one per line) in ms.
pct() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100); if (i < 1) i = 1; printf "%.2f", v[i] / 1000 }'; }

# cpu PID: user+system CPU time of a process so far, in clock ticks.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
NGINX_WORKER=""

proxied() { # N: sets P_RPS, P_P50, P_P99, RELAY_US and NGINX_US (CPU µs per request)
  local n=$1 i pids=() total=0 t0 t1 rc0 rc1 nc0 nc1
  rm -f "$T"/lat.*
  [ -n "$NGINX_WORKER" ] || NGINX_WORKER=$(pgrep -P "$(cat "$T/nginx.pid")" | head -1)
  rc0=$(cpu "$RELAY_PID"); nc0=$(cpu "$NGINX_WORKER")
  t0=$(date +%s.%N)
  for i in $(seq "$n"); do
    "$B/bench/relay_http_drv" --port "$DPORT" --ca "$T/data/ca.pem" --identity "$T/dev$i" \
      --url "$URL" --seconds "$SECS" --out "$T/lat.$i" >"$T/drv.$i" 2>&1 &
    pids+=("$!")
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || fail "driver $((i + 1)): $(cat "$T/drv.$((i + 1))")"; done
  t1=$(date +%s.%N)
  rc1=$(cpu "$RELAY_PID"); nc1=$(cpu "$NGINX_WORKER")
  cat "$T"/lat.* >"$T/lat.all"
  total=$(wc -l <"$T/lat.all")
  local hz; hz=$(getconf CLK_TCK)
  RELAY_US=$(awk -v c=$((rc1 - rc0)) -v n="$total" -v hz="$hz" 'BEGIN { printf "%.0f", c * 1e6 / hz / n }')
  NGINX_US=$(awk -v c=$((nc1 - nc0)) -v n="$total" -v hz="$hz" 'BEGIN { printf "%.0f", c * 1e6 / hz / n }')
  P_RPS=$(awk -v n="$total" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  P_P50=$(pct "$T/lat.all" 50); P_P99=$(pct "$T/lat.all" 99)
}

direct() { # N: N curl processes, keep-alive, K requests each; sets D_RPS, D_P50, D_P99
  local n=$1 k=$2 i pids=() t0 t1
  printf 'url = "%s"\n' $(for _ in $(seq "$k"); do echo "$URL"; done) >"$T/curl.cfg"
  rm -f "$T"/dlat.*
  t0=$(date +%s.%N)
  for i in $(seq "$n"); do
    curl -s --cacert "$T/tgt/ca.pem" -K "$T/curl.cfg" -w '%{stderr}%{time_starttransfer} %{time_pretransfer} %{time_total}\n' \
      >/dev/null 2>"$T/dlat.$i" &
    pids+=("$!")
  done
  for p in "${pids[@]}"; do wait "$p" || fail "curl"; done
  t1=$(date +%s.%N)
  # per request on a reused connection: time_total (curl's pretransfer stamp is cached)
  cat "$T"/dlat.* | awk '{ printf "%.0f\n", $3 * 1e6 }' >"$T/dlat.all"
  D_RPS=$(awk -v n="$(wc -l <"$T/dlat.all")" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  D_P50=$(pct "$T/dlat.all" 50); D_P99=$(pct "$T/dlat.all" 99)
}

echo "relay_http: GET 1 KiB over HTTPS from nginx; ${SECS}s per proxied run; curl -K (keep-alive) direct"
printf '%-4s %10s %9s %9s | %10s %9s %9s | %6s %10s | %9s %9s\n' N proxied/s p50_ms p99_ms \
  direct/s p50_ms p99_ms ratio p50_over relay_us nginx_us
for n in 1 8 32; do
  proxied "$n"
  direct "$n" $(( n == 1 ? 3000 : 600 ))
  ratio=$(awk -v a="$P_RPS" -v b="$D_RPS" 'BEGIN { printf "%.2f", a / b }')
  over=$(awk -v a="$P_P50" -v b="$D_P50" 'BEGIN { printf "%+.2f ms", a - b }')
  printf '%-4s %10s %9s %9s | %10s %9s %9s | %6s %10s | %9s %9s\n' "$n" "$P_RPS" "$P_P50" \
    "$P_P99" "$D_RPS" "$D_P50" "$D_P99" "$ratio" "$over" "$RELAY_US" "$NGINX_US"
done
grep -c 'msg="http request"' "$T/relay.log" | awk '{ print "relay logged " $1 " requests" }'
echo "ratio = proxied/direct requests/s; p50_over = proxied p50 - direct p50;"
echo "relay_us / nginx_us = CPU time per proxied request of mvrelay / the nginx worker"
echo "(the rest of the 2 cores goes to the driver processes: TLS + WebSocket per device)"

# Helpers for the HTTP proxy tests (sourced after cloud/tests/lib.sh or tests/e2e/lib.sh):
# a throwaway CA and server certificate for localhost/127.0.0.1, and the local HTTPS
# test target (https_server.py) on a free port, stopped by PID with the other processes.
HTTP_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# make_target_ca DIR: DIR/ca.pem, DIR/server.pem, DIR/server.key (SANs: localhost,
# 127.0.0.1, target.test).
make_target_ca() {
  local d=$1
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=mvisor-test-target-ca -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
    -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:target.test\n' >"$d/ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
    -CAcreateserial -days 2 -extfile "$d/ext" -out "$d/server.pem" 2>/dev/null
}

# start_target DIR: starts the HTTPS target (and the never-answering TCP listener);
# sets TPORT, HANG_PORT, PLAIN_PORT (plain HTTP) and TARGET_PID (the caller adds it to
# its cleanup list).
start_target() {
  local d=$1
  python3 "$HTTP_HERE/https_server.py" --cert "$d/server.pem" --key "$d/server.key" \
    --port-file "$d/port" --hang-port-file "$d/hang_port" --plain-port-file "$d/plain_port" \
    2>>"$d/server.log" &
  TARGET_PID=$!
  for _ in $(seq 100); do [ -s "$d/port" ] && [ -s "$d/hang_port" ] && break; sleep 0.05; done
  [ -s "$d/port" ] || { echo "FAIL: HTTPS target did not start" >&2; kill "$TARGET_PID"; exit 1; }
  TPORT=$(cat "$d/port")
  HANG_PORT=$(cat "$d/hang_port")
  PLAIN_PORT=$(cat "$d/plain_port")
}

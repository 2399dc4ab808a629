# Shared helpers for the relay integration tests (sourced, not run). Every test gets a
# temp dir, free loopback ports and a relay it starts itself; the EXIT trap stops every
# process started here and removes the temp dir.
set -euo pipefail
: "${B:?B must name the build dir, e.g. build/host}"
B=$(cd "$B" && pwd)
RELAY="$B/mvrelay"
TDEV="$B/tests/mvtdev"
T=$(mktemp -d /tmp/mvr-integ.XXXXXX)
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

fail() { echo "FAIL: $*" >&2; [ -f "$T/relay.log" ] && tail -n 30 "$T/relay.log" >&2; exit 1; }
ok() { echo "ok: $*"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_relay DATA_DIR: starts mvrelay and waits (bounded) for its ready line.
start_relay() {
  DATA=$1
  DPORT=$(free_port); APORT=$(free_port)
  "$RELAY" --data-dir "$DATA" --listen "127.0.0.1:$DPORT" --api-listen "127.0.0.1:$APORT" \
    --ping-interval "${PING_INTERVAL:-30}" ${RELAY_EXTRA:-} >>"$T/relay.log" 2>&1 &
  RELAY_PID=$!
  PIDS+=("$RELAY_PID")
  for _ in $(seq 100); do
    grep -q "mvrelay: ready device=127.0.0.1:$DPORT" "$T/relay.log" 2>/dev/null && break
    kill -0 "$RELAY_PID" 2>/dev/null || fail "relay exited during start"
    sleep 0.1
  done
  grep -q "mvrelay: ready device=127.0.0.1:$DPORT" "$T/relay.log" || fail "relay not ready"
  TOKEN=$(cat "$DATA/admin.token")
  API="https://localhost:$APORT"
}

# stop_relay: SIGTERM, expect a clean exit 0 within 5 s.
stop_relay() {
  kill -TERM "$RELAY_PID"
  local rc=0
  for _ in $(seq 50); do kill -0 "$RELAY_PID" 2>/dev/null || break; sleep 0.1; done
  wait "$RELAY_PID" || rc=$?
  [ "$rc" -eq 0 ] || fail "relay exit status $rc after SIGTERM"
}

# api METHOD PATH [BODY]: prints the body; `status` prints the HTTP status afterwards
# (a file, because callers run api in a command substitution).
api() {
  local out
  out=$(curl -sS --max-time 10 --cacert "$DATA/ca.pem" -X "$1" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${3:+--data-binary "$3"} -w '\n%{http_code}' "$API$2")
  printf '%s' "${out##*$'\n'}" >"$T/http_status"
  printf '%s' "${out%$'\n'*}"
}

status() { cat "$T/http_status"; }

# provision_fleet N: N device certificates issued for one key, through POST /v1/Devices with
# a CSR (what a load driver needs to hold N sessions): the key in $T/k.pem, the
# certificates concatenated in $T/certs.pem.
provision_fleet() {
  openssl ecparam -name prime256v1 -genkey -noout -out "$T/k.pem" 2>/dev/null
  openssl req -new -key "$T/k.pem" -subj /CN=fleet -out "$T/k.csr" 2>/dev/null
  python3 - "$APORT" "$DATA" "$T/k.csr" "$T/certs.pem" "$1" <<'PY' || fail "provisioning from one CSR"
import http.client, json, ssl, sys
port, data, csr, out, n = sys.argv[1], sys.argv[2], open(sys.argv[3]).read(), sys.argv[4], int(sys.argv[5])
c = http.client.HTTPSConnection("localhost", int(port),
                                context=ssl.create_default_context(cafile=data + "/ca.pem"))
hdr = {"Authorization": "Bearer " + open(data + "/admin.token").read().strip(),
       "Content-Type": "application/json"}
with open(out, "w") as f:
    for i in range(n):
        c.request("POST", "/v1/Devices", json.dumps({"csr": csr}), hdr)
        r = c.getresponse(); d = r.read()
        if r.status != 201:
            sys.exit("HTTP %d %s" % (r.status, d[:200]))
        f.write(json.loads(d)["certificate"])
PY
}

# provision DIR: creates a device through the API and writes an identity dir.
provision() {
  local dir=$1 body
  mkdir -p "$dir"
  body=$(api POST /v1/Devices '{}')
  [ "$(status)" = 201 ] || fail "provision: HTTP $(status) $body"
  jq -r .device.id <<<"$body" >"$dir/device_id"
  jq -r .private_key <<<"$body" >"$dir/device.key.pem"
  chmod 600 "$dir/device.key.pem"
  jq -r .certificate <<<"$body" >"$dir/device.cert.pem"
  jq -r .ca_certificate <<<"$body" >"$dir/ca.pem"
}

# tdev IDENTITY_DIR STEP...: runs the test device (bounded by its socket timeouts).
tdev() {
  local id=$1; shift
  timeout 30 "$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" ${id:+--identity "$id"} "$@"
}

expect_line() { grep -qx -- "$2" <<<"$1" || fail "expected line '$2' in: $1"; }

# After a protocol error the relay closes with WebSocket status 1002.
expect_closed() {
  grep -qx -- "CLOSED code=1002" <<<"$1" || fail "not closed with 1002: $1"
}

#!/usr/bin/env bash
# Integration: the device connection stack against a real mvrelay on loopback.
# Provisions a device through the REST API (curl + admin token), writes an identity
# directory, and runs conn_relay_client (HELLO/WELCOME over mutual TLS, LOG -> LOG_ACK,
# reconnect reports the acked seq). Env: B = build dir (e.g. build/host).
set -euo pipefail
B=${B:?set B to the build directory}
relay="$B/mvrelay"
client="$B/tests/conn_relay_client"
for f in "$relay" "$client"; do
  [ -x "$f" ] || { echo "FAIL: $f not built" >&2; exit 1; }
done

work=$(mktemp -d /tmp/conn-integ.XXXXXX)
relay_pid=
cleanup() {
  if [ -n "$relay_pid" ] && kill -0 "$relay_pid" 2>/dev/null; then
    kill -TERM "$relay_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$relay_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$relay_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
dport=$(free_port); aport=$(free_port)
while [ "$aport" = "$dport" ]; do aport=$(free_port); done

"$relay" --data-dir "$work/data" --listen "127.0.0.1:$dport" --api-listen "127.0.0.1:$aport" \
  2>"$work/relay.log" &
relay_pid=$!
for _ in $(seq 100); do
  grep -q '^mvrelay: ready' "$work/relay.log" 2>/dev/null && break
  kill -0 "$relay_pid" 2>/dev/null || { echo "FAIL: relay exited"; cat "$work/relay.log"; exit 1; }
  sleep 0.1
done
grep -q '^mvrelay: ready' "$work/relay.log" || { echo "FAIL: relay not ready in 10 s"; cat "$work/relay.log"; exit 1; }

token=$(cat "$work/data/admin.token")
curl -sS --max-time 10 --cacert "$work/data/ca.pem" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -X POST -d '{}' \
  -o "$work/prov.json" -w '%{http_code}' "https://localhost:$aport/v1/Devices" > "$work/code"
[ "$(cat "$work/code")" = 201 ] || { echo "FAIL: provisioning HTTP $(cat "$work/code")"; cat "$work/prov.json"; exit 1; }

id_dir="$work/identity"
python3 - "$work/prov.json" "$id_dir" <<'PY'
import json, os, sys
p = json.load(open(sys.argv[1])); d = sys.argv[2]
os.makedirs(d, exist_ok=True)
open(os.path.join(d, "device_id"), "w").write(p["device"]["id"] + "\n")
fd = os.open(os.path.join(d, "device.key.pem"), os.O_WRONLY | os.O_CREAT, 0o600)
os.write(fd, p["private_key"].encode()); os.close(fd)
open(os.path.join(d, "device.cert.pem"), "w").write(p["certificate"])
open(os.path.join(d, "ca.pem"), "w").write(p["ca_certificate"])
PY

if ! timeout 30 "$client" --identity "$id_dir" --relay "wss://localhost:$dport" --timeout 20; then
  echo "FAIL: client"; echo "--- relay log"; tail -n 40 "$work/relay.log"; exit 1
fi

# The records are in the store: the REST API returns them.
dev=$(cat "$id_dir/device_id")
curl -sS --max-time 10 --cacert "$work/data/ca.pem" -H "Authorization: Bearer $token" \
  "https://localhost:$aport/v1/Devices/$dev/Logs" > "$work/logs.json"
python3 - "$work/logs.json" <<'PY'
import json, sys
logs = json.load(open(sys.argv[1]))["logs"]
seqs = [l["seq"] for l in logs]
assert seqs == [1, 2, 3], f"stored seqs {seqs}"
assert logs[0]["message"] == "conn integration record 1", logs[0]
PY
echo "PASS"

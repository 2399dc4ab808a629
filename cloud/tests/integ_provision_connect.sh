#!/usr/bin/env bash
# Provisioning and the device endpoint's authentication: a provisioned device connects
# and gets WELCOME; no client certificate, a self-signed rogue certificate with the
# same CN, and an unknown path are refused; the relay keeps serving afterwards.
. "$(dirname "$0")/lib.sh"
start_relay "$T/data"
# Both listeners are bound to 127.0.0.1 only, never to a wildcard address.
python3 - "$DPORT" "$APORT" <<'PY' || fail "listener not bound to 127.0.0.1 only"
import sys
ports = {int(p) for p in sys.argv[1:]}
found = {}
for f in ("/proc/net/tcp", "/proc/net/tcp6"):
    for line in open(f).readlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        addr, port = local.rsplit(":", 1)
        if state == "0A" and int(port, 16) in ports:
            found.setdefault(int(port, 16), []).append(addr)
sys.exit(0 if all(found.get(p) == ["0100007F"] for p in ports) else 1)
PY
ok "listeners bound to 127.0.0.1"
provision "$T/dev"
ID=$(cat "$T/dev/device_id")
[[ "$ID" =~ ^UV[0-9a-f]{32}$ ]] || fail "bad id $ID"

out=$(tdev "$T/dev" hello:00000000000000a1)
expect_line "$out" "WELCOME version=1 acked=none window=65536 ping=30"
ok "provisioned device connects"

# Session metadata is written by the store's writer in its next group commit: wait
# (bounded) for it instead of expecting it at the moment the session ends.
for _ in $(seq 50); do
  body=$(api GET "/v1/Devices/$ID")
  [ "$(jq -r .boot_id <<<"$body")" = 00000000000000a1 ] && break
  sleep 0.1
done
[ "$(jq -r .boot_id <<<"$body")" = 00000000000000a1 ] || fail "boot_id not tracked: $body"
[ "$(jq -r .last_seen <<<"$body")" != null ] || fail "last_seen not set"
ok "device facts tracked"

# Each refusal must be the specific one (a TLS alert from the relay, its log line), not
# any failure of the client.
out=$(tdev "" hello:1 || true)
expect_line "$out" "CONNECT_FAILED tls: tlsv13 alert certificate required"
ok "missing client certificate refused (TLS alert 116)"

mkdir -p "$T/rogue"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj "/CN=$ID" -keyout "$T/rogue/device.key.pem" -out "$T/rogue/device.cert.pem" 2>/dev/null
rejected() { grep -c 'client certificate rejected.*reason="chain"' "$T/relay.log" || true; }
before=$(rejected)
out=$(tdev "$T/rogue" hello:1 || true)
expect_line "$out" "CONNECT_FAILED tls: tlsv1 alert unknown ca"
[ "$(rejected)" = $((before + 1)) ] || fail "the relay did not log the rejected chain"
ok "self-signed rogue certificate with the same CN refused (TLS alert 48, logged)"

out=$(timeout 30 "$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" --identity "$T/dev" --path /other hello:1 || true)
expect_line "$out" "CONNECT_FAILED tls: closed before the upgrade answer"
grep -q 'msg="device connection refused" reason="path"' "$T/relay.log" || fail "no log line for the path"
ok "unknown path refused (closed before the upgrade, logged)"

out=$(tdev "$T/dev" hello:00000000000000a2 ping)
expect_line "$out" "PONG chan=0 len=8"
ok "relay still serves; PING answered"
# Provisioning from a CSR: the relay signs the CSR's key, CN replaced by the new id.
mkdir -p "$T/csr"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=whatever \
  -keyout "$T/csr/device.key.pem" -out "$T/csr/req.pem" 2>/dev/null
body=$(api POST /v1/Devices "$(jq -n --rawfile c "$T/csr/req.pem" '{csr:$c}')")
[ "$(status)" = 201 ] || fail "CSR provisioning: $(status) $body"
[ "$(jq -r .private_key <<<"$body")" = null ] || fail "private key returned for a CSR"
CID=$(jq -r .device.id <<<"$body")
jq -r .certificate <<<"$body" >"$T/csr/device.cert.pem"
openssl x509 -in "$T/csr/device.cert.pem" -noout -subject | grep -q "CN = $CID" || fail "CSR CN"
out=$(tdev "$T/csr" hello:5)
grep -q '^WELCOME' <<<"$out" || fail "CSR device cannot connect: $out"
python3 - "$T/csr/req.pem" <<'PY'
import base64, sys
lines = open(sys.argv[1]).read().split("\n")
der = bytearray(base64.b64decode("".join(l for l in lines if l and not l.startswith("-----"))))
der[-5] ^= 0x01  # inside the ECDSA signature
b64 = base64.b64encode(bytes(der)).decode()
body = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
open(sys.argv[1], "w").write("-----BEGIN CERTIFICATE REQUEST-----\n" + body +
                             "\n-----END CERTIFICATE REQUEST-----\n")
PY
api POST /v1/Devices "$(jq -n --rawfile c "$T/csr/req.pem" '{csr:$c}')" >/dev/null
[ "$(status)" = 400 ] || fail "corrupted CSR accepted: $(status)"
ok "CSR provisioning"

# A certificate from the relay's own CA for a device id never provisioned: the upgrade is
# accepted (the device lookup runs off the loop, device/admit.c), then the held HELLO is
# answered with ERROR and the connection closed with 1008; no WELCOME.
mkdir -p "$T/ghost"
GID=UV$(openssl rand -hex 16)
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$GID" \
  -keyout "$T/ghost/device.key.pem" -out "$T/ghost/req.pem" 2>/dev/null
openssl x509 -req -in "$T/ghost/req.pem" -CA "$DATA/ca.pem" -CAkey "$DATA/ca.key" \
  -set_serial 77 -days 1 -out "$T/ghost/device.cert.pem" 2>/dev/null || fail "ghost certificate"
out=$(tdev "$T/ghost" hello:7 wait_close || true)
grep -q '^WELCOME' <<<"$out" && fail "an unprovisioned device got WELCOME: $out"
expect_line "$out" "ERROR code=7 frame=0 msg=device not provisioned"
expect_line "$out" "CLOSED code=1008"
grep -q "msg=\"device connection refused\" reason=\"certificate\" device=$GID" "$T/relay.log" ||
  fail "no log line for the unprovisioned device"
ok "a CA-signed certificate of an unprovisioned device: ERROR, close 1008, logged"

m=$(api GET /metrics)
grep -q 'mvrelay_errors_total{kind="cert_rejected"} [1-9]' <<<"$m" || fail "cert rejections not counted"
stop_relay

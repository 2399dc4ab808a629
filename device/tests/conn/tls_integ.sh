#!/usr/bin/env bash
# Integration: the device connection stack (link, mbedTLS, WebSocket, conn) against
# an OpenSSL server with client-certificate checks (mini_relay.py): P-256 certificates
# made here, server SANs DNS:localhost + IP:127.0.0.1, device CN = device id.
# Needs no relay binary, so it runs before the real relay exists. Env: B = build dir.
set -euo pipefail
B=${B:?set B to the build directory}
here=$(cd "$(dirname "$0")" && pwd)
client="$(cd "$B" && pwd)/tests/conn_relay_client"
[ -x "$client" ] || { echo "FAIL: $client not built" >&2; exit 1; }

work=$(mktemp -d /tmp/conn-tls.XXXXXX)
relay_pid=
cleanup() {
  if [ -n "$relay_pid" ]; then kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

dev="UV$(openssl rand -hex 16)"
ossl() { openssl "$@" 2>>"$work/openssl.log"; }
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
ossl req -x509 -new -key ca.key -subj /CN=mvisor-test-ca -days 2 -out ca.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
mkcert() { # name CN extfile-lines
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
  ossl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
  printf '%s\n' "$3" > "$1.ext"
  ossl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile "$1.ext" -out "$1.pem"
}
mkcert server localhost "subjectAltName=DNS:localhost,IP:127.0.0.1"
mkcert device "$dev" "extendedKeyUsage=clientAuth"
mkdir identity
echo "$dev" > identity/device_id
install -m 600 device.key identity/device.key.pem
cp device.pem identity/device.cert.pem
cp ca.pem identity/ca.pem

python3 "$here/mini_relay.py" --cert server.pem --key server.key --ca ca.pem \
  --port-file port --result result --device-id "$dev" 2>relay.log &
relay_pid=$!
for _ in $(seq 100); do [ -s port ] && break; sleep 0.1; done
[ -s port ] || { echo "FAIL: mini relay did not start"; cat relay.log; exit 1; }

# A device that trusts another CA must refuse this server (verify required).
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out rogue.key
ossl req -x509 -new -key rogue.key -subj /CN=rogue-ca -days 2 -out rogue.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
# The identity loader already rejects such a directory, so the client swaps the CA in
# after loading, to check that the TLS layer itself refuses the server.
if ! timeout 30 "$client" --identity identity --relay "wss://localhost:$(cat port)" \
    --timeout 10 --override-ca rogue.pem --expect-tls-failure; then
  echo "FAIL: client accepted a server its CA did not sign"; cat relay.log; exit 1
fi

if ! timeout 30 "$client" --identity identity --relay "wss://localhost:$(cat port)" --timeout 20; then
  echo "FAIL: client"; cat relay.log; exit 1
fi
for _ in $(seq 100); do [ -s result ] && break; sleep 0.1; done
[ "$(cat result 2>/dev/null)" = ok ] || { echo "FAIL: relay verdict: $(cat result 2>/dev/null)"; cat relay.log; exit 1; }
echo PASS

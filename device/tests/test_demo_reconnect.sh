#!/usr/bin/env bash
# Integration: the demo app on the host port against a real relay. Checks the config
# value and the masked secret arrive, then restarts the relay while the device runs and
# checks the log sequence stays complete (no gaps, no duplicates) across the reconnect.
# Needs B (build dir) with mvrelay, mvcli, mvdevice. Loopback only, bounded waits.
set -euo pipefail
B=${B:-build/host}
for b in mvrelay mvcli mvdevice; do
  [ -x "$B/$b" ] || { echo "SKIP-FAIL: $B/$b missing"; exit 1; }
done
T=$(mktemp -d /tmp/mvk-demo.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
DP=$(free_port); AP=$(free_port)
mkdir -p "$T/data"

start_relay() {
  : > "$T/relay.log"
  "$B/mvrelay" --data-dir "$T/data" --listen 127.0.0.1:$DP --api-listen 127.0.0.1:$AP \
    >"$T/relay.log" 2>&1 &
  RELAY=$!; pids+=("$RELAY")
  for _ in $(seq 100); do grep -q 'mvrelay: ready' "$T/relay.log" && return 0; sleep 0.1; done
  echo "relay did not start"; cat "$T/relay.log"; exit 1
}

# wait_log PATTERN SECONDS: until the device's stored logs contain PATTERN.
wait_log() {
  for _ in $(seq $(($2 * 5))); do
    "$B/mvcli" logs get "$ID" --limit 1000 >"$T/logs.txt" 2>/dev/null || true
    grep -q -- "$1" "$T/logs.txt" && return 0
    sleep 0.2
  done
  echo "timeout waiting for '$1'"; cat "$T/logs.txt"; return 1
}

start_relay
export MVCLI_URL=https://127.0.0.1:$AP MVCLI_TOKEN=$(cat "$T/data/admin.token") \
  MVCLI_CACERT="$T/data/ca.pem"
"$B/mvcli" devices provision --out "$T/dev" >/dev/null
ID=$(cat "$T/dev/device_id")
"$B/mvcli" config set demo-greeting "hello device" >/dev/null
"$B/mvcli" secret set demo-secret "topsecret" >/dev/null

"$B/mvdevice" --relay "wss://localhost:$DP" --identity "$T/dev" >"$T/dev.log" 2>&1 &
pids+=($!)
wait_log 'demo: greeting=hello device' 15
wait_log 'demo: secret=to\*\*\*' 5
if grep -q 'topsecret' "$T/logs.txt"; then echo "secret leaked into logs"; exit 1; fi
wait_log 'demo: counter 2' 10

kill "$RELAY"; wait "$RELAY" 2>/dev/null || true
sleep 2 # the device keeps logging while the relay is away
start_relay
wait_log 'demo: network connected' 5
last=$(grep -o 'demo: counter [0-9]*' "$T/logs.txt" | tail -1 | awk '{print $3}')
wait_log "demo: counter $((last + 2))" 15

# Sequence numbers (BOOT:SEQ) must run 1..N with no gap and no duplicate.
seqs=$(grep -o ':[0-9]* demo:' "$T/logs.txt" | tr -d ': demo' | sort -n)
n=$(echo "$seqs" | wc -l)
if [ "$(echo "$seqs" | uniq | wc -l)" != "$n" ] || [ "$(echo "$seqs" | tail -1)" != "$n" ]; then
  echo "log sequence has gaps or duplicates:"; echo "$seqs" | tr '\n' ' '; exit 1
fi
echo "ok: $n records, contiguous across a relay restart"

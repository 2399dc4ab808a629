#!/usr/bin/env bash
# The fleet: PostgreSQL + relays A and B (one database, one CA, server certificate and
# secrets key) behind HAProxy in TCP mode (device and API ports, /healthz checks), 20
# light devices (mvtdev rounds: HELLO, then 2 LOG batches of 8 from the next unacknowledged
# seq) and mvcli, both through the balancer. Checks: configs and secrets set through the
# balancer are fetched by devices on either relay; a live stream on B shows records a
# device logs on A; a device reconnecting to B ends its session on A (GOAWAY replaced);
# relay A is SIGKILLed and restarted twice while the devices log: afterwards, per device,
# every acknowledged record is stored, none twice, no gap, and every device logged again
# after the last restart. A third relay with another secrets key refuses to start.
. "$(dirname "$0")/../../cloud/tests/lib.sh"
. "$(dirname "$0")/../../cloud/tests/pg_lib.sh"
. "$(dirname "$0")/../../cloud/tests/haproxy_lib.sh"
NDEV=${FLEET_DEVICES:-100}
MVCLI="$B/mvcli"

pg_start

# start_named NAME: relay NAME on its data dir and ports (kept across restarts).
declare -A RPID DP AP
start_named() {
  local n=$1 log="$T/relay-$1.log"
  : "${DP[$n]:=$(free_port)}" "${AP[$n]:=$(free_port)}"
  echo "--- start" >>"$log"
  # Every device comes from HAProxy's address: the per-address cap goes up to the
  # listener's (docs/fleet.md).
  "$RELAY" --data-dir "$T/$n" --store "$PG_URL" --relay-name "$n" --max-pending-per-address 0 \
    --listen "127.0.0.1:${DP[$n]}" --api-listen "127.0.0.1:${AP[$n]}" >>"$log" 2>&1 &
  RPID[$n]=$!
  PIDS+=("${RPID[$n]}")
  for _ in $(seq 150); do
    [ "$(grep -c "mvrelay: ready device=127.0.0.1:${DP[$n]}" "$log")" -ge "$(grep -c -- '--- start' "$log")" ] && return 0
    kill -0 "${RPID[$n]}" 2>/dev/null || { tail -n 20 "$log" >&2; fail "relay $n exited"; }
    sleep 0.1
  done
  fail "relay $n not ready"
}

start_named a
# B shares A's CA (and its key, to provision devices), server certificate, secrets key
# and admin token: the files an operator distributes (docs/fleet.md).
mkdir -p "$T/b" && chmod 700 "$T/b"
for f in ca.pem ca.key server.pem server.key secrets.key admin.token; do cp -p "$T/a/$f" "$T/b/$f"; done
start_named b

# A relay with a different secrets key must refuse the database.
mkdir -p "$T/c" && chmod 700 "$T/c"
for f in ca.pem ca.key server.pem server.key admin.token; do cp -p "$T/a/$f" "$T/c/$f"; done
head -c 32 /dev/urandom >"$T/c/secrets.key" && chmod 600 "$T/c/secrets.key"
if timeout 20 "$RELAY" --data-dir "$T/c" --store "$PG_URL" --listen 127.0.0.1:"$(free_port)" \
  --api-listen 127.0.0.1:"$(free_port)" >"$T/relay-c.log" 2>&1; then fail "relay c started"; fi
grep -q "secrets key" "$T/relay-c.log" || fail "relay c: $(cat "$T/relay-c.log")"
ok "a relay with another secrets key refuses to start"

# HAProxy: TCP passthrough (mutual TLS ends at mvrelay), health from each relay's /healthz.
HDP=$(free_port); HAP=$(free_port)
haproxy_start "$HDP" "$HAP" a b

export MVCLI_URL="https://127.0.0.1:$HAP" MVCLI_TOKEN=$(cat "$T/a/admin.token")
export MVCLI_CACERT="$T/a/ca.pem" MVCLI_CONFIG=/dev/null
for _ in $(seq 100); do "$MVCLI" devices list >/dev/null 2>&1 && break; sleep 0.1; done
for i in $(seq "$NDEV"); do
  timeout 20 "$MVCLI" devices provision --out "$T/dev$i" >/dev/null || fail "provision $i"
done
ok "$NDEV devices provisioned through the balancer"

# Configs and secrets set through the balancer (either relay), fetched on both relays.
D1=$(cat "$T/dev1/device_id")
"$MVCLI" config set fleetcfg cfg-value >/dev/null || fail "config set"
"$MVCLI" secret set --device "$D1" fleetsecret s3cret-value >/dev/null || fail "secret set"
for n in a b; do
  out=$(timeout 20 "$TDEV" --port "${DP[$n]}" --ca "$T/a/ca.pem" --identity "$T/dev1" \
    hello:1 open:1:3:8192 cfg:1:a/c/fleetcfg,d/s/fleetsecret) || fail "config fetch on $n: $out"
  expect_line "$out" "ITEM 0 result=0 value=cfg-value"
  expect_line "$out" "ITEM 1 result=0 value=s3cret-value"
done
ok "config and secret fetched from relay a and relay b"

# Cross-relay stream: stream on B, device logs on A.
curl -sS -N --max-time 20 --cacert "$T/a/ca.pem" -H "Authorization: Bearer $MVCLI_TOKEN" \
  "https://localhost:${AP[b]}/v1/Devices/$D1/Logs/Stream" >"$T/sse.txt" 2>/dev/null &
SSE=$!
PIDS+=("$SSE")
for _ in $(seq 100); do
  m=$(curl -sS --max-time 10 --cacert "$T/a/ca.pem" -H "Authorization: Bearer $MVCLI_TOKEN" \
    "https://localhost:${AP[b]}/metrics" || true)
  grep -q '^mvrelay_log_streams 1' <<<"$m" && break
  sleep 0.1
done
BOOT1=00000000000f1ee1
out=$(timeout 20 "$TDEV" --port "${DP[a]}" --ca "$T/a/ca.pem" --identity "$T/dev1" \
  hello:$BOOT1 logs:$BOOT1:1:3)
expect_line "$out" "LOG_ACK boot=$BOOT1 seq=3"
for _ in $(seq 100); do grep -q "^id: $BOOT1:3$" "$T/sse.txt" && break; sleep 0.1; done
grep -q "^id: $BOOT1:1$" "$T/sse.txt" && grep -q "^id: $BOOT1:3$" "$T/sse.txt" ||
  fail "stream on b did not show a's records: $(cat "$T/sse.txt")"
kill "$SSE" 2>/dev/null || true
ok "logs stream on relay b shows records stored through relay a"

# One session per device across the fleet: dev1 holds a session on A; connecting to B
# makes A send GOAWAY (replaced) to the old one.
timeout 30 "$TDEV" --port "${DP[a]}" --ca "$T/a/ca.pem" --identity "$T/dev1" \
  hello:$BOOT1 wait_close >"$T/old.txt" 2>&1 &
OLD=$!
for _ in $(seq 100); do grep -q WELCOME "$T/old.txt" && break; sleep 0.1; done
# devices show on B: online (the session is on A, B learns it from the database).
online_on() { # RELAY DEVICE: prints true/false
  curl -sS --max-time 10 --cacert "$T/a/ca.pem" -H "Authorization: Bearer $MVCLI_TOKEN" \
    "https://localhost:${AP[$1]}/v1/Devices/$2" | jq -r .online
}
for _ in $(seq 100); do [ "$(online_on b "$D1")" = true ] && break; sleep 0.1; done
[ "$(online_on b "$D1")" = true ] || fail "relay b does not show dev1 (on a) online: $(cat "$T/old.txt"; pg_sql "SELECT * FROM sessions; SELECT * FROM relays" 2>&1; grep -i error "$T"/relay-*.log | tail -5)"
D2=$(cat "$T/dev2/device_id")
[ "$(online_on b "$D2")" = false ] || fail "relay b shows dev2 online"
timeout 20 "$TDEV" --port "${DP[b]}" --ca "$T/a/ca.pem" --identity "$T/dev1" \
  hello:$BOOT1 sleep:300 >/dev/null || fail "session on b"
wait "$OLD" || true
grep -q "GOAWAY" "$T/old.txt" || fail "old session on a not replaced: $(cat "$T/old.txt")"
grep -q 'relay=a msg="session replaced" device='"$D1"' by=another relay' "$T/relay-a.log" ||
  fail "relay a did not log the takeover"
for _ in $(seq 100); do [ "$(online_on a "$D1")" = false ] && break; sleep 0.1; done
[ "$(online_on a "$D1")" = false ] || fail "relay a shows dev1 online after its session ended"
ok "a session on b replaces the device's session on a (GOAWAY replaced); devices show is right on both"

# The devices log through the balancer while A is killed and restarted twice. A round is
# one session of about a second (HELLO, then 4 times 2 batches of 8, 250 ms apart, from
# the next unacknowledged seq): devices hold sessions rather than reconnect all the time,
# so the kills, not the driver, make the reconnection storms. After a failed round
# the driver waits as a device does within a minute of its last session (full jitter over
# min(5 s, 0.5 s x 2^attempt), floor 0.1 s: MVK_BACKOFF_* in device/kernel/conn/conn_limits.h).
driver() { # IDX: rounds until the stop file names a seq this device has reached
  local i=$1 next=1 hi=0 out rc fails=0 cap ms boot
  boot=00000000000d$(printf %04x "$i")
  while :; do
    if [ -e "$T/stop" ] && [ "$hi" -ge "$(cat "$T/stop")" ]; then break; fi
    rc=0
    t=$(date +%s.%N)
    out=$(timeout 20 "$TDEV" --port "$HDP" --ca "$T/a/ca.pem" --identity "$T/dev$i" \
      hello:$boot burst:$boot:$next:8:2 sleep:250 burst:$boot:$((next + 16)):8:2 sleep:250 \
      burst:$boot:$((next + 32)):8:2 sleep:250 burst:$boot:$((next + 48)):8:2 2>/dev/null |
      while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done) || rc=$?
    # (Each line stamped when read, without a fork; pipefail: rc is mvtdev's.)
    # Acks of a round cut short are acks all the same.
    while read -r a; do
      echo "$a" >>"$T/acks$i"
      [ "$a" -gt "$hi" ] && hi=$a
    done < <(sed -n 's/^[0-9.]* LOG_ACK boot=[0-9a-f]* seq=\([0-9]*\)$/\1/p' <<<"$out")
    next=$((hi + 1))
    # (With a failed round, its last line from the relay: why it ended.)
    echo "$t $(date +%s.%N) rc=$rc${out:+ ${out##*$'\n'}}" >>"$T/rounds$i"
    # Online from its WELCOME (stamped when read: a session cut by the next kill counts
    # for the one before).
    sed -n 's/^\([0-9.]*\) WELCOME.*/\1/p' <<<"$out" >>"$T/ok$i"
    if [ "$rc" = 0 ]; then
      fails=0
      sleep 0.2
    else
      cap=$((500 << (fails < 4 ? fails : 4))); [ "$cap" -gt 5000 ] && cap=5000
      fails=$((fails + 1))
      ms=$((100 + RANDOM % (cap - 100)))
      sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
    fi
  done
}
DRV=()
T0=$(date +%s.%N)
for i in $(seq "$NDEV"); do driver "$i" & DRV+=($!); PIDS+=($!); done
KILLS=()
ON_A=()
for k in 1 2; do
  sleep "${FLEET_KILL_EVERY:-3}"
  # The kill must hit devices in session: wait (bounded) until relay a holds some (its
  # own metrics; sessions last one round, so at a given moment only some are open).
  for _ in $(seq 100); do
    n=$(curl -sS --max-time 5 --cacert "$T/a/ca.pem" -H "Authorization: Bearer $MVCLI_TOKEN" \
      "https://localhost:${AP[a]}/metrics" | awk '$1 == "mvrelay_device_connections" {print $2}')
    [ "${n:-0}" -ge "$((NDEV / 10 + 1))" ] && break
    sleep 0.1
  done
  [ "${n:-0}" -gt 0 ] || fail "relay a holds no device when it is to be killed"
  ON_A+=("$n")
  kill -KILL "${RPID[a]}"
  KILLS+=("$(date +%s.%N)")
  wait "${RPID[a]}" 2>/dev/null || true
  sleep 1
  start_named a
done
RESTART=$(date +%s.%N)
sleep 3
max=0
for i in $(seq "$NDEV"); do
  h=$(sort -n "$T/acks$i" 2>/dev/null | tail -n 1); h=${h:-0}
  [ "$h" -gt "$max" ] && max=$h
done
echo $((max + 32)) >"$T/stop"
for p in "${DRV[@]}"; do
  for _ in $(seq 600); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && fail "a device driver did not finish after the restarts"
done

T1=$(date +%s.%N)
lost=0; dup=0; gaps=0; total=0; back_max=0
# Back within its backoff: at most 5 s of backoff (MVK_BACKOFF_RECENT_CAP_MS) plus one
# connection attempt, which a device allows 10 s to reach WELCOME (MVK_CONN_WELCOME_TIMEOUT_US);
# on a loaded 2-core machine 100 devices reconnecting at once have taken 4-13 s.
BACK_S=${FLEET_BACK_S:-15}
for i in $(seq "$NDEV"); do
  id=$(cat "$T/dev$i/device_id")
  "$MVCLI" --json logs get "$id" --limit 100000 >"$T/logs$i.json" || fail "logs get $i"
  # Only the driver's boot (dev1 also logged under BOOT1 above).
  jq -r --arg b "00000000000d$(printf %04x "$i"):" \
    '.logs[] | select(.cursor | startswith($b)) | .seq' "$T/logs$i.json" | sort -n >"$T/seqs$i"
  n=$(wc -l <"$T/seqs$i"); u=$(sort -nu "$T/seqs$i" | wc -l)
  hi=$(tail -n 1 "$T/seqs$i")
  l=$(comm -23 <(sort -u "$T/acks$i") <(sort -u "$T/seqs$i") | wc -l)
  [ "$((n - u))$l" = 00 ] && [ "$u" = "$hi" ] ||
    echo "device $i: stored $n ($u distinct, highest seq ${hi:-none}), acknowledged but missing $l" >&2
  total=$((total + n)); dup=$((dup + n - u)); lost=$((lost + l))
  [ "$u" = "$hi" ] || gaps=$((gaps + hi - u))
  # Back online: a session (WELCOME) after the last restart, and after each kill one
  # within BACK_S (its backoff plus one connection attempt).
  awk -v t="$RESTART" '$1 > t {f = 1} END {exit !f}' "$T/ok$i" || fail "device $i not back after restart"
  for k in "${KILLS[@]}"; do
    b=$(awk -v k="$k" '$1 > k && (!f || $1 - k < b) {b = $1 - k; f = 1} END {printf "%.1f", f ? b : 1e9}' "$T/ok$i")
    awk -v b="$b" -v m="$back_max" 'BEGIN {exit !(b > m)}' && back_max=$b
    # The slow one's rounds (start, end, exit status; seconds from the kill).
    awk -v b="$b" -v m="$BACK_S" 'BEGIN {exit !(b > m)}' && {
      echo "device $i back ${b}s after the kill; its rounds:" >&2
      awk -v k="$k" '$2 > k - 5 && $1 < k + 30 { l = $0; sub(/^[^ ]+ [^ ]+ /, "", l)
        printf "  %+.1f .. %+.1f %s\n", $1 - k, $2 - k, l }' \
        "$T/rounds$i" >&2
    }
  done
done
awk -v b="$back_max" -v m="$BACK_S" 'BEGIN {exit !(b <= m)}' ||
  fail "a device was back online only ${back_max}s after relay a was killed (limit ${BACK_S}s)"
echo "fleet: devices=$NDEV records=$total acked_lost=$lost duplicates=$dup gaps=$gaps" \
  "back_online_max_s=$back_max" \
  "seconds=$(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.1f", b-a}')" \
  "records_per_s=$(awk -v a="$T0" -v b="$T1" -v n="$total" 'BEGIN{printf "%d", n/(b-a)}')"
[ "$lost" = 0 ] && [ "$dup" = 0 ] && [ "$gaps" = 0 ] || fail "lost=$lost dup=$dup gaps=$gaps"
served=$(grep -h -c 'msg="device session"' "$T/relay-a.log" "$T/relay-b.log" | tr '\n' ' ')
# Handshakes relay b refused over its caps (every device comes from HAProxy's address, so
# the per-address cap is off): the reconnection storm after a kill.
refused=$(curl -sS --max-time 10 --cacert "$T/a/ca.pem" -H "Authorization: Bearer $MVCLI_TOKEN" \
  "https://localhost:${AP[b]}/metrics" | awk '$1 == "mvrelay_preauth_refused_total" {print $2}')
ok "relay a killed (holding ${ON_A[*]} devices) and restarted twice: $total records, 0 lost, 0 duplicated, every device back (sessions a/b: $served; handshakes b refused: ${refused:-?})"
grep -q "relay=b" "$T/relay-b.log" || fail "relay b's log lines do not name it"
m=$(curl -sS --cacert "$T/a/ca.pem" -H "Authorization: Bearer $MVCLI_TOKEN" \
  "https://localhost:${AP[b]}/metrics")
grep -q '^mvrelay_info{relay="b",store="postgres"} 1' <<<"$m" || fail "metrics do not name relay b"
ok "log lines and metrics name the relay"

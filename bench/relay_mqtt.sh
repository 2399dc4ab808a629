#!/usr/bin/env bash
# relay_mqtt: the MQTT bridge against a direct libmosquitto client, same broker, same run.
# Starts Mosquitto and mvrelay on free loopback ports (temp dir, stopped on exit) and
#  1. device -> broker publish throughput: NDEV test devices (mvtmqtt, mutual TLS to the
#     relay, one MQTT channel each) publish pipelined within the channel's credit and wait
#     for every PUBLISH_RESP; the anchor is NDEV relay_mqtt_direct processes publishing to
#     the broker directly and waiting for every PUBACK (QoS 0: every write). QoS 0 and 1,
#     64 B and 1 KiB payloads, 1 and 8 devices; msgs/s summed over the devices and the
#     ratio bridged/direct.
#  2. broker -> device latency: timestamped QoS 1 messages 2 ms apart from a direct
#     publisher, received by a device through the relay (acknowledged each) vs received
#     by a direct subscriber; p50/p99 and the added p50.
#   relay_mqtt.sh BUILD_DIR     (env MSGS: messages per throughput case, default 8000)
set -euo pipefail
B=$(cd "${1:?usage: relay_mqtt.sh BUILD_DIR}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/e2e/lib.sh"
. "$root/cloud/tests/mqtt_lib.sh"
mv_tmpdir bench-mqtt
trap mv_cleanup EXIT
MSGS=${MSGS:-8000}
DIRECT="$B/bench/relay_mqtt_direct"

mq_start_broker broker "allow_anonymous true" "max_queued_messages 100000"
mv_start_relay "$MV_TMP/data" --mqtt-broker "127.0.0.1:$MQ_PORT" >/dev/null
for i in $(seq 8); do "$B/mvcli" devices provision --out "$MV_TMP/dev$i" >/dev/null; done
C="host=127.0.0.1,port=$MQ_PORT"

# rate FILES...: messages over the slowest client's own publishing time (first publish
# to last acknowledgement; process start, TLS and MQTT connect excluded on both sides).
rate() {
    awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
           n += v["n"]; if (v["secs"] > s) s = v["secs"] } END { printf "%.0f", n / s }' "$@"
}
# bridged NDEV QOS SIZE: msgs/s over all devices.
bridged() {
    local ndev=$1 qos=$2 size=$3 per=$(( MSGS / $1 )) pids=() i
    rm -f "$MV_TMP"/b*.out
    for i in $(seq "$ndev"); do
        "$B/tests/mvtmqtt" --port "$RELAY_DEV_PORT" --ca "$MV_TMP/data/ca.pem" \
            --identity "$MV_TMP/dev$i" open "connect:$C,id=bench$i" \
            "pubn:$per:$qos:$size:bench/dev$i" >"$MV_TMP/b$i.out" 2>&1 &
        pids+=("$!")
    done
    for i in "${pids[@]}"; do wait "$i" || { cat "$MV_TMP"/b*.out >&2; mv_fail "bridged run"; }; done
    grep -h '^PUBN' "$MV_TMP"/b*.out >"$MV_TMP/b.rates" || mv_fail "no PUBN line"
    rate "$MV_TMP/b.rates"
}
# direct NDEV QOS SIZE: the same with plain libmosquitto clients.
direct() {
    local ndev=$1 qos=$2 size=$3 per=$(( MSGS / $1 )) pids=() i
    rm -f "$MV_TMP"/d*.out
    for i in $(seq "$ndev"); do
        "$DIRECT" pub "$MQ_PORT" "$per" "$qos" "$size" >"$MV_TMP/d$i.out" 2>&1 &
        pids+=("$!")
    done
    for i in "${pids[@]}"; do wait "$i" || { cat "$MV_TMP"/d*.out >&2; mv_fail "direct run"; }; done
    grep -h '^DIRECT' "$MV_TMP"/d*.out >"$MV_TMP/d.rates" || mv_fail "no DIRECT line"
    rate "$MV_TMP/d.rates"
}

echo "relay_mqtt: device -> broker publish throughput, $MSGS messages per case (msgs/s)"
printf '%-6s %-4s %-7s %10s %10s %7s\n' devs qos size bridged direct ratio
for ndev in 1 8; do
    for qos in 0 1; do
        for size in 64 1024; do
            b=$(bridged "$ndev" "$qos" "$size")
            d=$(direct "$ndev" "$qos" "$size")
            printf '%-6s %-4s %-7s %10s %10s %7.2f\n' "$ndev" "$qos" "$size" "$b" "$d" \
                "$(awk -v b="$b" -v d="$d" 'BEGIN { print b / d }')"
        done
    done
done

N=${LAT_MSGS:-1000}
"$B/tests/mvtmqtt" --port "$RELAY_DEV_PORT" --ca "$MV_TMP/data/ca.pem" --identity "$MV_TMP/dev1" \
    open "connect:$C,id=lat" sub:1:1:lat/bridged await:SUBSCRIBE_RESP "recvn:$N:60" \
    >"$MV_TMP/lat.out" 2>&1 &
lat_pid=$!
MV_PIDS+=("$lat_pid")
mv_wait_for "$MV_TMP/lat.out" "RECVN ready" 10 "$lat_pid" || mv_fail "latency device"
"$DIRECT" send "$MQ_PORT" "$N" lat/bridged >/dev/null
wait "$lat_pid" || { cat "$MV_TMP/lat.out" >&2; mv_fail "bridged latency run"; }
"$DIRECT" lat "$MQ_PORT" "$N" >"$MV_TMP/dlat.out"
bl=$(grep RECVN "$MV_TMP/lat.out" | grep p50)
dl=$(cat "$MV_TMP/dlat.out")
get() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$2"; }
echo "relay_mqtt: broker -> device delivery latency, $N QoS 1 messages 2 ms apart (us)"
printf '%-10s %8s %8s\n' path p50 p99
printf '%-10s %8s %8s\n' bridged "$(get p50_us "$bl")" "$(get p99_us "$bl")"
printf '%-10s %8s %8s\n' direct "$(get p50_us "$dl")" "$(get p99_us "$dl")"
echo "added p50: $(( $(get p50_us "$bl") - $(get p50_us "$dl") )) us"

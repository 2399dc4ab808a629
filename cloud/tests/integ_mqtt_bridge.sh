#!/usr/bin/env bash
# MQTT bridge against a real Mosquitto (plain TCP, anonymous) driven by mvtmqtt: connect
# with v3.1.1 and v5, publish QoS 0/1/2 (seen by mosquitto_sub), broker messages to the
# device, an over-size message -> LOST, brokers outside the allow list and unknown hosts
# refused, QoS 1 redelivered on a resumed session until acknowledged, the will published
# for a device that vanished but not after a clean disconnect, a broker restart, the
# bounded backlog, v5 subscription options, metrics.
set -euo pipefail
: "${B:?B must name the build dir}"
B=$(cd "$B" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/e2e/lib.sh"
. "$root/cloud/tests/mqtt_lib.sh"
mv_tmpdir mqtt-bridge
trap mv_cleanup EXIT
T=$MV_TMP

mq_start_broker broker "allow_anonymous true"
mv_start_relay "$T/data" --mqtt-broker "127.0.0.1:$MQ_PORT" --mqtt-allow nonexistent.invalid:1883
"$B/mvcli" devices provision --out "$T/id" >/dev/null
"$B/mvcli" devices provision --out "$T/id2" >/dev/null
C="host=127.0.0.1,port=$MQ_PORT"

# 1. Publish QoS 0/1/2 with v3.1.1 and v5; the broker's subscriber sees all six in order.
mq_sub "$T/sub1" 'up/#' 6
mq_dev open "connect:$C,id=p3,v=3" pub:1:0:0:up/v3:q0 pub:2:1:0:up/v3:q1 pub:3:2:1:up/v3:q2 \
    await:PUBLISH_RESP:3 disc await:DISCONNECT_RESP close \
    open "connect:$C,id=p5,v=5" pub:4:0:0:up/v5:q0 pub:5:1:0:up/v5:q1 pub:6:2:0:up/v5:q2 \
    await:PUBLISH_RESP:3 >"$T/out1"
wait "$MQ_SUB_PID" || true
mq_expect "$T/out1" "CONNECT_RESP state=0 code=0"
for c in 1 2 3 4 5 6; do mq_expect "$T/out1" "PUBLISH_RESP corr=$c state=0"; done
mq_expect "$T/out1" "DISCONNECT_RESP state=0 code=0"
[ "$(cat "$T/sub1")" = "$(printf 'up/v3 q0\nup/v3 q1\nup/v3 q2\nup/v5 q0\nup/v5 q1\nup/v5 q2')" ] ||
    { cat "$T/sub1" >&2; mv_fail "subscriber did not see the six publishes in order"; }
echo "ok: publish QoS 0/1/2, v3.1.1 and v5"

# 2. Broker -> device, and a message larger than the device's 1 KiB buffer -> LOST.
mq_dev_bg "$T/out2" open:1024 "connect:$C,id=s1,v=5" sub:9:1:down/#,big/# await:SUBSCRIBE_RESP \
    await:MESSAGE:2 await:LOST autoack:1 sleep:200
mv_wait_for "$T/out2" "SUBSCRIBE_RESP" 10 "$MQ_DEV_PID"
mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t down/a -m hello
mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 0 -t down/b -m world
head -c 2000 /dev/zero | tr '\0' z | mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t big/x -s
wait "$MQ_DEV_PID" || { cat "$T/out2" >&2; mv_fail "device run 2"; }
mq_expect "$T/out2" "SUBSCRIBE_RESP corr=9 state=0 codes=1,1"
mq_expect "$T/out2" "MESSAGE corr=[0-9]+ qos=1 retain=0 topic=down/a len=5 payload=hello"
mq_expect "$T/out2" "MESSAGE corr=[0-9]+ qos=0 retain=0 topic=down/b len=5 payload=world"
mq_expect "$T/out2" "LOST reason=0 len=2000 topic=big/x"
echo "ok: broker messages delivered, over-size message reported LOST"

# 3. Allow list and name resolution.
mq_dev open "connect:host=localhost,port=$MQ_PORT,id=x" close \
    open "connect:host=nonexistent.invalid,port=1883,id=y" >"$T/out3"
mq_expect "$T/out3" "CONNECT_RESP state=1 code=0" # not allowed: INVALIDPARAMETERS
mq_expect "$T/out3" "CONNECT_RESP state=4 code=0" # NXDOMAIN
mq_expect "$RELAY_LOG" 'msg="mqtt broker not allowed".*broker="localhost"'
echo "ok: broker outside the allow list refused, unknown host NXDOMAIN"

# 4. QoS 1 at least once: not acknowledged -> delivered again on the resumed session
#    (clean_start 0); acknowledged -> not again.
R="connect:$C,id=r1,v=5,clean=0"
mq_dev_bg "$T/out4" open "$R" sub:1:1:keep/t await:SUBSCRIBE_RESP await:MESSAGE close \
    open "$R" await:MESSAGE ack sleep:300 close open "$R" sleep:1500
mv_wait_for "$T/out4" "SUBSCRIBE_RESP" 10 "$MQ_DEV_PID"
mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t keep/t -m once
wait "$MQ_DEV_PID" || { cat "$T/out4" >&2; mv_fail "device run 4"; }
[ "$(grep -c 'MESSAGE .*topic=keep/t len=4 payload=once' "$T/out4")" = 2 ] ||
    { cat "$T/out4" >&2; mv_fail "expected exactly two deliveries (original + one redelivery)"; }
echo "ok: unacknowledged QoS 1 message redelivered once on the resumed session"

# 5. Will: published when the device vanishes (killed), not after a clean disconnect.
W="wtopic=will/dev,wpayload=gone,wqos=1"
mq_sub "$T/will1" 'will/#' 1
mq_dev_bg "$T/out5" open "connect:$C,id=w1,$W" sleep:20000
mv_wait_for "$T/out5" "CONNECT_RESP state=0" 10 "$MQ_DEV_PID"
kill -KILL "$MQ_DEV_PID"
wait "$MQ_DEV_PID" 2>/dev/null || true
wait "$MQ_SUB_PID" || true
mq_expect "$T/will1" "will/dev gone"
timeout 20 mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" -t 'will/#' -v -W 3 >"$T/will2" 2>&1 &
sub2=$!
sleep 0.3
mq_dev --id "$T/id2" open "connect:$C,id=w2,$W" disc await:DISCONNECT_RESP close sleep:200 >"$T/out5b"
wait "$sub2" || true
mq_expect "$T/out5b" "DISCONNECT_RESP state=0"
mq_expect_not "$T/will2" "will/dev"
echo "ok: will published for a killed device, not after mvMqttRequestDisconnect"

# 6. Broker restart: the channel is closed (CHANNELCLOSEDBYSERVER = 1), a new one connects.
mq_dev_bg "$T/out6" open "connect:$C,id=b1" await:CLOSE:1:15 waitfile:"$T/broker-up" \
    open "connect:$C,id=b1" pub:1:1:0:after/restart:ok await:PUBLISH_RESP
mv_wait_for "$T/out6" "CONNECT_RESP state=0" 10 "$MQ_DEV_PID"
mv_stop_pid "$MQ_PID" || true
mv_wait_for "$T/out6" "CLOSE chan=1 reason=1" 10 "$MQ_DEV_PID"
mq_start_broker broker "allow_anonymous true"
touch "$T/broker-up"
wait "$MQ_DEV_PID" || { cat "$T/out6" >&2; mv_fail "device run 6"; }
[ "$(grep -c 'CONNECT_RESP state=0 code=0' "$T/out6")" = 2 ] || mv_fail "no reconnect"
mq_expect "$T/out6" "PUBLISH_RESP corr=1 state=0"
mq_expect "$RELAY_LOG" 'msg="mqtt connection lost"'
echo "ok: broker restart closes the channel, the device reconnects"

# 7. Bounded backlog: a device that does not acknowledge gets 64 QoS 1 messages, then the
#    relay stops reading from the broker; acknowledgements release the rest, none lost.
mq_dev_bg "$T/out7" open "connect:$C,id=bl,v=5" sub:1:1:bl/t await:SUBSCRIBE_RESP \
    await:MESSAGE:64 sleep:800 count waitfile:"$T/checked" autoack:1 ackall await:MESSAGE:136
mv_wait_for "$T/out7" "SUBSCRIBE_RESP" 10 "$MQ_DEV_PID"
seq 200 | mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t bl/t -l
mv_wait_for "$T/out7" "COUNT" 15 "$MQ_DEV_PID"
m=$(curl -sS --cacert "$MVCLI_CACERT" -H "Authorization: Bearer $MVCLI_TOKEN" "$MVCLI_URL/metrics")
touch "$T/checked"
wait "$MQ_DEV_PID" || { cat "$T/out7" >&2; mv_fail "device run 7"; }
mq_expect "$T/out7" "COUNT messages=64$"
grep -q '^mvrelay_mqtt_backlog 64$' <<<"$m" || mv_fail "backlog gauge: $(grep backlog <<<"$m")"
[ "$(grep -c 'MESSAGE .*topic=bl/t' "$T/out7")" = 200 ] || mv_fail "not all 200 delivered"
for i in 1 100 200; do mq_expect "$T/out7" "topic=bl/t len=${#i} payload=$i\$"; done
echo "ok: backlog bounded at 64 unacknowledged messages, the rest after acknowledgements"

# 8. v5 subscription options: no-local (our own publish not echoed), retain handling 2
#    (no retained message at subscribe) versus 0 (the retained message, retain=1).
mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -r -t ret/t -m kept
mq_dev_bg "$T/out8" open "connect:$C,id=o5,v=5" sub:1:1:nl/t:1:0:0 sub:2:1:ret/t:0:0:2 \
    await:SUBSCRIBE_RESP:2 pub:3:1:0:nl/t:self await:PUBLISH_RESP await:MESSAGE sleep:300 close \
    open "connect:$C,id=o5b,v=5" sub:4:1:ret/t:0:0:0 await:MESSAGE
mv_wait_for "$T/out8" "PUBLISH_RESP corr=3" 10 "$MQ_DEV_PID"
mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" -q 1 -t nl/t -m other
wait "$MQ_DEV_PID" || { cat "$T/out8" >&2; mv_fail "device run 8"; }
mq_expect "$T/out8" "topic=nl/t len=5 payload=other"
mq_expect_not "$T/out8" "payload=self"
[ "$(grep -c 'payload=kept' "$T/out8")" = 1 ] || { cat "$T/out8" >&2; mv_fail "retain handling"; }
mq_expect "$T/out8" "retain=1 topic=ret/t len=4 payload=kept"
echo "ok: v5 no-local and retain handling passed to the broker"

m=$(curl -sS --cacert "$MVCLI_CACERT" -H "Authorization: Bearer $MVCLI_TOKEN" "$MVCLI_URL/metrics")
grep -q 'mvrelay_mqtt_connects_total{result="not_allowed"} 1' <<<"$m" || mv_fail "metrics: $m"
grep -q 'mvrelay_mqtt_messages_lost_total 1' <<<"$m" || mv_fail "metrics lost: $m"
grep -q 'mvrelay_mqtt_messages_redelivered_total 1' <<<"$m" || mv_fail "metrics redelivered"
if grep -q 'pass\|payload=' "$RELAY_LOG"; then mv_fail "relay log mentions a password or payload"; fi
echo "ok: metrics"

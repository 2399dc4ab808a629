#!/usr/bin/env bash
# MQTT bridge TLS and authentication against a real Mosquitto with a test CA: server
# certificate verified against the broker's name (and IP), unknown CA, expired server
# certificate, client certificate required by the broker, username/password from a
# mosquitto_passwd file, and a wrong password (the broker's reason code passed through).
set -euo pipefail
: "${B:?B must name the build dir}"
B=$(cd "$B" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/e2e/lib.sh"
. "$root/cloud/tests/mqtt_lib.sh"
mv_tmpdir mqtt-tls
trap mv_cleanup EXIT
T=$MV_TMP
cd "$T"

# Test PKI: a CA, a server certificate for localhost/127.0.0.1, an expired one, a client
# certificate, and an unrelated CA.
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key ca.key; key other.key; key srv.key; key cli.key
openssl req -x509 -key ca.key -out ca.pem -days 30 -subj /CN=mqtt-test-ca 2>/dev/null
openssl req -x509 -key other.key -out other.pem -days 30 -subj /CN=other-ca 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >san.ext
openssl req -new -key srv.key -subj /CN=localhost -out srv.csr 2>/dev/null
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
    -extfile san.ext -out srv.pem 2>/dev/null
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days -1 \
    -extfile san.ext -out expired.pem 2>/dev/null
openssl req -new -key cli.key -subj /CN=dev-client -out cli.csr 2>/dev/null
openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out cli.pem 2>/dev/null
touch passwd && chmod 600 passwd
mosquitto_passwd -b passwd alice s3cret

P_TLS=$(mv_free_port); P_EXP=$(mv_free_port); P_CERT=$(mv_free_port); P_PW=$(mv_free_port)
mq_start_broker broker "per_listener_settings true" \
    "listener $P_TLS 127.0.0.1" "allow_anonymous true" "cafile $T/ca.pem" \
    "certfile $T/srv.pem" "keyfile $T/srv.key" \
    "listener $P_EXP 127.0.0.1" "allow_anonymous true" "cafile $T/ca.pem" \
    "certfile $T/expired.pem" "keyfile $T/srv.key" \
    "listener $P_CERT 127.0.0.1" "allow_anonymous true" "cafile $T/ca.pem" \
    "certfile $T/srv.pem" "keyfile $T/srv.key" "require_certificate true" \
    "listener $P_PW 127.0.0.1" "allow_anonymous false" "password_file $T/passwd"
mv_start_relay "$T/data" --mqtt-allow localhost:* --mqtt-allow 127.0.0.1:*
"$B/mvcli" devices provision --out "$T/id" >/dev/null

mq_dev open "connect:host=localhost,port=$P_TLS,id=t1,ca=$T/ca.pem" pub:1:1:0:t/x:tls \
        await:PUBLISH_RESP close \
    open "connect:host=127.0.0.1,port=$P_TLS,id=t2,v=5,ca=$T/ca.pem" close \
    open "connect:host=localhost,port=$P_TLS,id=t3,ca=$T/other.pem" close \
    open "connect:host=localhost,port=$P_EXP,id=t4,ca=$T/ca.pem" close >"$T/out1"
[ "$(grep -c 'CONNECT_RESP state=0 code=0' "$T/out1")" = 2 ] || { cat "$T/out1"; mv_fail "TLS connects"; }
mq_expect "$T/out1" "PUBLISH_RESP corr=1 state=0"
mq_expect "$T/out1" "CONNECT_RESP state=5 code=0" # UNKNOWNCA
mq_expect "$T/out1" "CONNECT_RESP state=6 code=0" # CERTIFICATEEXPIRED
echo "ok: TLS verified by name and address; unknown CA and expired certificate reported"

mq_dev open "connect:host=localhost,port=$P_CERT,id=c1,ca=$T/ca.pem,cert=$T/cli.pem,key=$T/cli.key" \
        close \
    open "connect:host=localhost,port=$P_CERT,id=c2,ca=$T/ca.pem" close >"$T/out2"
mq_expect "$T/out2" "^CONNECT_RESP state=0 code=0"
mq_expect "$T/out2" "CONNECT_RESP state=7 code=0" # the broker refused the handshake
echo "ok: client certificate from the request; refused without one"

mq_dev open "connect:host=localhost,port=$P_PW,id=u1,user=alice,pass=s3cret" close \
    open "connect:host=localhost,port=$P_PW,id=u2,user=alice,pass=wrong" close \
    open "connect:host=localhost,port=$P_PW,id=u3,v=5,user=alice,pass=wrong" close >"$T/out3"
mq_expect "$T/out3" "^CONNECT_RESP state=0 code=0"
mq_expect "$T/out3" "CONNECT_RESP state=0 code=5"   # v3.1.1: not authorized
mq_expect "$T/out3" "CONNECT_RESP state=0 code=135" # v5: 0x87 not authorized
if grep -q 's3cret\|wrong' "$RELAY_LOG"; then mv_fail "a password reached the relay log"; fi
echo "ok: username/password; wrong password gets the broker's reason code"

# Channels closed while their TLS connect is still resolving, connecting on the thread
# pool or handshaking: the relay (ASan build too) must survive and serve the next one.
N="host=localhost,port=$P_TLS,ca=$T/ca.pem"
mq_dev open "connect:$N,id=x1,nowait=1" close open "connect:$N,id=x2,nowait=1" sleep:2 close \
    open "connect:$N,id=x3,nowait=1" sleep:20 close open "connect:$N,id=x4" close >"$T/out4"
mq_expect "$T/out4" "CONNECT_RESP state=0 code=0"
kill -0 "$RELAY_PID" || mv_fail "relay died"
if grep -q "AddressSanitizer\|runtime error" "$RELAY_LOG"; then mv_fail "sanitizer report"; fi
echo "ok: channels closed during a TLS connect"

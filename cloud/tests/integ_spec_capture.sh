#!/usr/bin/env bash
# The wire format checked by a decoder that shares nothing with proto/src: a real relay
# session (mvtdev: HELLO, log records and a GAP, a config fetch, an HTTP request the
# relay refuses by result, an endpoint it does not serve, PING, CLOSE) is captured byte for
# byte (TDEV_CAPTURE) and every frame and typed message in both directions is decoded
# by proto/tests/spec_decode.py from PROTOCOL.md's layouts and rules. The golden
# vectors of PROTOCOL.md go through the same decoder (also proto/tests/test_spec_golden.sh).
. "$(dirname "$0")/lib.sh"
SPEC="$(dirname "$0")/../../proto/tests/spec_decode.py"
start_relay "$T/data"
provision "$T/dev"
api POST /v1/Configs '{"key":"mode","value":"fast"}' >/dev/null
[ "$(status)" = 201 ] || fail "config set"

cap="$T/capture.txt"
out=$(TDEV_CAPTURE="$cap" tdev "$T/dev" hello:00000000000000c1 logs:00000000000000c1:1:3 \
  gap:00000000000000c1:4:2 open:1:3:8192 cfg:1:a/c/mode,d/c/none close:1:6 \
  open:2:2:8192 http:2:GET:5000:http://127.0.0.1:9/plain open:3:0:4096:nowhere ping)
expect_line "$out" "ITEM 0 result=0 value=fast"
expect_line "$out" "LOG_ACK boot=00000000000000c1 seq=4"
[ -s "$cap" ] || fail "nothing captured"
python3 "$SPEC" capture "$cap" \
  device:HELLO device:LOG device:OPEN device:DATA device:CLOSE device:PING \
  device:CFG_REQUEST device:HTTP_REQUEST \
  relay:WELCOME relay:LOG_ACK relay:OPEN_OK relay:OPEN_ERR relay:DATA relay:PONG \
  relay:CFG_RESPONSE relay:HTTP_RESPONSE || fail "captured session does not decode per the spec"
ok "captured relay session decodes per PROTOCOL.md"

# The check can fail: one flipped reserved byte in the relay's WELCOME is refused.
sed '0,/^< 020000000000002001000000/s//< 020000000000002001000100/' "$cap" > "$T/bad.txt"
cmp -s "$cap" "$T/bad.txt" && fail "mutation of the capture did not apply"
if python3 "$SPEC" capture "$T/bad.txt" >/dev/null; then
  fail "a WELCOME with a reserved byte set was accepted"
fi
ok "a non-zero reserved byte in the captured WELCOME is refused"

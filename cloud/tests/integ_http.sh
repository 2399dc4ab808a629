#!/usr/bin/env bash
# HTTP proxy against a real local HTTPS server with its own CA (cloud/tests/http):
# methods with headers and bodies byte for byte, RESPONSETOOLARGE, total timeout, SSRF
# denials (loopback without a rule, cloud metadata, a name resolving to 10.x) with their
# log lines, plain http, a hanging target that does not stall another device, a channel
# closed mid-request, the per-device rate limit, metrics, and a relay stopped mid-request
# (exits 0; the ASan build checks that nothing leaked), and the relay-wide transfer cap.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http/lib_http.sh"
make_target_ca "$T/tgt"
start_target "$T/tgt"
PIDS+=("$TARGET_PID")
RELAY_EXTRA="--http-ca-file $T/tgt/ca.pem --http-allow localhost:$TPORT
  --http-allow 127.0.0.1:$HANG_PORT --http-resolve internal.test:443:10.0.0.7
  --http-allow-plain localhost:$PLAIN_PORT --http-allow localhost:$PLAIN_PORT
  --http-rate-per-device 60 --http-rate-burst 30"
start_relay "$T/data"
provision "$T/a"; provision "$T/b"; provision "$T/c"
U="https://localhost:$TPORT"
now_ms() { date +%s%3N; }

out=$(tdev "$T/a" hello:1 open:1:2:8192 hdr:"Accept: application/json" http:1:GET:5000:$U/json)
expect_line "$out" "HTTP result=0 status=200 headers=4 body_len=53"
expect_line "$out" "HDR Content-Type: application/json"
expect_line "$out" 'BODY {"device": "mvisor", "temperature": 21.5, "ok": true}'
ok "GET through the relay: status, headers and body"

head -c 60000 /dev/urandom >"$T/body.bin"
want=$(sha256sum <"$T/body.bin" | cut -d' ' -f1)
for m in POST PUT PATCH; do
  out=$(tdev "$T/a" hello:1 open:1:2:131072 hdr:"X-Custom: v-$m" hdr:"Content-Type: application/x-bin" \
    hdr:"X-Empty:" bodyfile:"$T/body.bin" http:1:$m:5000:"$U/echo?q=secret-token")
  expect_line "$out" "HDR X-Method: $m"
  expect_line "$out" "HDR X-Echo-X-Custom: v-$m"
  expect_line "$out" "HDR X-Echo-X-Empty: "
  expect_line "$out" "HDR X-Echo-Content-Type: application/x-bin"
  expect_line "$out" "HDR X-Echo-Content-Length: 60000"
  expect_line "$out" "BODY_SHA256 $want"
done
out=$(tdev "$T/a" hello:1 open:1:2:8192 hdr:"X-Del: 1" http:1:DELETE:5000:$U/echo)
expect_line "$out" "HDR X-Method: DELETE"
expect_line "$out" "HDR X-Echo-X-Del: 1"
grep -q "X-Echo-Content-Type" <<<"$out" && fail "relay added a Content-Type: $out"
out=$(tdev "$T/a" hello:1 open:1:2:8192 http:1:HEAD:5000:$U/json)
expect_line "$out" "HTTP result=0 status=200 headers=4 body_len=0"
grep -q "secret-token" "$T/relay.log" && fail "query string logged"
ok "POST/PUT/PATCH (60000-byte body) and DELETE/HEAD round trips byte for byte; no query in logs"

out=$(tdev "$T/a" hello:1 open:1:2:8192 http:1:GET:5000:"$U/big?n=10000" \
  open:2:2:65536 http:2:GET:5000:"$U/big?n=60000" open:3:2:1048576 http:3:GET:5000:"$U/big?n=70000")
expect_line "$out" "HTTP result=6 status=0 headers=0 body_len=0"
expect_line "$out" "HTTP result=0 status=200 headers=3 body_len=60000"
[ "$(grep -c '^HTTP result=6' <<<"$out")" = 2 ] || fail "oversized responses: $out"
ok "responses beyond the receive buffer (or 64 KiB) are RESPONSETOOLARGE"

conns() { curl -s --cacert "$T/tgt/ca.pem" "$U/conns"; }
c0=$(conns)
out=$(tdev "$T/a" hello:1 open:1:2:8192 http:1:GET:5000:$U/json open:2:2:8192 http:2:GET:5000:$U/json)
out+=$(tdev "$T/b" hello:1 open:1:2:8192 http:1:GET:5000:$U/json)
[ "$(grep -c '^HTTP result=0 status=200' <<<"$out")" = 3 ] || fail "reuse requests: $out"
c1=$(conns)
[ $((c1 - c0)) -le 2 ] || fail "3 requests from 2 devices opened $((c1 - c0 - 1)) connections"
ok "connection reuse: 3 requests over two devices, $((c1 - c0 - 1)) new upstream connection(s)"

t0=$(now_ms)
out=$(tdev "$T/a" hello:1 open:1:2:8192 http:1:GET:5000:"$U/sleep?ms=8000")
t1=$(now_ms)
expect_line "$out" "HTTP result=5 status=0 headers=0 body_len=0"
[ $((t1 - t0)) -lt 6000 ] || fail "timeout took $((t1 - t0)) ms (limit 5000 + 1000)"
ok "server slower than timeout_ms: REQUESTFAILED after $((t1 - t0)) ms"

out=$(tdev "$T/a" hello:1 open:1:2:8192 http:1:GET:5000:"https://127.0.0.1:$TPORT/json" \
  open:2:2:8192 http:2:GET:5000:https://169.254.169.254/latest/meta-data \
  open:3:2:8192 http:3:GET:5000:https://internal.test/ \
  open:4:2:8192 http:4:GET:5000:"https://[::ffff:127.0.0.1]:$TPORT/json")
[ "$(grep -c '^HTTP result=5 status=0' <<<"$out")" = 4 ] || fail "denied targets: $out"
for c in loopback link-local private; do
  grep -q "msg=\"http target denied\".*class=$c" "$T/relay.log" || fail "no denial log for $c"
done
grep -q 'host="internal.test" port=443 result=5 .*reason=\"target_denied\"' "$T/relay.log" ||
  fail "no request log line for the denied name"
ok "loopback without a rule, 169.254.169.254, a name resolving to 10.x, mapped IPv6: denied and logged"

out=$(tdev "$T/a" hello:1 open:1:2:8192 http:1:GET:5000:"http://localhost:$TPORT/json" \
  open:2:2:8192 http:2:FETCH:5000:$U/json open:3:2:8192 http:3:GET:4000:$U/json \
  open:4:2:8192 hdr:"Content-Length: 3" http:4:GET:5000:$U/json \
  open:5:2:8192 hdr:"Host: evil.test" http:5:GET:5000:$U/json open:6:2:8192 http:6:GET:5000:$U/redirect)
for r in 1 2 4 3 3; do
  grep -q "^HTTP result=$r status=0" <<<"$out" || fail "result $r missing: $out"
done
expect_line "$out" "HTTP result=0 status=302 headers=4 body_len=0"
expect_line "$out" "HDR Location: /json"
out=$(tdev "$T/a" hello:1 open:1:2:8192 http:1:GET:5000:"http://localhost:$PLAIN_PORT/json")
expect_line "$out" "HTTP result=0 status=200 headers=4 body_len=53"
ok "plain http (allowed only for the listed host), unknown method, bad timeout, framing and foreign Host headers refused; redirects returned"

# A target that accepts and never answers holds device A's request while device B's
# completes: the loop never waits for it.
# (mvtdev itself in the background, not the tdev wrapper, so that its PID is the one killed)
"$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" --identity "$T/a" hello:1 open:1:2:8192 \
  http:1:GET:10000:"https://127.0.0.1:$HANG_PORT/" >"$T/hang.out" &
HANG_PID=$!
PIDS+=("$HANG_PID")
for _ in $(seq 50); do grep -q "OPEN_OK" "$T/hang.out" && break; sleep 0.1; done
sleep 0.3
out=$(tdev "$T/b" hello:1 open:1:2:8192 http:1:GET:5000:$U/json)
expect_line "$out" "HTTP result=0 status=200 headers=4 body_len=53"
kill -0 "$HANG_PID" 2>/dev/null || fail "hanging request finished early: $(cat "$T/hang.out")"
grep -q "^HTTP" "$T/hang.out" && fail "hanging request answered: $(cat "$T/hang.out")"
kill "$HANG_PID"; wait "$HANG_PID" 2>/dev/null || true
ok "a never-answering target does not stall another device"

out=$(tdev "$T/b" hello:1 open:1:2:8192 httpsend:1:GET:10000:"$U/sleep?ms=3000" sleep:200 \
  close:1:6 open:2:2:8192 http:2:GET:5000:$U/json)
expect_line "$out" "HTTP result=0 status=200 headers=4 body_len=53"
grep -q 'chan=1 method=GET .*reason=\"channel_closed\"' "$T/relay.log" || fail "cancel not logged"
ok "channel closed mid-request: transfer cancelled, the session goes on"

steps=(hello:1)
for i in $(seq 1 32); do steps+=(open:$i:2:8192 http:$i:GET:5000:$U/json close:$i:6); done
out=$(tdev "$T/c" "${steps[@]}")
n_ok=$(grep -c '^HTTP result=0' <<<"$out"); n_lim=$(grep -c '^HTTP result=5' <<<"$out")
[ "$n_ok" -ge 30 ] && [ "$n_lim" -ge 1 ] && [ $((n_ok + n_lim)) = 32 ] ||
  fail "rate limit: ok=$n_ok limited=$n_lim"
grep -q 'reason=\"rate_limited\"' "$T/relay.log" || fail "rate limit not logged"
ok "per-device rate limit: $n_ok served, $n_lim refused"

m=$(api GET /metrics)
grep -q '^mvrelay_http_requests_total{result="ok"} [1-9]' <<<"$m" || fail "metrics: $m"
grep -q '^mvrelay_http_refused_total{reason="ssrf"} [1-9]' <<<"$m" || fail "ssrf metric"
grep -q '^mvrelay_http_request_duration_seconds_count [1-9]' <<<"$m" || fail "histogram"
grep -q "^mvrelay_http_in_flight 0$" <<<"$m" || fail "in-flight not back to 0: $(grep -A1 http_in_flight <<<"$m")"
ok "metrics: results, refusals, latency histogram, nothing in flight"

"$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" --identity "$T/a" hello:1 open:1:2:8192 \
  http:1:GET:10000:"$U/sleep?ms=4000" >"$T/restart.out" &
R_PID=$!
PIDS+=("$R_PID")
for _ in $(seq 50); do grep -q "OPEN_OK" "$T/restart.out" && break; sleep 0.1; done
sleep 0.3
stop_relay
wait "$R_PID" 2>/dev/null || true
grep -q "^GOAWAY" "$T/restart.out" || fail "no GOAWAY: $(cat "$T/restart.out")"
grep -q "^HTTP" "$T/restart.out" && fail "answered after shutdown: $(cat "$T/restart.out")"
grep -q 'reason=\"channel_closed\"' "$T/relay.log" || fail "in-flight transfer not cancelled"
grep -q "handles open" "$T/relay.log" && fail "curl's uv handles left open at exit"
ok "relay stopped mid-request: GOAWAY, transfer cancelled, clean exit"

# The relay-wide cap: with one transfer allowed, a second device's request while the
# first hangs is refused at once ("busy"), not queued past its deadline.
RELAY_EXTRA="--http-ca-file $T/tgt/ca.pem --http-allow localhost:$TPORT
  --http-allow 127.0.0.1:$HANG_PORT --http-max-transfers 1"
start_relay "$T/data"
"$TDEV" --port "$DPORT" --ca "$DATA/ca.pem" --identity "$T/a" hello:1 open:1:2:8192 \
  http:1:GET:10000:"https://127.0.0.1:$HANG_PORT/" >"$T/cap.out" &
CAP_PID=$!
PIDS+=("$CAP_PID")
for _ in $(seq 50); do grep -q "OPEN_OK" "$T/cap.out" && break; sleep 0.1; done
sleep 0.3
out=$(tdev "$T/b" hello:1 open:1:2:8192 http:1:GET:5000:$U/json)
expect_line "$out" "HTTP result=5 status=0 headers=0 body_len=0"
grep -q 'reason="busy"' "$T/relay.log" || fail "busy refusal not logged"
kill "$CAP_PID"; wait "$CAP_PID" 2>/dev/null || true
out=$(tdev "$T/b" hello:1 open:1:2:8192 http:1:GET:5000:$U/json)
expect_line "$out" "HTTP result=0 status=200 headers=4 body_len=53"
ok "relay-wide transfer cap: refused while full, served again once the slot is free"
stop_relay

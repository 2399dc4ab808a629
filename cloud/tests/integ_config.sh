#!/usr/bin/env bash
# Config fetch over a device channel: account and device scope, configs and secrets,
# KEYNOTFOUND, isolation between devices, RESPONSETOOLARGE against a small window;
# channel types the relay does not serve are refused with the agreed MvStatus; secrets
# never come back through REST and are not stored in plaintext.
. "$(dirname "$0")/lib.sh"
start_relay "$T/data"
provision "$T/a"; provision "$T/b"
A=$(cat "$T/a/device_id"); Bd=$(cat "$T/b/device_id")

api POST /v1/Configs '{"key":"acct","value":"av"}' >/dev/null; [ "$(status)" = 201 ] || fail "config"
api POST "/v1/Devices/$A/Configs" '{"key":"dk","value":"A-only"}' >/dev/null
api POST "/v1/Devices/$Bd/Configs" '{"key":"bk","value":"B-only"}' >/dev/null
api POST /v1/Secrets '{"key":"apikey","value":"topsecret-1"}' >/dev/null
[ "$(status)" = 201 ] || fail "secret"
api POST "/v1/Devices/$A/Secrets" '{"key":"ds","value":"devsecret-2"}' >/dev/null

out=$(tdev "$T/a" hello:1 open:1:3:8192 cfg:1:a/c/acct,d/c/dk,d/c/bk,a/s/apikey,d/s/ds,a/c/missing)
expect_line "$out" "OPEN_OK chan=1 value=65536"
expect_line "$out" "CFG result=0 n=6"
expect_line "$out" "ITEM 0 result=0 value=av"
expect_line "$out" "ITEM 1 result=0 value=A-only"
expect_line "$out" "ITEM 2 result=1 value="
expect_line "$out" "ITEM 3 result=0 value=topsecret-1"
expect_line "$out" "ITEM 4 result=0 value=devsecret-2"
expect_line "$out" "ITEM 5 result=1 value="
ok "account/device configs and secrets fetched; missing key is KEYNOTFOUND"

out=$(tdev "$T/b" hello:1 open:1:3:8192 cfg:1:d/c/dk,d/s/ds,d/c/bk)
expect_line "$out" "ITEM 0 result=1 value="
expect_line "$out" "ITEM 1 result=1 value="
expect_line "$out" "ITEM 2 result=0 value=B-only"
ok "device B cannot fetch device A's device-scope keys"

big=$(head -c 3000 /dev/zero | tr '\0' x)
api POST /v1/Configs "{\"key\":\"big\",\"value\":\"$big\"}" >/dev/null
out=$(tdev "$T/a" hello:1 open:1:3:1024 cfg:1:a/c/big)
expect_line "$out" "CFG result=1 n=0"
out=$(tdev "$T/a" hello:1 open:1:3:4096 cfg:1:a/c/big)
expect_line "$out" "CFG result=0 n=1"
ok "response larger than the device window is RESPONSETOOLARGE"

out=$(tdev "$T/a" hello:1 open:1:2:4096 open:2:1:4096 open:3:0:4096:echo open:4:3:4096:x open:5:3:4096 open:5:3:4096)
expect_line "$out" "OPEN_OK chan=1 value=65536" # HTTP: the proxy
expect_line "$out" "OPEN_OK chan=2 value=65536" # MQTT: the bridge (integ_mqtt_*.sh)
expect_line "$out" "OPEN_ERR chan=3 status=13"
expect_line "$out" "OPEN_ERR chan=4 status=13"
expect_line "$out" "OPEN_OK chan=5 value=65536"
grep -q "^ERROR code=7 frame=3" <<<"$out" || fail "reused channel id not refused: $out"
ok "HTTP and MQTT served, unknown endpoint refused, id reuse refused"

out=$(tdev "$T/a" hello:1 open:1:3:4096 close:1:0 cfg:1:a/c/acct)
grep -q "^ERROR code=7 frame=6" <<<"$out" || fail "DATA after CLOSE not refused: $out"
ok "closed channel id answered with ERROR"

for path in /v1/Secrets "/v1/Devices/$A/Secrets"; do
  body=$(api GET "$path")
  [ "$(status)" = 200 ] || fail "GET $path"
  grep -q 'secret-' <<<"$body" && fail "secret value in $path: $body"
done
[ "$(api GET /v1/Secrets | jq -r '.secrets[0].key')" = apikey ] || fail "secret name not listed"
api GET /v1/Secrets/apikey >/dev/null; [ "$(status)" = 405 ] || fail "GET one secret: $(status)"
api GET "/v1/Devices/$A/Secrets/ds" >/dev/null; [ "$(status)" = 405 ] || fail "GET device secret"
grep -rqa 'topsecret-1\|devsecret-2' "$DATA" && fail "secret plaintext found in the data dir"
ok "secrets are write-only via REST and encrypted at rest"
stop_relay

#!/usr/bin/env bash
# Integration: `mvcli devices provision|list|show`, the identity directory
# (files, modes, certificate chain and CN), provisioning from a CSR, and
# `logs get` on a device that never logged.
set -euo pipefail
. "$(dirname "$0")/../../tests/e2e/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir cli-devices
mv_start_relay "$MV_TMP/data"
cli="$B/mvcli"
id="$MV_TMP/id"

mv_expect_rc 0 "$cli" devices provision --out "$id"
dev=$(cat "$id/device_id")
[[ "$dev" =~ ^UV[0-9a-f]{32}$ ]] || mv_fail "bad device id '$dev'"
grep -q "provisioned device $dev" "$MV_OUT" || mv_fail "provision output"
[ "$(stat -c %a "$id/device.key.pem")" = 600 ] || mv_fail "key mode"
openssl verify -CAfile "$id/ca.pem" "$id/device.cert.pem" >/dev/null || mv_fail "cert chain"
openssl x509 -in "$id/device.cert.pem" -noout -subject | grep -q "CN *= *$dev" || mv_fail "CN"
# The key matches the certificate.
[ "$(openssl pkey -in "$id/device.key.pem" -pubout)" = \
  "$(openssl x509 -in "$id/device.cert.pem" -noout -pubkey)" ] || mv_fail "key/cert mismatch"
# Never overwrite an identity (usage error, before any device is created).
mv_expect_rc 1 "$cli" devices provision --out "$id"
grep -q "already exists" "$MV_ERR" || mv_fail "overwrite message"

# From a CSR: no key is generated or written.
openssl ecparam -name prime256v1 -genkey -noout -out "$MV_TMP/own.key" 2>/dev/null
openssl req -new -key "$MV_TMP/own.key" -subj "/CN=ignored" -out "$MV_TMP/own.csr"
mv_expect_rc 0 "$cli" devices provision --csr "$MV_TMP/own.csr" --out "$MV_TMP/id2"
[ -e "$MV_TMP/id2/device.key.pem" ] && mv_fail "a key was written for a CSR"
[ "$(openssl pkey -in "$MV_TMP/own.key" -pubout)" = \
  "$(openssl x509 -in "$MV_TMP/id2/device.cert.pem" -noout -pubkey)" ] || mv_fail "CSR key not certified"
dev2=$(cat "$MV_TMP/id2/device_id")
grep -q "as $MV_TMP/id2/device.key.pem" "$MV_OUT" || mv_fail "no hint where the CSR's key goes: $(cat "$MV_OUT")"
# A CSR the relay refuses leaves no empty --out directory behind.
printf -- '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n' >"$MV_TMP/bad.csr"
MV_OUT="$MV_TMP/bad.out" MV_ERR="$MV_TMP/bad.err" mv_expect_rc 2 "$cli" devices provision \
    --csr "$MV_TMP/bad.csr" --out "$MV_TMP/id3"
[ -e "$MV_TMP/id3" ] && mv_fail "a refused CSR left $MV_TMP/id3 behind"

mv_expect_rc 0 "$cli" devices list
grep -Eq "^$dev +no " "$MV_OUT" || mv_fail "list: $(cat "$MV_OUT")"
grep -q "^$dev2 " "$MV_OUT" || mv_fail "list lacks the CSR device"
mv_expect_rc 0 "$cli" --json devices list
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["devices"]) == 2, d' "$MV_OUT" ||
    mv_fail "--json list"
mv_expect_rc 0 "$cli" devices show "$dev"
grep -Eq "^id +$dev$" "$MV_OUT" || mv_fail "show: $(cat "$MV_OUT")"
mv_expect_rc 0 "$cli" --json devices show "$dev"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["id"]==sys.argv[2] and d["online"] is False, d' \
    "$MV_OUT" "$dev" || mv_fail "--json show"
mv_expect_rc 2 "$cli" devices show UV00000000000000000000000000000000

# --json provision with --out keeps the private key off stdout.
mv_expect_rc 0 "$cli" --json devices provision --out "$MV_TMP/id3"
grep -q "PRIVATE KEY" "$MV_OUT" && mv_fail "--json --out printed the private key"

# logs of a device that never connected: empty, success.
mv_expect_rc 0 "$cli" logs get "$dev"
[ ! -s "$MV_OUT" ] || mv_fail "logs get printed: $(cat "$MV_OUT")"
mv_expect_rc 0 "$cli" --json logs get "$dev" --limit 5
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["logs"] == [], d' "$MV_OUT" ||
    mv_fail "--json logs get"
echo PASS

#!/usr/bin/env bash
# Integration: `mvcli apps keygen|bundle|upload|list|delete` and `devices deploy` against
# a real relay: a signed bundle verifies with the public key (OpenSSL), the relay
# refuses truncated, corrupted and oversize uploads with a reason, a device's target and
# update state show in `devices show`, and a targeted app cannot be deleted.
set -euo pipefail
. "$(dirname "$0")/../../tests/e2e/lib.sh"
trap mv_cleanup EXIT
mv_tmpdir cli-apps
B=$(cd "$B" && pwd)
cli="$B/mvcli"
cd "$MV_TMP"

# keygen: a P-256 key pair, the private key 0600 and never overwritten.
mv_expect_rc 0 "$cli" apps keygen --out "$MV_TMP/upd"
[ "$(stat -c %a upd.key.pem)" = 600 ] || mv_fail "key mode"
openssl pkey -in upd.key.pem -noout -text | grep -q "prime256v1\|P-256" || mv_fail "not P-256"
mv_expect_rc 1 "$cli" apps keygen --out "$MV_TMP/upd"
grep -q "already exists" "$MV_ERR" || mv_fail "keygen overwrite message"

# bundle: header, image, signature; the signature verifies over header+image.
# Larger than the API's ordinary 64 KiB body limit: uploads have their own.
head -c 100000 /dev/urandom >image.so
mv_expect_rc 0 "$cli" apps bundle --key upd.key.pem --version 2.0.1 image.so -o app.mvb
python3 - "$MV_TMP" <<'PY' || mv_fail "bundle layout"
import hashlib, struct, sys, os
d = sys.argv[1]
b = open(os.path.join(d, "app.mvb"), "rb").read()
img = open(os.path.join(d, "image.so"), "rb").read()
assert b[:4] == b"MVB1" and b[4] == 1 and b[5] == 1, b[:8]
(ilen,) = struct.unpack(">I", b[8:12])
assert ilen == len(img) and b[12:44] == hashlib.sha256(img).digest()
n = struct.unpack(">H", b[44:46])[0]; name = b[46:46 + n]; o = 46 + n
v = struct.unpack(">H", b[o:o + 2])[0]; ver = b[o + 2:o + 2 + v]; hl = o + 2 + v
assert name == b"image" and ver == b"2.0.1", (name, ver)
assert b[hl:hl + ilen] == img and len(b) == hl + ilen + 64
open(os.path.join(d, "signed"), "wb").write(b[:hl + ilen])
r, s = int.from_bytes(b[-64:-32], "big"), int.from_bytes(b[-32:], "big")
def der_int(x):
    x = x.to_bytes((x.bit_length() + 8) // 8, "big")
    return b"\x02" + bytes([len(x)]) + x
seq = der_int(r) + der_int(s)
open(os.path.join(d, "sig.der"), "wb").write(b"\x30" + bytes([len(seq)]) + seq)
PY
openssl pkeyutl -verify -pubin -inkey upd.pub.pem -rawin -digest sha256 -in signed \
    -sigfile sig.der >/dev/null 2>&1 ||
    openssl dgst -sha256 -verify upd.pub.pem -signature sig.der signed >/dev/null ||
    mv_fail "signature does not verify with the public key"
mv_expect_rc 1 "$cli" apps bundle --key upd.key.pem --version 1 --port vax image.so -o x.mvb
grep -q "unknown --port" "$MV_ERR" || mv_fail "port message"
mv_expect_rc 1 "$cli" apps bundle --key upd.key.pem image.so -o x.mvb

mv_start_relay "$MV_TMP/data"
mv_expect_rc 0 "$cli" devices provision --out "$MV_TMP/id"
dev=$(cat "$MV_TMP/id/device_id")

# upload: prints the id; list shows name, version, port and size.
mv_expect_rc 0 "$cli" apps upload app.mvb
app=$(cat "$MV_OUT")
[[ "$app" =~ ^AP[0-9a-f]{32}$ ]] || mv_fail "bad app id '$app'"
mv_expect_rc 0 "$cli" apps list
grep -Eq "^$app +image +2\.0\.1 +host +$(stat -c %s app.mvb) " "$MV_OUT" ||
    mv_fail "list: $(cat "$MV_OUT")"
[ "$(cmp "$MV_TMP/data/apps/$app.mvb" app.mvb && echo same)" = same ] || mv_fail "stored bytes"

# Refused uploads, each with its reason; nothing is stored.
head -c 100 app.mvb >trunc.mvb
mv_expect_rc 2 "$cli" apps upload trunc.mvb
grep -q "truncated" "$MV_ERR" || mv_fail "truncated reason: $(cat "$MV_ERR")"
python3 -c 'import sys; b=bytearray(open("app.mvb","rb").read()); b[200]^=1; open("flip.mvb","wb").write(b)'
mv_expect_rc 2 "$cli" apps upload flip.mvb
grep -q "SHA-256" "$MV_ERR" || mv_fail "hash reason: $(cat "$MV_ERR")"
head -c 5000000 /dev/zero >big.mvb
mv_expect_rc 1 "$cli" apps upload big.mvb
mv_expect_rc 0 "$cli" --json apps list
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["apps"]) == 1, d' "$MV_OUT" ||
    mv_fail "refused uploads were stored"
# The REST limit itself: a declared body over the bundle limit is 413 before any of it is
# read (no body is sent: the relay answers and closes, which would cut a sending client).
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$MVCLI_CACERT" \
    -H "Authorization: Bearer $MVCLI_TOKEN" -H 'Content-Type: application/octet-stream' \
    -H 'Expect:' -H 'Content-Length: 5000000' --data-binary '' "$MVCLI_URL/v1/Apps" || true)
[ "$code" = 413 ] || mv_fail "oversize upload: HTTP $code"

# deploy: the device's target and a pending update state.
mv_expect_rc 0 "$cli" devices deploy "$dev" "$app"
mv_expect_rc 0 "$cli" devices show "$dev"
grep -Eq "^target_app +$app$" "$MV_OUT" || mv_fail "show target: $(cat "$MV_OUT")"
grep -Eq "^update +pending $app$" "$MV_OUT" || mv_fail "show state: $(cat "$MV_OUT")"
mv_expect_rc 2 "$cli" devices deploy "$dev" AP00000000000000000000000000000000
# A targeted app stays; once the target is cleared it can be deleted.
mv_expect_rc 2 "$cli" apps delete "$app"
grep -qi "target" "$MV_ERR" || mv_fail "delete conflict reason"
mv_expect_rc 0 "$cli" devices deploy "$dev" none
mv_expect_rc 0 "$cli" apps delete "$app"
[ -e "$MV_TMP/data/apps/$app.mvb" ] && mv_fail "bundle file left after delete"
mv_expect_rc 2 "$cli" apps delete "$app"
echo "ok: apps keygen/bundle/upload/list/delete and devices deploy"

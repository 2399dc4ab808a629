#!/usr/bin/env bash
# PROTOCOL.md's golden vectors against an independent decoder of the spec
# (spec_decode.py: Python, nothing shared with proto/src): every field within its rule,
# the documented values, canonical re-encoding, truncation and trailing bytes refused.
# Then the same checks must fail on a copy of the spec with one vector byte changed
# (a WELCOME whose max_payload is below 2048), so the decoder is not a rubber stamp.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
md="$dir/../PROTOCOL.md"
python3 "$dir/spec_decode.py" golden "$md"
tmp=$(mktemp /tmp/spec_golden.XXXXXX)
trap 'rm -f "$tmp"' EXIT
sed '/^welcome:/{n;s/^    18 1e 40 00 00 00 40 00/    18 1e 40 00 00 00 07 ff/}' "$md" > "$tmp"
cmp -s "$md" "$tmp" && { echo "FAIL: the mutation did not apply"; exit 1; }
if python3 "$dir/spec_decode.py" golden "$tmp" > "$tmp.out"; then
    echo "FAIL: a WELCOME with max_payload 2047 was accepted"; exit 1
fi
grep -q "welcome: INVALID: max_payload = 2047" "$tmp.out" || { cat "$tmp.out"; exit 1; }
rm -f "$tmp.out"
echo "PASS"

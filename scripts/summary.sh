#!/usr/bin/env bash
# Sums the counts run-tests.sh recorded for every build and stage into one line.
set -euo pipefail
p=0; f=0; s=0
for r in build/*/results-*.txt; do
  [ -f "$r" ] || continue
  read -r rp rf rs < "$r"; p=$((p + rp)); f=$((f + rf)); s=$((s + ${rs:-0}))
done
echo "tests: $p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]

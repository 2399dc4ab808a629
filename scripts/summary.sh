#!/usr/bin/env bash
# Sums the counts run-tests.sh recorded for every build and stage into one line.
set -euo pipefail
p=0; f=0
for r in build/*/results-*.txt; do
  [ -f "$r" ] || continue
  read -r rp rf < "$r"; p=$((p + rp)); f=$((f + rf))
done
echo "tests: $p passed, $f failed"
[ "$f" -eq 0 ]

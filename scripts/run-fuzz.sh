#!/usr/bin/env bash
# Runs each libFuzzer binary for SECONDS with its corpus under build/fuzz/corpus/<name>
# (plus read-only seeds from <module>/fuzz/seeds/<name>/).
# Any crash, leak or sanitizer report fails the run. Run longer with
#   make fuzz FUZZ_SECONDS=3600
set -euo pipefail
secs=$1; shift
for f in "$@"; do
  name=$(basename "$f")
  corpus="build/fuzz/corpus/$name"; mkdir -p "$corpus"
  # Seed inputs live beside each module's fuzz targets: <module>/fuzz/seeds/<name>/.
  seeds=""
  for d in */fuzz/seeds/"$name" */*/fuzz/seeds/"$name"; do
    [ -d "$d" ] && seeds="$seeds $d"
  done
  echo "== fuzz $name for ${secs}s"
  "$f" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="build/fuzz/$name-" \
    "$corpus" $seeds 2>&1 | tail -n 12
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz $name FAILED" >&2; exit 1; }
done
echo "fuzz: all targets ran ${secs}s without a finding"

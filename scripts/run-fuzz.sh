#!/usr/bin/env bash
# Runs each libFuzzer binary for SECONDS with its corpus under build/fuzz/corpus/<name>
# (plus read-only seeds from <module>/fuzz/seeds/<name>/).
# Any crash, leak or sanitizer report fails the run. Run longer with
#   make fuzz FUZZ_SECONDS=3600
# SECONDS 0 only replays the seeds and the saved corpus (-runs=0): what `make test` does.
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
  if [ "$secs" = 0 ]; then
    limit=-runs=0; echo "== fuzz $name: replay of its seeds and corpus"
  else
    limit=-max_total_time="$secs"; echo "== fuzz $name for ${secs}s"
  fi
  "$f" "$limit" -print_final_stats=1 -artifact_prefix="build/fuzz/$name-" \
    "$corpus" $seeds 2>&1 | tail -n 12
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz $name FAILED" >&2; exit 1; }
done
if [ "$secs" = 0 ]; then echo "fuzz: every target replayed its inputs without a finding"
else echo "fuzz: all targets ran ${secs}s without a finding"; fi

#!/usr/bin/env bash
# Runs one stage of tests and records its counts in $B/results-<stage>.txt.
# Usage: run-tests.sh BUILD_DIR STAGE TEST...
#  unit: Criterion binaries, counted per test from their "Synthesis" line.
#  integ/e2e: executables, each one test; they get B=BUILD_DIR in the environment.
#  SKIPPED (environment): names of tests this machine cannot run (a missing tool). Each is
#  counted as skipped, and as a failure too unless MV_ALLOW_SKIP=1: a CI machine must not
#  pass by silently running less.
#  Exit status 77 from an integ/e2e test: it found at run time that this machine cannot
#  host what it needs (tests/e2e/compose.sh without a usable Docker daemon). It is counted
#  as skipped, not failed, and its reason (the log's "SKIP:" line) is printed. On CI
#  (CI=true) or with MV_REQUIRE_ALL=1 it is a failure too, unless MV_ALLOW_SKIP=1: the CI
#  machine can run every server the tests use, so a skip there means something broke.
# Prints "<stage>: N passed, N failed, N skipped" and exits non-zero if anything failed.
set -uo pipefail
b=$1; stage=$2; shift 2
mkdir -p "$b"
passed=0; failed=0; skipped=0; failures=()
export B="$b"
for t in "$@"; do
  log="$b/test-logs/$(basename "$t").log"
  mkdir -p "$(dirname "$log")"
  echo "== $stage: $t"
  if [ "$stage" = unit ]; then
    "$t" --jobs 2 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    line=$(grep -a 'Synthesis:' "$log" | tail -n 1)
    p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' <<<"$line")
    f=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' <<<"$line")
    c=$(sed -n 's/.*Crashing: \([0-9]*\).*/\1/p' <<<"$line")
    if [ -z "$p" ]; then p=0; f=1; c=0; fi
    passed=$((passed + p)); failed=$((failed + f + c))
    if [ "$rc" -ne 0 ] || [ $((f + c)) -ne 0 ]; then
      failures+=("$t")
      [ $((f + c)) -ne 0 ] || failed=$((failed + 1))
    fi
  else
    rc=0; "$t" >"$log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
      passed=$((passed + 1)); echo "   ok"
    elif [ "$rc" -eq 77 ]; then
      skipped=$((skipped + 1))
      echo "   SKIPPED: $(grep -m1 '^SKIP:' "$log" | cut -c7-)"
      if { [ "${MV_REQUIRE_ALL:-0}" = 1 ] || [ "${CI:-}" = true ]; } &&
         [ "${MV_ALLOW_SKIP:-0}" != 1 ]; then
        failed=$((failed + 1)); failures+=("$t(skipped)")
      fi
    else
      failed=$((failed + 1)); failures+=("$t")
      echo "   FAILED ($t)"
      # The FAIL: line first: the tail below is often the relay's log, printed after it.
      grep -a -m 3 '^FAIL' "$log" | sed 's/^/   > /' || true
      echo "   last lines of $log:"; tail -n 40 "$log" | sed 's/^/   | /'
    fi
  fi
done
for t in ${SKIPPED:-}; do
  skipped=$((skipped + 1))
  if [ "${MV_ALLOW_SKIP:-0}" = 1 ]; then
    echo "== $stage: $t SKIPPED (allowed by MV_ALLOW_SKIP=1)"
  else
    failed=$((failed + 1)); failures+=("$t(skipped)")
    echo "== $stage: $t SKIPPED: a missing tool (see the make warning); MV_ALLOW_SKIP=1 allows it"
  fi
done
echo "$passed $failed $skipped" > "$b/results-$stage.txt"
echo "$stage ($b): $passed passed, $failed failed, $skipped skipped"
if [ ${#failures[@]} -ne 0 ]; then
  echo "failing: ${failures[*]}" >&2
  exit 1
fi

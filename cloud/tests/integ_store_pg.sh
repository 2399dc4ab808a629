#!/usr/bin/env bash
# The store test suite on PostgreSQL: starts a server from initdb, then runs the unit
# tests' store suite (every backend-neutral store test) and the store_pg suite (fleet and
# connection-loss checks) against it, one test at a time (each empties the database).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"

pg_start
out=$(MVR_TEST_PG="$PG_URL" "$B/tests/relay_tests" --jobs 1 --filter 'store*/*' 2>&1) ||
  { echo "$out"; fail "store tests failed on PostgreSQL"; }
echo "$out" | tail -n 3
syn=$(grep -a 'Synthesis:' <<<"$out")
# Every test ran and passed: none skipped (the store_pg suite skips without a server).
grep -q 'Failing: 0 | Crashing: 0' <<<"$syn" || fail "$syn"
[[ "$syn" =~ Tested:\ ([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 15 ] || fail "too few: $syn"
grep -q 'Skipped' <<<"$syn" && ! grep -q 'Skipped: 0' <<<"$syn" && fail "skipped: $syn"
ok "store suite on PostgreSQL: $syn"
pg_stop

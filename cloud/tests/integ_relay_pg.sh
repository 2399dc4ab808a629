#!/usr/bin/env bash
# The relay on PostgreSQL end to end: the integration tests of log ingestion (exactly
# once, LOG_ACK after commit, REST and SSE), configs/secrets, provisioning and app
# bundles/deploys (OTA) run again with --store pointing at a PostgreSQL server started
# here, each on its own database.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"

pg_start
base=${PG_URL%/postgres}
here=$(cd "$(dirname "$0")" && pwd)
for t in integ_logs.sh integ_config.sh integ_provision_connect.sh ../../cli/tests/integ_apps.sh; do
  db=t_$(basename "$t" .sh)
  pg_sql "CREATE DATABASE $db" || fail "create database $db"
  RELAY_EXTRA="--store $base/$db" MV_RELAY_EXTRA="--store $base/$db" "$here/$t" \
    >"$T/$(basename "$t").log" 2>&1 ||
    { tail -n 40 "$T/$(basename "$t").log" >&2; fail "$t on PostgreSQL"; }
  # The relay really ran on PostgreSQL: its tables hold the test's devices.
  n=$("$PG_BIN/psql" -X -A -t "$base/$db" -c "SELECT COUNT(*) FROM devices")
  [ "$n" -ge 1 ] || fail "$t left no device rows in PostgreSQL"
  ok "$t on PostgreSQL ($n devices)"
done
pg_stop

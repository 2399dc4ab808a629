#!/bin/sh
# First start: initdb, then the relays' role and database (password from
# MVRELAY_DB_PASSWORD). Every start: run the server in the foreground.
set -eu
bin=/usr/lib/postgresql/15/bin
data=/var/lib/pg/data
if [ ! -s "$data/PG_VERSION" ]; then
  : "${MVRELAY_DB_PASSWORD:?set MVRELAY_DB_PASSWORD}"
  pw=$(mktemp)
  printf '%s\n' "$MVRELAY_DB_PASSWORD" >"$pw"
  "$bin/initdb" -D "$data" -U mvrelay --pwfile="$pw" -A scram-sha-256 -E UTF8 >/dev/null
  rm -f "$pw"
  "$bin/pg_ctl" -D "$data" -o "-c listen_addresses=''" -w start >/dev/null
  PGPASSWORD=$MVRELAY_DB_PASSWORD "$bin/createdb" -h /run/postgresql -U mvrelay mvrelay
  "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$data/pg_hba.conf"
fi
exec "$bin/postgres" -D "$data" -c listen_addresses='*'

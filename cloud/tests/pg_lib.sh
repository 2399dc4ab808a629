# PostgreSQL for the tests (sourced after lib.sh): pg_start runs Debian's postgresql-15
# from a fresh initdb in $T/pg on a free loopback port, with its Unix socket in that dir,
# and sets PG_URL; lib.sh's EXIT trap stops it by PID like every other process.
# PostgreSQL refuses to run as root: as root (CI) it runs as the package's postgres user.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

AS_PG=()
[ "$(id -u)" = 0 ] && AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups --)

# pg_start: initdb, start, wait (bounded) until it accepts connections.
pg_start() {
  [ -x "$PG_BIN/postgres" ] || fail "no $PG_BIN/postgres (apt-get install postgresql-15)"
  PG_DIR=$T/pg
  mkdir -p "$PG_DIR"
  chmod 711 "$T" # the server user only traverses $T
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U mvr -A trust -E UTF8 --no-instructions \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; fail "initdb failed"; }
  PG_PORT=$(free_port)
  pg_run
}

# pg_run: starts the server of pg_start (again, after pg_stop: same data and port).
pg_run() {
  # fsync off (PG_FSYNC=on for measurements): a test server's data is thrown away; the
  # relay still waits for COMMIT. PG_OPTS: more server options (e.g. "-c track_wal_io_timing=on").
  # Started directly (no shell function or subshell), so $! is the postmaster's PID.
  "${AS_PG[@]}" "$PG_BIN/postgres" -D "$PG_DIR/data" -p "$PG_PORT" -k "$PG_DIR" \
    -c listen_addresses=127.0.0.1 -c fsync="${PG_FSYNC:-off}" -c max_connections=200 ${PG_OPTS:-} \
    >>"$PG_DIR/server.log" 2>&1 &
  PG_PID=$!
  PIDS+=("$PG_PID")
  PG_URL="postgres://mvr@127.0.0.1:$PG_PORT/postgres"
  for _ in $(seq 100); do
    "$PG_BIN/pg_isready" -q -U mvr -h 127.0.0.1 -p "$PG_PORT" && return 0
    kill -0 "$PG_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 20 "$PG_DIR/server.log" >&2
  fail "PostgreSQL did not start"
}

# pg_stop: fast shutdown by PID (SIGINT), bounded wait.
pg_stop() {
  kill -INT "$PG_PID" 2>/dev/null || true
  for _ in $(seq 100); do
    # Exited (a zombie until reaped: state Z) or gone.
    [ "$(awk '{print $3}' /proc/"$PG_PID"/stat 2>/dev/null || echo Z)" = Z ] && {
      wait "$PG_PID" 2>/dev/null || true
      return 0
    }
    sleep 0.1
  done
  fail "PostgreSQL did not stop"
}

# pg_sql SQL: runs SQL as the test superuser, prints unaligned tuples.
pg_sql() {
  "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$PG_URL" -c "$1"
}

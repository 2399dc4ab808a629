# Shared shell helpers for the CLI integration tests, the host e2e tests and the
# demo: free loopback ports, starting mvrelay / mosquitto / mvdevice, waiting for
# output, and cleanup of every process started. Source it; needs $B (build dir).
# Every process started here is recorded in MV_PIDS and killed by mv_cleanup.

MV_PIDS=()
MV_TMP=${MV_TMP:-}

mv_fail() {
    echo "FAIL: $*" >&2
    exit 1
}

mv_log() {
    echo "-- $*" >&2
}

# A free TCP port on 127.0.0.1 (bound then released; a race is possible but
# unlikely, and the caller's ready check would catch it).
mv_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# mv_tmpdir NAME: a fresh temp directory, removed by mv_cleanup.
mv_tmpdir() {
    MV_TMP=$(mktemp -d "/tmp/mv-$1.XXXXXX") || mv_fail "mktemp"
}

mv_cleanup() {
    local pid
    for pid in "${MV_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${MV_PIDS[@]}"; do
        # Bounded wait, then force.
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    MV_PIDS=()
    if [ -n "$MV_TMP" ] && [ -z "${MV_KEEP_TMP:-}" ]; then rm -rf "$MV_TMP"; fi
}

# mv_wait_for FILE PATTERN SECONDS [PID]: waits until FILE contains PATTERN
# (grep -E); fails early if PID dies.
mv_wait_for() {
    local file=$1 pat=$2 secs=$3 pid=${4:-}
    local n=$((secs * 10))
    for _ in $(seq "$n"); do
        if grep -Eq -- "$pat" "$file" 2>/dev/null; then return 0; fi
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            echo "process $pid exited while waiting for '$pat' in $file" >&2
            tail -n 30 "$file" >&2 || true
            return 1
        fi
        sleep 0.1
    done
    echo "timed out after ${secs}s waiting for '$pat' in $file" >&2
    tail -n 30 "$file" >&2 || true
    return 1
}

# mv_start_relay DATA_DIR [extra args]: starts $B/mvrelay on free loopback
# ports (the same ones again on a restart); sets RELAY_PID, RELAY_DEV_PORT,
# RELAY_API_PORT, RELAY_LOG and exports
# MVCLI_URL, MVCLI_TOKEN, MVCLI_CACERT (and MVCLI_CONFIG=/dev/null so that a
# user's config file cannot interfere). MV_RELAY_EXTRA: more flags for every start (e.g.
# --store URL, as cloud/tests/integ_relay_pg.sh runs tests on PostgreSQL).
mv_start_relay() {
    local dd=$1; shift
    mkdir -p "$dd"
    RELAY_DEV_PORT=${RELAY_DEV_PORT:-$(mv_free_port)}
    RELAY_API_PORT=${RELAY_API_PORT:-$(mv_free_port)}
    # One log per start, so a restart's ready check cannot see the old line.
    MV_RELAY_STARTS=$(( ${MV_RELAY_STARTS:-0} + 1 ))
    RELAY_LOG="$(dirname "$dd")/relay.$MV_RELAY_STARTS.log"
    "$B/mvrelay" --data-dir "$dd" --listen "127.0.0.1:$RELAY_DEV_PORT" \
        --api-listen "127.0.0.1:$RELAY_API_PORT" ${MV_RELAY_EXTRA:-} "$@" >>"$RELAY_LOG" 2>&1 &
    RELAY_PID=$!
    MV_PIDS+=("$RELAY_PID")
    mv_wait_for "$RELAY_LOG" "mvrelay: ready device=127.0.0.1:$RELAY_DEV_PORT" 30 "$RELAY_PID" ||
        mv_fail "mvrelay did not become ready"
    export MVCLI_URL="https://127.0.0.1:$RELAY_API_PORT"
    MVCLI_TOKEN=$(cat "$dd/admin.token") || mv_fail "no $dd/admin.token"
    export MVCLI_TOKEN
    export MVCLI_CACERT="$dd/ca.pem"
    export MVCLI_CONFIG=/dev/null
}

# mv_stop_pid PID: SIGTERM, bounded wait; returns the exit status.
mv_stop_pid() {
    local pid=$1 rc=0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || rc=$?
    return $rc
}

# mv_expect_rc WANT CMD...: runs CMD, fails unless it exits with WANT.
# Its stdout goes to $MV_OUT, stderr to $MV_ERR.
mv_expect_rc() {
    local want=$1; shift
    local rc=0
    MV_OUT=${MV_OUT:-$MV_TMP/out}
    MV_ERR=${MV_ERR:-$MV_TMP/err}
    "$@" >"$MV_OUT" 2>"$MV_ERR" || rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "command: $*" >&2
        echo "stdout:" >&2; cat "$MV_OUT" >&2
        echo "stderr:" >&2; cat "$MV_ERR" >&2
        mv_fail "exit status $rc, expected $want"
    fi
}

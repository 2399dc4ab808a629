# Helpers for the MQTT bridge's integration tests (sourced after tests/e2e/lib.sh):
# a Mosquitto broker from a generated config on a free loopback port, started and
# stopped by PID, and mvtmqtt runs in the background with their output in a file.

MOSQ=$(command -v mosquitto || echo /usr/sbin/mosquitto)

# mq_start_broker NAME [extra config lines...]: starts mosquitto on 127.0.0.1:$MQ_PORT
# (picked on the first start, reused on restarts); sets MQ_PID.
mq_start_broker() {
    local name=$1; shift
    MQ_PORT=${MQ_PORT:-$(mv_free_port)}
    MQ_CONF="$MV_TMP/$name.conf"
    {
        echo "listener $MQ_PORT 127.0.0.1"
        echo "persistence false"
        # As root, mosquitto would switch to its own user, which cannot read the test's
        # private temp dir (password file, keys).
        [ "$(id -u)" != 0 ] || echo "user root"
        local l
        for l in "$@"; do echo "$l"; done
    } >"$MQ_CONF"
    "$MOSQ" -c "$MQ_CONF" >>"$MV_TMP/$name.log" 2>&1 &
    MQ_PID=$!
    MV_PIDS+=("$MQ_PID")
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$MQ_PORT") 2>/dev/null && return 0
        kill -0 "$MQ_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$MV_TMP/$name.log" >&2
    mv_fail "mosquitto did not start"
}

# mq_dev [--id DIR] STEP...: runs mvtmqtt in the foreground (output on stdout).
mq_dev() {
    local id="$MV_TMP/id"
    if [ "$1" = --id ]; then id=$2; shift 2; fi
    timeout 60 "$B/tests/mvtmqtt" --port "$RELAY_DEV_PORT" --ca "$MV_TMP/data/ca.pem" \
        --identity "$id" "$@"
}

# mq_dev_bg OUT STEP...: mvtmqtt in the background, output to OUT; MQ_DEV_PID is
# mvtmqtt's own PID (a test may kill it); its steps are each time-bounded.
mq_dev_bg() {
    local out=$1 id="$MV_TMP/id"; shift
    if [ "$1" = --id ]; then id=$2; shift 2; fi
    (exec "$B/tests/mvtmqtt" --port "$RELAY_DEV_PORT" --ca "$MV_TMP/data/ca.pem" \
        --identity "$id" "$@" >"$out" 2>&1) &
    MQ_DEV_PID=$!
    MV_PIDS+=("$MQ_DEV_PID")
}

# mq_sub OUT TOPIC COUNT [args]: mosquitto_sub for COUNT messages (bounded), in the
# background; waits until it is subscribed. Sets MQ_SUB_PID.
mq_sub() {
    local out=$1 topic=$2 count=$3; shift 3
    timeout 20 mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" -t "$topic" -C "$count" -v "$@" \
        >"$out" 2>&1 &
    MQ_SUB_PID=$!
    MV_PIDS+=("$MQ_SUB_PID")
    sleep 0.3 # mosquitto_sub has no "subscribed" signal; its SUBACK takes < 10 ms here
}

# mq_expect FILE PATTERN: the output of a finished run must match.
mq_expect() {
    grep -Eq -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; mv_fail "expected '$2'"; }
}

mq_expect_not() {
    if grep -Eq -- "$2" "$1"; then echo "--- $1:" >&2; cat "$1" >&2; mv_fail "unexpected '$2'"; fi
}

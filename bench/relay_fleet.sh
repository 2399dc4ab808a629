#!/usr/bin/env bash
# relay_fleet: log ingestion of (a) one relay on SQLite, (b) one relay on PostgreSQL, (c) two
# relays on that PostgreSQL database behind HAProxy (TCP passthrough), in the same run with
# the same devices and load: FLEET_NDEV devices (relay_ingest_drv, one process per device,
# mutual TLS) each sending RECORDS records, for each batch size in FLEET_BATCHES (window 1:
# send a LOG, wait for its LOG_ACK, send the next). Prints, per setup and batch size,
# records/s committed, mean and p99 LOG_ACK latency (p99: worst device), and where the time
# goes: CPU of each process (relays, PostgreSQL's processes, HAProxy, the drivers and the
# rest = machine busy time minus those) in % of one core, PostgreSQL's transactions and WAL
# flushes (records per commit: the group commit's mean group; mean flush time), and the
# ratios to (a), the anchor of the same run. Checks in each database that every record of
# every device is stored exactly once.
# PostgreSQL 15 from a fresh initdb in the temp dir on a free port (cloud/tests/pg_lib.sh),
# fsync on like SQLite's (PG_FSYNC=off to see the CPU-only cost); HAProxy likewise; both
# stopped by PID.
#   relay_fleet.sh BUILD_DIR     (env FLEET_NDEV, default 16; RECORDS, default 3000;
#   FLEET_BATCHES, default "1 16"; FLEET_QUICK=1: 4 devices x 300 records, a sanity run)
B=${1:?usage: relay_fleet.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cloud/tests/lib.sh"
. "$here/../cloud/tests/pg_lib.sh"
. "$here/../cloud/tests/haproxy_lib.sh"
if [ -n "${FLEET_QUICK:-}" ]; then NDEV=${FLEET_NDEV:-4}; REC=${RECORDS:-300}
else NDEV=${FLEET_NDEV:-16}; REC=${RECORDS:-3000}; fi
BATCHES=${FLEET_BATCHES:-1 16}
DRV="$B/bench/relay_ingest_drv"
HZ=$(getconf CLK_TCK)
ulimit -n "$(ulimit -Hn)"
fail() { echo "relay_fleet: FAIL: $*" >&2; tail -n 5 "$T"/relay-*.log >&2 2>/dev/null; exit 1; }

# WAL flush timing (pg_stat_wal.wal_sync_time) needs track_wal_io_timing.
# pg_stat_statements: statements per commit (the writer's round trips).
PG_FSYNC=${PG_FSYNC:-on} \
  PG_OPTS="-c track_wal_io_timing=on -c shared_preload_libraries=pg_stat_statements" pg_start
pg_sql "CREATE EXTENSION pg_stat_statements" >/dev/null

declare -A DP AP RPID
start_named() { # NAME [STORE]: relay NAME, data dir $T/NAME
  local n=$1 log="$T/relay-$1.log"
  DP[$n]=$(free_port); AP[$n]=$(free_port)
  "$RELAY" --data-dir "$T/$n" ${2:+--store "$2"} --relay-name "$n" \
    --listen "127.0.0.1:${DP[$n]}" --api-listen "127.0.0.1:${AP[$n]}" >"$log" 2>&1 &
  RPID[$n]=$!
  PIDS+=("${RPID[$n]}")
  for _ in $(seq 150); do
    grep -q "mvrelay: ready" "$log" && return 0
    kill -0 "${RPID[$n]}" 2>/dev/null || fail "relay $n exited"
    sleep 0.1
  done
  fail "relay $n not ready"
}
start_named lite
start_named pg1 "$PG_URL"
mkdir -p "$T/pg2" && chmod 700 "$T/pg2"
for f in ca.pem ca.key server.pem server.key secrets.key admin.token; do cp -p "$T/pg1/$f" "$T/pg2/$f"; done
start_named pg2 "$PG_URL"

# HAProxy as in deploy/haproxy.cfg (TCP passthrough, leastconn, /healthz checks).
HDP=$(free_port)
haproxy_start "$HDP" "" pg1 pg2

# provision RELAY N: identities $T/id-RELAY-1..N through that relay's API.
provision() {
  local i body
  for i in $(seq "$2"); do
    mkdir -p "$T/id-$1-$i"
    body=$(curl -sS --fail --max-time 20 --cacert "$T/$1/ca.pem" -X POST -d '{}' \
      -H "Authorization: Bearer $(cat "$T/$1/admin.token")" -H 'Content-Type: application/json' \
      "https://localhost:${AP[$1]}/v1/Devices") || fail "provision on $1"
    jq -r .device.id <<<"$body" >"$T/id-$1-$i/device_id"
    jq -r .private_key <<<"$body" >"$T/id-$1-$i/device.key.pem"
    jq -r .certificate <<<"$body" >"$T/id-$1-$i/device.cert.pem"
    chmod 600 "$T/id-$1-$i/device.key.pem"
  done
}
provision lite "$NDEV"
provision pg1 "$NDEV"
# HAProxy counts servers up from the start; a few checks have passed after 1.5 s.
sleep 1.5
kill -0 "$HA_PID" 2>/dev/null || fail "haproxy: $(cat "$T/haproxy.log")"

cpu_of() { # PID...: utime + stime in ticks, summed (0 for a gone process)
  local p s=0
  for p in "$@"; do
    s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$s"
}
# shellcheck disable=SC2046 # one PID a word
pg_pids() { echo "$PG_PID" $(pgrep -P "$PG_PID" || true); }
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
# children_ticks VAR: CPU of this shell's reaped children (the drivers) into VAR, from
# `times` run in this shell (a command substitution would be a fork: not our children).
children_ticks() {
  times >"$T/times"
  printf -v "$1" '%s' "$(awk -v hz="$HZ" 'NR == 2 { for (i = 1; i <= 2; i++) {
    split($i, t, /[ms]/); s += t[1] * 60 + t[2] } printf "%d\n", s * hz }' "$T/times")"
}
# pg_stats_settled: pg_stats once the backends have reported what they count per backend
# (pg_stat_database, pg_stat_wal: at most once a second while busy, PostgreSQL 15).
pg_stats_settled() { sleep 1.5; pg_stats; }
# pg_stats: COMMITs and all statements the relays ran, and the ms PostgreSQL spent in them
# (pg_stat_statements: counted as each ends, this script's own queries left out), WAL
# flushes and their ms, ms backends sat inside a transaction waiting for their client
# (the relays' round trips; may lag by up to a second of activity).
pg_stats() {
  pg_sql "WITH s AS (SELECT * FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%')
    SELECT (SELECT coalesce(sum(calls), 0) FROM s WHERE query = 'COMMIT'),
    wal_sync, wal_sync_time, (SELECT coalesce(sum(calls), 0) FROM s),
    (SELECT coalesce(sum(total_exec_time), 0) FROM s),
    (SELECT sum(idle_in_transaction_time) FROM pg_stat_database) FROM pg_stat_wal" | tr '|' ' '
}

# run SETUP BATCH: every device of SETUP logs REC records on a fresh boot, all at once.
run() {
  local setup=$1 batch=$2 port id_relay relays d boot pids=() files=()
  case $setup in
    sqlite) port=${DP[lite]}; id_relay=lite; relays=("${RPID[lite]}") ;;
    pg1) port=${DP[pg1]}; id_relay=pg1; relays=("${RPID[pg1]}") ;;
    pg2+haproxy) port=$HDP; id_relay=pg1; relays=("${RPID[pg1]}" "${RPID[pg2]}") ;;
  esac
  boot=$(printf 'f%02x%04x%09x' "$batch" "$RANDOM" "$SECONDS")
  # Processes alive now: drivers are children of this shell and exit before the end, so
  # their CPU is what the machine did beyond the measured servers.
  local pgp r0 p0 h0 b0 s0 t0 t1 c0 c1 served0 served1
  read -ra pgp <<<"$(pg_pids)"
  [ "$setup" = pg2+haproxy ] && served_by served0
  s0=$(pg_stats_settled)
  r0=$(cpu_of "${relays[@]}"); p0=$(cpu_of "${pgp[@]}"); h0=$(cpu_of "$HA_PID"); b0=$(busy)
  children_ticks c0
  t0=$(date +%s.%N)
  for d in $(seq "$NDEV"); do
    timeout 300 "$DRV" --port "$port" --ca "$T/$id_relay/ca.pem" --identity "$T/id-$id_relay-$d" \
      --boot "$boot" --records "$REC" --batch "$batch" --window 1 >"$T/out.$d" &
    pids+=($!)
    files+=("$T/out.$d")
  done
  for d in "${pids[@]}"; do wait "$d" || fail "driver failed ($setup, batch $batch)"; done
  t1=$(date +%s.%N)
  children_ticks c1
  local r1 p1 h1 b1 s1
  read -ra pgp <<<"$(pg_pids)"
  r1=$(cpu_of "${relays[@]}"); p1=$(cpu_of "${pgp[@]}"); h1=$(cpu_of "$HA_PID"); b1=$(busy)
  s1=$(pg_stats_settled)
  verify "$setup" "$boot"
  if [ "$setup" = pg2+haproxy ]; then
    served_by served1
    echo "$served0 $served1" | awk -v b="$batch" '{ printf "relay_fleet: batch %s behind HAProxy," \
      " records stored by pg1 %d, by pg2 %d\n", b, $3 - $1, $4 - $2 }' >>"$T/served"
  fi
  cat "${files[@]}" | awk -v setup="$setup" -v batch="$batch" -v ndev="$NDEV" -v n="$REC" \
    -v wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b - a}')" -v hz="$HZ" \
    -v relay=$((r1 - r0)) -v pg=$((p1 - p0)) -v ha=$((h1 - h0)) -v busy=$((b1 - b0)) \
    -v drv=$((c1 - c0)) \
    -v s0="$s0" -v s1="$s1" '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      if (NR == 1 || v["t0"] < t0) t0 = v["t0"]; if (v["t1"] > t1) t1 = v["t1"]
      mean += v["lat_mean_ms"] * v["acks"]; acks += v["acks"]
      if (v["lat_p99_ms"] > p99) p99 = v["lat_p99_ms"]; rec += v["reconnects"] }
    END { split(s0, a, " "); split(s1, b, " ")
          xact = b[1] - a[1]; syncs = b[2] - a[2]; sync_ms = b[3] - a[3]
          x = xact > 0 ? xact : 1
          c = 100 / (wall * hz)
          if (setup == "sqlite") { grp = fl = st = act = idl = "-" }
          else { grp = sprintf("%.1f", ndev * n / x)
                 fl = sprintf("%.2f", syncs > 0 ? sync_ms / syncs : 0)
                 st = sprintf("%.1f", (b[4] - a[4]) / x); act = sprintf("%.2f", (b[5] - a[5]) / x)
                 idl = sprintf("%.2f", (b[6] - a[6]) / x) }
          other = busy - relay - pg - ha - drv; if (other < 0) other = 0
          printf "%-12s %5d %5d %8d %9.0f %8.2f %8.2f %6d %7s %7s %6s %7s %7s %7.0f %6.0f %6.0f %6.0f %6.0f %5d\n",
                 setup, ndev, batch, ndev * n, ndev * n / (t1 - t0), mean / acks, p99, xact,
                 grp, fl, st, act, idl, relay * c, pg * c, ha * c, drv * c, other * c, rec }' |
    tee -a "$T/results"
}

# verify SETUP BOOT: in the database, NDEV x REC records of that boot, each once.
verify() {
  local n
  if [ "$1" = sqlite ]; then
    n=$(sqlite3 "$T/lite/relay.db" \
      "SELECT count(*) || ' ' || count(DISTINCT device_id || ':' || seq) FROM logs WHERE boot_id = '$2'")
  else
    n=$(pg_sql "SELECT count(*) || ' ' || count(DISTINCT (device_id, seq)) FROM logs WHERE boot_id = '$2'")
  fi
  [ "$n" = "$((NDEV * REC)) $((NDEV * REC))" ] ||
    fail "$1: stored (records, distinct) = ($n), expected $((NDEV * REC)) each"
}

# served_by VAR: records stored so far by pg1 and pg2 (their metrics), into VAR.
served_by() {
  local r m line=""
  for r in pg1 pg2; do
    m=$(curl -sS --max-time 10 --cacert "$T/pg1/ca.pem" \
      -H "Authorization: Bearer $(cat "$T/pg1/admin.token")" "https://localhost:${AP[$r]}/metrics" |
      awk '$1 == "mvrelay_log_records_stored_total" {print $2}')
    line+="${line:+ }${m:-0}"
  done
  printf -v "$1" '%s' "$line"
}

echo "relay_fleet: $NDEV devices x $REC records of 80 bytes per run, window 1; PostgreSQL 15" \
  "fsync=${PG_FSYNC:-on}; rec/s = records acknowledged (committed) per second; latency = LOG" \
  "sent to its LOG_ACK (p99: worst device); xact = the relays' COMMITs during the run;" \
  "rec/xact = records per commit; flush = mean WAL flush ms; st/xact = statements per commit;" \
  "exec/x = ms PostgreSQL executed statements per commit; wait/x = ms it waited, inside the" \
  "transaction, for the relay's next statement, per commit; CPU in % of one core" \
  "(other: the rest of the machine's busy time, e.g. other jobs on a shared host)"
printf '%-12s %5s %5s %8s %9s %8s %8s %6s %7s %7s %6s %7s %7s %7s %6s %6s %6s %6s %5s\n' setup devs batch \
  records rec/s "mean ms" "p99 ms" xact rec/xact flush st/xact exec/x wait/x "relay%" "pg%" "hap%" \
  "drv%" "other%" recon
for batch in $BATCHES; do
  for setup in sqlite pg1 pg2+haproxy; do run "$setup" "$batch"; done
done
cat "$T/served"
awk '{ r[$1, $3] = $5; p[$1, $3] = $7; if (!($3 in seen)) { seen[$3] = 1; order[++n] = $3 } }
  END { for (i = 1; i <= n; i++) { b = order[i]
          printf "ratio to one SQLite relay, batch %s: rec/s PostgreSQL %.2f, 2 x PostgreSQL + HAProxy %.2f;" \
                 " p99 %.2f, %.2f\n", b, r["pg1", b] / r["sqlite", b], r["pg2+haproxy", b] / r["sqlite", b],
                 p["pg1", b] / p["sqlite", b], p["pg2+haproxy", b] / p["sqlite", b]
          printf "ratio 2 relays/1 relay on PostgreSQL, batch %s: %.2f\n", b, r["pg2+haproxy", b] / r["pg1", b] } }' \
  "$T/results"
# Disk per record (table, TOAST and indexes), for sizing the logs table (docs/scale.md).
pg_sql "SELECT count(*), pg_total_relation_size('logs') FROM logs" | tr '|' ' ' |
  awk '{ printf "relay_fleet: PostgreSQL logs table: %d records, %.1f MB with indexes, %.0f bytes per" \
         " record of 80 bytes\n", $1, $2 / 1e6, $2 / $1 }'
echo "relay_fleet: every record stored exactly once (checked in each database)"

#!/usr/bin/env bash
# e2e: deploy/docker-compose.yml with a real Docker daemon. Brings the stack up with
# `up -d --build`, checks the healthchecks, the API published on 127.0.0.1 only, the relay
# running as a non-root user, the fixed project name and that .dockerignore keeps build/
# out of the image; gets the token and CA out as docs/deploy.md says, provisions a device
# with the host's mvcli, streams a host mvdevice's logs across a relay restart and a
# `down`/`up` (data intact), and checks that a changed MVRELAY_SERVER_NAME issues the server
# certificate again.
#
# Uses a running daemon (DOCKER_HOST or /var/run/docker.sock), else starts its own dockerd
# (as root: data root cached in build/compose/docker, socket and pid file in a temp dir,
# no iptables or sysctl changes, stopped by PID at the end). Without a registry, the base
# images are built locally: debian:bookworm-slim from a debootstrap of the Debian mirror
# (MV_DEBIAN_MIRROR, cached in build/compose/), eclipse-mosquitto:2 from Debian's
# mosquitto (tests/e2e/compose/mosquitto.Dockerfile).
# Exits 77 (skipped, with the reason) where no daemon can run: no docker tools, not root,
# or dockerd failing to start (e.g. no cgroups or overlay mounts in a container sandbox).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
B=$(cd "${B:-build/host}" && pwd)
cache=$root/build/compose
mirror=${MV_DEBIAN_MIRROR:-http://deb.debian.org/debian}
skip() { echo "SKIP: $*"; exit 77; }

for t in docker-compose dockerd debootstrap; do
  command -v "$t" >/dev/null || skip "$t is not installed (scripts/packages-compose.txt; make deps installs it)"
done
# Debian's client matches Debian's daemon; another docker on PATH may be far newer.
docker=$(command -v /usr/bin/docker || command -v docker)
mv_tmpdir compose
own_dockerd=
stop_all() {
  set +e
  [ -n "${dc_ok:-}" ] && dc down -v --remove-orphans >/dev/null 2>&1
  [ -n "${fleet_ok:-}" ] && fdc down -v --remove-orphans >/dev/null 2>&1
  if [ -n "$own_dockerd" ]; then
    kill -TERM "$own_dockerd" 2>/dev/null
    for _ in $(seq 300); do kill -0 "$own_dockerd" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$own_dockerd" 2>/dev/null
    wait "$own_dockerd" 2>/dev/null
    # dockerd leaves its network-namespace bind mount behind; ours only, deepest first.
    awk -v t="$MV_TMP/" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r |
      while read -r m; do umount "$m"; done
  fi
  mv_cleanup
}
trap stop_all EXIT

# A daemon: the one already running, else our own.
if ! "$docker" info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || skip "no Docker daemon is running and starting one needs root"
  mkdir -p "$cache/docker"
  dockerd --data-root "$cache/docker" --exec-root "$MV_TMP/exec" --pidfile "$MV_TMP/dockerd.pid" \
    --host "unix://$MV_TMP/docker.sock" --iptables=false --ip-masq=false --ip-forward=false --bridge=none \
    >"$MV_TMP/dockerd.log" 2>&1 &
  own_dockerd=$!
  export DOCKER_HOST="unix://$MV_TMP/docker.sock"
  for _ in $(seq 300); do
    "$docker" info >/dev/null 2>&1 && break
    kill -0 "$own_dockerd" 2>/dev/null || break
    sleep 0.1
  done
  "$docker" info >/dev/null 2>&1 ||
    skip "dockerd cannot run here: $(grep -E 'level=(error|fatal)|failed' "$MV_TMP/dockerd.log" | tail -n 3)"
fi
echo "docker daemon: $("$docker" version -f '{{.Server.Version}}') at ${DOCKER_HOST:-/var/run/docker.sock}"

# Base images: from the registry if it answers, else built here (cached).
have_image() { "$docker" image inspect "$1" >/dev/null 2>&1; }
if ! have_image debian:bookworm-slim && ! timeout 30 "$docker" pull -q debian:bookworm-slim >/dev/null 2>&1; then
  if [ ! -s "$cache/bookworm.tar" ]; then
    echo "building debian:bookworm-slim with debootstrap from $mirror"
    rm -rf "$cache/rootfs"
    debootstrap --variant=minbase bookworm "$cache/rootfs" "$mirror" >"$MV_TMP/debootstrap.log" 2>&1 ||
      { tail -n 20 "$MV_TMP/debootstrap.log"; mv_fail "debootstrap"; }
    rm -rf "$cache/rootfs/var/cache/apt/archives/"*.deb "$cache/rootfs/var/lib/apt/lists/"*
    tar -C "$cache/rootfs" -cf "$cache/bookworm.tar.tmp" . && mv "$cache/bookworm.tar.tmp" "$cache/bookworm.tar"
    rm -rf "$cache/rootfs"
  fi
  "$docker" import "$cache/bookworm.tar" debian:bookworm-slim >/dev/null || mv_fail "docker import"
fi
if ! have_image eclipse-mosquitto:2 && ! timeout 30 "$docker" pull -q eclipse-mosquitto:2 >/dev/null 2>&1; then
  echo "building a local eclipse-mosquitto:2 from Debian's mosquitto"
  "$docker" build -q --network host -t eclipse-mosquitto:2 -f "$here/compose/mosquitto.Dockerfile" \
    "$here/compose" >/dev/null || mv_fail "mosquitto image"
fi

# .dockerignore: the build context holds no build/ (host binaries, demo keys) and no .git.
mkdir -p "$root/build"
printf 'FROM debian:bookworm-slim\nCOPY . /ctx\nRUN test ! -e /ctx/build && test ! -e /ctx/.git && test -e /ctx/cloud/src/main.c\n' |
  "$docker" build -q --network host -t mvisor-ctx-check -f - "$root" >/dev/null ||
  mv_fail ".dockerignore lets build/ or .git into the image"
"$docker" rmi -f mvisor-ctx-check >/dev/null 2>&1 || true

# MV_COMPOSE_FLEET_ONLY=1: only the fleet stack (compose/fleet.sh), e.g. while working on it.
if [ -n "${MV_COMPOSE_FLEET_ONLY:-}" ]; then
  . "$here/compose/fleet.sh"
  echo PASS
  exit 0
fi

# The stack, as docs/deploy.md runs it; the override only lets the image build reach the
# Debian mirror without the iptables rules this test does not install.
cat >"$MV_TMP/override.yml" <<YML
services:
  relay:
    build:
      network: host
YML
export MVRELAY_DEVICE_PORT MVRELAY_API_PORT MVRELAY_DEVICE_BIND=127.0.0.1
MVRELAY_DEVICE_PORT=$(mv_free_port)
MVRELAY_API_PORT=$(mv_free_port)
dc() { (cd "$root/deploy" && docker-compose -f docker-compose.yml -f "$MV_TMP/override.yml" "$@"); }
dc_ok=1
dc down -v --remove-orphans >/dev/null 2>&1 || true
dc up -d --build >"$MV_TMP/up.log" 2>&1 || { tail -n 40 "$MV_TMP/up.log"; mv_fail "compose up --build"; }
relay=$(dc ps -q relay)
[ -n "$relay" ] || mv_fail "no relay container"
name=$("$docker" inspect -f '{{.Name}}' "$relay")
[[ $name == /mvisor_relay_1 || $name == /mvisor-relay-1 ]] || mv_fail "project name not fixed: $name"

healthy() { # healthy SERVICE SECONDS
  local id st
  id=$(dc ps -q "$1")
  for _ in $(seq $(($2 * 2))); do
    st=$("$docker" inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null || echo none)
    [ "$st" = healthy ] && return 0
    sleep 0.5
  done
  echo "$1 is $st; its logs:" >&2
  dc logs --tail 30 "$1" >&2
  return 1
}
healthy mosquitto 60 || mv_fail "mosquitto not healthy"
healthy relay 90 || mv_fail "relay not healthy"

# Published ports: the API on 127.0.0.1 only.
api=$("$docker" port "$relay" 7444/tcp)
[ "$api" = "127.0.0.1:$MVRELAY_API_PORT" ] || mv_fail "API published as: $api"
uid=$(dc exec -T relay id -u)
[ "$uid" != 0 ] || mv_fail "the relay runs as root"

# Token and CA out of the volume, as documented.
dc exec -T relay cat /data/admin.token >"$MV_TMP/admin.token"
dc exec -T relay cat /data/ca.pem >"$MV_TMP/ca.pem"
export MVCLI_URL="https://127.0.0.1:$MVRELAY_API_PORT" MVCLI_CACERT="$MV_TMP/ca.pem" MVCLI_CONFIG=/dev/null
MVCLI_TOKEN=$(cat "$MV_TMP/admin.token")
export MVCLI_TOKEN
"$B/mvcli" devices provision --out "$MV_TMP/id" >/dev/null || mv_fail "provision through compose"
dev=$(cat "$MV_TMP/id/device_id")
"$B/mvdevice" --relay "wss://localhost:$MVRELAY_DEVICE_PORT" --identity "$MV_TMP/id" --app demo \
  >"$MV_TMP/device.log" 2>&1 &
MV_PIDS+=("$!")
"$B/mvcli" logs stream "$dev" --since 1h >"$MV_TMP/stream.out" 2>"$MV_TMP/stream.err" &
sp=$!
MV_PIDS+=("$sp")
mv_wait_for "$MV_TMP/stream.out" "demo: counter 1$" 60 "$sp" || mv_fail "no logs streamed"

# A relay restart: the stream reconnects and goes on.
dc restart relay >/dev/null 2>&1 || mv_fail "restart"
healthy relay 90 || mv_fail "relay not healthy after restart"
mv_wait_for "$MV_TMP/stream.err" "reconnected" 60 "$sp" || mv_fail "stream did not reconnect"
last=$(grep -c 'demo: counter' "$MV_TMP/stream.out")
mv_wait_for "$MV_TMP/stream.out" "demo: counter $((last + 1))$|demo: counter [0-9]+$" 60 "$sp" || true
sleep 3
[ "$(grep -c 'demo: counter' "$MV_TMP/stream.out")" -gt "$last" ] || mv_fail "no logs after restart"
dup=$(grep -o '[0-9a-f]\{16\}:[0-9]*' "$MV_TMP/stream.out" | sort | uniq -d | head -n 1)
[ -z "$dup" ] || mv_fail "record printed twice across the restart: $dup"

# down/up: the volume keeps the database, the CA and the token.
stored=$("$B/mvcli" --json logs get "$dev" --limit 1000 | grep -c '"cursor"')
dc down >/dev/null 2>&1 || mv_fail "compose down"
dc up -d >/dev/null 2>&1 || mv_fail "compose up again"
healthy relay 90 || mv_fail "relay not healthy after down/up"
cmp -s "$MV_TMP/ca.pem" <(dc exec -T relay cat /data/ca.pem) || mv_fail "CA changed across down/up"
"$B/mvcli" devices show "$dev" >/dev/null || mv_fail "device lost (or token changed) across down/up"
again=$("$B/mvcli" --json logs get "$dev" --limit 1000 | grep -c '"cursor"')
[ "$again" -ge "$stored" ] || mv_fail "logs lost across down/up: $stored then $again"

# A changed server name: the certificate is issued again and names it.
MVRELAY_SERVER_NAME=relay.test dc up -d >/dev/null 2>&1 || mv_fail "compose up with a new name"
healthy relay 90 || mv_fail "relay not healthy after the name change"
# (Files, not pipes into grep -q: with pipefail an early grep exit fails the pipeline.)
dc logs relay >"$MV_TMP/relay.log" 2>&1
grep -q "server certificate issued again" "$MV_TMP/relay.log" || mv_fail "no reissue log line"
dc exec -T relay cat /data/server.pem >"$MV_TMP/server.pem"
openssl x509 -in "$MV_TMP/server.pem" -noout -ext subjectAltName >"$MV_TMP/san.txt"
grep -q "DNS:relay.test" "$MV_TMP/san.txt" || mv_fail "server certificate lacks the new name: $(cat "$MV_TMP/san.txt")"
"$B/mvcli" devices list >/dev/null || mv_fail "CLI after the name change"
echo "single-relay stack checked in ${SECONDS}s"

# The fleet (deploy/docker-compose.fleet.yml) on the same daemon and images; the single
# stack goes first (the same project name, and 2 cores).
dc down -v --remove-orphans >/dev/null 2>&1 || mv_fail "compose down before the fleet"
dc_ok=
. "$here/compose/fleet.sh"
echo PASS

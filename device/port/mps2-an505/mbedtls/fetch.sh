#!/bin/sh
# Fetches the mbedTLS source Debian ships (the same 2.28 as libmbedtls-dev on the host)
# into DEST with `apt-get source`, for the firmware cross-build. Nothing is vendored:
# the source lives under build/ only. Enables bookworm deb-src first if no deb-src
# entry exists (root only; otherwise explains what to do).
# Usage: fetch.sh DEST   -> DEST/mbedtls-<version>/, DEST/mbedtls (symlink to it) and
#                          DEST/mbedtls.dir (its path)
set -eu
dest=$1
list=/etc/apt/sources.list.d/mvisor-deb-src.sources

have_deb_src() {
  grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/
}

# Source entries mirror the machine's own binary entries (same mirrors, suites and keys),
# so the build reaches only the package mirror this machine is already set up for.
write_deb_src() {
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && [ "$f" != "$list" ] || continue
    awk 'BEGIN { RS=""; ORS="\n\n" }
         /(^|\n)Types:[^\n]*deb([ \n]|$)/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f"
  done
  if [ -f /etc/apt/sources.list ]; then
    sed -n 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list | while read -r line; do
      set -- $line; shift
      printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents:' "$1" "$2"; shift 2
      printf ' %s' "$@"; printf '\n\n'
    done
  fi
}

if ! have_deb_src; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "fetch.sh: no deb-src entry in APT's sources; run this again as root, or add" >&2
    echo "  deb-src lines for your Debian mirror and run apt-get update" >&2
    exit 1
  fi
  echo "fetch.sh: enabling deb-src (from the existing binary entries) in $list"
  { echo "# Added by mvisor (device/port/mps2-an505/mbedtls/fetch.sh): mbedTLS source for firmware."
    write_deb_src; } > "$list"
  grep -q '^Types: deb-src' "$list" || { echo "fetch.sh: no Debian binary source entry to mirror" >&2; rm -f "$list"; exit 1; }
  apt-get update -q
fi

mkdir -p "$dest"
cd "$dest"
if ! ls -d mbedtls-*/library >/dev/null 2>&1; then
  apt-get source -q mbedtls
fi
src=$(ls -d "$PWD"/mbedtls-*/ | head -n 1)
# The top Makefile includes every build/**/*.d as a dependency file; mbedTLS ships a
# directory named ChangeLog.d (changelog fragments, unused here), which would stop make.
if [ -d "$src/ChangeLog.d" ]; then
  rm -rf "$src/ChangeLog.fragments"
  mv "$src/ChangeLog.d" "$src/ChangeLog.fragments"
fi
[ -f "$src/include/mbedtls/ssl.h" ] || { echo "fetch.sh: no mbedTLS source in $dest" >&2; exit 1; }
echo "${src%/}" > mbedtls.dir
ln -sfn "$(basename "$src")" mbedtls # stable include path: DEST/mbedtls/include
echo "fetch.sh: mbedTLS source in ${src%/}"

#!/usr/bin/env bash
# Integration: applications are portable only if they see nothing but the public device
# headers (mv_syscalls.h, mv_app_port.h in device/include) and their own directory.
# Compiles every app source that way, and each public header on its own (self-contained,
# include guard), with the project's strict warnings.
set -uo pipefail
CC=${CC:-gcc}
FLAGS=(-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -fsyntax-only)
fail=0
for h in mv_syscalls.h mv_app_port.h; do
  if ! printf '#include "%s"\n#include "%s"\n' "$h" "$h" |
      "$CC" "${FLAGS[@]}" -Idevice/include -x c -; then
    echo "FAIL: device/include/$h is not self-contained (or lacks an include guard)"; fail=1
  fi
done
n=0
for src in device/apps/*/*.c; do
  n=$((n + 1))
  if ! "$CC" "${FLAGS[@]}" -Idevice/include -I"$(dirname "$src")" "$src"; then
    echo "FAIL: $src needs more than device/include and its own directory"; fail=1
  fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no application sources found"; fail=1; }
[ "$fail" = 0 ] && echo "ok: $n app sources and 2 public headers compile standalone"
exit "$fail"

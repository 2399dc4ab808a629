#!/bin/sh
# Cross-builds the fetched mbedTLS source (mps2-an505's mbedtls/fetch.sh: Debian's
# `apt-get source`) into one archive for a firmware port, with the configuration both
# emulated boards use (mps2-an505/mbedtls/mvk_mbedtls_config.h). One script, so the
# ports cannot build the library differently; what is the port's own (compiler, CPU
# flags, archive name) comes in as arguments and environment.
# Usage: mbedtls_build.sh SRC_DIR OUT_DIR LIB   -> OUT_DIR/LIB (and OUT_DIR/obj/)
#   SRC_DIR as written by fetch.sh into mbedtls.dir.
# Env: CC and CPUFLAGS (required), AR (default: CC with -gcc replaced by -ar), JOBS.
set -eu
src=$1; out=$2; lib=$3
cfgdir=$(cd "$(dirname "$0")/../mps2-an505/mbedtls" && pwd)
cc=${CC:?CC is the cross compiler}
cpu=${CPUFLAGS:?CPUFLAGS are the target CPU flags}
ar=${AR:-${cc%gcc}ar}
jobs=${JOBS:-$(nproc)}
# Third-party code: the library's own warning level, not the project's -Werror set.
cflags="-std=c99 -O2 -g $cpu -specs=picolibc.specs -ffunction-sections -fdata-sections \
 -Wall -DMBEDTLS_CONFIG_FILE=\"mvk_mbedtls_config.h\" -I$cfgdir -I$src/include"

mkdir -p "$out/obj"
export cc cflags out
ls "$src"/library/*.c | xargs -P "$jobs" -I{} sh -c '
  o="$out/obj/$(basename "{}" .c).o"
  $cc $cflags -c "{}" -o "$o" || exit 255'
rm -f "$out/$lib"
$ar rcs "$out/$lib" "$out"/obj/*.o

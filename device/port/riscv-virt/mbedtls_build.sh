#!/bin/sh
# Cross-builds the mbedTLS source fetched for mps2-an505 (its mbedtls/fetch.sh, Debian's
# `apt-get source`) for rv32imac with the same configuration (its mvk_mbedtls_config.h)
# into one archive. Third-party code: the library's own warning level.
# Usage: mbedtls_build.sh SRC_DIR OUT_DIR   Env: CC, CPUFLAGS, AR, JOBS.
set -eu
src=$1; out=$2
cfgdir=$(cd "$(dirname "$0")/../mps2-an505/mbedtls" && pwd)
cc=${CC:-riscv64-unknown-elf-gcc}
ar=${AR:-riscv64-unknown-elf-ar}
cpu=${CPUFLAGS:--march=rv32imac -mabi=ilp32 -misa-spec=2.2}
jobs=${JOBS:-2}
cflags="-std=c99 -O2 -g $cpu -specs=picolibc.specs -ffunction-sections -fdata-sections \
 -Wall -DMBEDTLS_CONFIG_FILE=\"mvk_mbedtls_config.h\" -I$cfgdir -I$src/include"

mkdir -p "$out/obj"
export cc cflags out
ls "$src"/library/*.c | xargs -P "$jobs" -I{} sh -c '
  o="$out/obj/$(basename "{}" .c).o"
  $cc $cflags -c "{}" -o "$o" || exit 255'
rm -f "$out/libmbedtls-rv32.a"
$ar rcs "$out/libmbedtls-rv32.a" "$out"/obj/*.o
echo "mbedTLS for riscv-virt: $out/libmbedtls-rv32.a"

#!/bin/sh
# Cross-builds the fetched mbedTLS source (fetch.sh) for the Cortex-M33 with the
# shared build (device/port/common/mbedtls_build.sh, this directory's
# mvk_mbedtls_config.h) into one archive, then links a probe that uses every call the
# connection code makes and prints its size.
# Usage: build.sh SRC_DIR OUT_DIR   (SRC_DIR as written by fetch.sh into mbedtls.dir)
# Env: CC (arm-none-eabi-gcc), CPUFLAGS, JOBS.
set -eu
src=$1; out=$2
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-arm-none-eabi-gcc}
CPUFLAGS=${CPUFLAGS:--mcpu=cortex-m33 -mthumb -mfloat-abi=soft}
export CC CPUFLAGS
AR=arm-none-eabi-ar "$here/../../common/mbedtls_build.sh" "$src" "$out" libmbedtls-an505.a

cflags="-std=c99 -O2 -g $CPUFLAGS -specs=picolibc.specs -ffunction-sections -fdata-sections \
 -Wall -DMBEDTLS_CONFIG_FILE=\"mvk_mbedtls_config.h\" -I$here -I$src/include"
$CC $cflags -c "$here/size_probe.c" -o "$out/size_probe.o"
$CC $CPUFLAGS -specs=picolibc.specs --crt0=hosted --oslib=semihost -Wl,--gc-sections \
  -Wl,--defsym=__flash=0x10000000 -Wl,--defsym=__flash_size=0x80000 \
  -Wl,--defsym=__ram=0x38000000 -Wl,--defsym=__ram_size=0x200000 \
  -o "$out/size_probe.elf" "$out/size_probe.o" "$out/libmbedtls-an505.a"
echo "mbedTLS for mps2-an505: $out/libmbedtls-an505.a; TLS client footprint (probe):"
arm-none-eabi-size "$out/size_probe.elf"

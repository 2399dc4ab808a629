#!/bin/sh
# Cross-builds the fetched mbedTLS source (fetch.sh) for the Cortex-M33 with this
# port's configuration (mvk_mbedtls_config.h) into one archive, then links a probe
# that uses every call the connection code makes and prints its size.
# Usage: build.sh SRC_DIR OUT_DIR   (SRC_DIR as written by fetch.sh into mbedtls.dir)
# Env: CC (arm-none-eabi-gcc), CPUFLAGS, JOBS.
set -eu
src=$1; out=$2
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-arm-none-eabi-gcc}
cpu=${CPUFLAGS:--mcpu=cortex-m33 -mthumb -mfloat-abi=soft}
jobs=${JOBS:-$(nproc)}
# Third-party code: the library's own warning level, not the project's -Werror set.
cflags="-std=c99 -O2 -g $cpu -specs=picolibc.specs -ffunction-sections -fdata-sections \
 -Wall -DMBEDTLS_CONFIG_FILE=\"mvk_mbedtls_config.h\" -I$here -I$src/include"

mkdir -p "$out/obj"
export cc cflags out
ls "$src"/library/*.c | xargs -P "$jobs" -I{} sh -c '
  o="$out/obj/$(basename "{}" .c).o"
  $cc $cflags -c "{}" -o "$o" || exit 255'
rm -f "$out/libmbedtls-an505.a"
arm-none-eabi-ar rcs "$out/libmbedtls-an505.a" "$out"/obj/*.o

$cc $cflags -c "$here/size_probe.c" -o "$out/size_probe.o"
$cc $cpu -specs=picolibc.specs --crt0=hosted --oslib=semihost -Wl,--gc-sections \
  -Wl,--defsym=__flash=0x10000000 -Wl,--defsym=__flash_size=0x80000 \
  -Wl,--defsym=__ram=0x38000000 -Wl,--defsym=__ram_size=0x200000 \
  -o "$out/size_probe.elf" "$out/size_probe.o" "$out/libmbedtls-an505.a"
echo "mbedTLS for mps2-an505: $out/libmbedtls-an505.a; TLS client footprint (probe):"
arm-none-eabi-size "$out/size_probe.elf"

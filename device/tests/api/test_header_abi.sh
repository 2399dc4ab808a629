#!/usr/bin/env bash
# Checks mv_syscalls.h against the Microvisor ABI at compile time (abi/mv_abi_check.c):
# enum values everywhere, structure layouts on i386 and Cortex-M33 (32-bit targets).
set -euo pipefail
cd "$(dirname "$0")/../../.."
src=device/tests/api/abi/mv_abi_check.c
tmp=$(mktemp -d /tmp/mv_abi.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
flags=(-std=c11 -Wall -Wextra -Werror -Idevice/include)

echo "host (${CC:-gcc})"
"${CC:-gcc}" "${flags[@]}" -c "$src" -o "$tmp/host.o"

echo "i386"
if echo 'int main(void){return 0;}' | gcc -m32 -x c - -o "$tmp/m32" 2>/dev/null; then
  gcc -m32 "${flags[@]}" -DMVT_REQUIRE_32BIT -fsyntax-only "$src"
else
  echo "  (gcc-multilib missing: using clang --target=i386-linux-gnu -ffreestanding)"
  clang --target=i386-linux-gnu -ffreestanding "${flags[@]}" -DMVT_REQUIRE_32BIT -fsyntax-only "$src"
fi

echo "cortex-m33"
clang --target=arm-none-eabi -mcpu=cortex-m33 -mthumb -ffreestanding "${flags[@]}" \
  -DMVT_REQUIRE_32BIT -fsyntax-only "$src"

# The checks must be able to fail: a wrong value has to be refused.
echo "negative control"
sed 's/^V(MV_STATUS_INPUTTOOLONG, 0x26);/V(MV_STATUS_INPUTTOOLONG, 0x27);/' "$src" > "$tmp/bad.c"
if grep -q 'MV_STATUS_INPUTTOOLONG, 0x27' "$tmp/bad.c" &&
   ! "${CC:-gcc}" "${flags[@]}" -fsyntax-only "$tmp/bad.c" 2>/dev/null; then
  echo "  wrong value refused"
else
  echo "  FAIL: a wrong enum value was not caught" >&2
  exit 1
fi
echo "ok"

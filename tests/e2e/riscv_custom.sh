#!/usr/bin/env bash
# Custom system calls on the riscv-virt port: the kernel built with
# device/apps/custom_example's table (kernel_custom.elf) runs that example in U-mode
# (custom_test.elf). Its custom call usr_add_checked and its common call
# example_checksum (ESP-IDF's ABI: called by its own name, mapped to the generated stub
# usr_example_checksum by the link's --defsym) must reach their kernel handlers by ecall
# and check their pointers. The image itself must show the mapping: example_checksum
# has no code of its own, it is the stub's address, and the stub is li a7, 1025; ecall.
# In E2E_TESTS (TARGET=host); `make check-riscv` too.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/riscv_lib.sh
riscv_setup riscv-custom kernel_custom.elf custom_test.elf
mv_test_identity "$MV_TMP/id"

addr() { riscv64-unknown-elf-nm "$RV_IMG/custom_test.elf" | awk -v s="$1" '$3 == s { print $1 }'; }
[ -n "$(addr usr_example_checksum)" ] || mv_fail "no stub usr_example_checksum in the image"
[ "$(addr example_checksum)" = "$(addr usr_example_checksum)" ] ||
    mv_fail "example_checksum is not mapped to its stub (defsym)"
body=$(riscv64-unknown-elf-objdump -d "$RV_IMG/custom_test.elf" |
    awk '/<usr_example_checksum>:/ { on = 1; next } on && NF == 0 { on = 0 }
         on { s = $3; if (NF >= 4) s = s " " $4; print s }' | paste -sd';')
[ "$body" = "li a7,1025;ecall;ret" ] || mv_fail "stub body: $body"

RV_KERNEL=kernel_custom.elf riscv_run_offline custom_test.elf "$MV_TMP/id/prov.bin"
grep -q "^custom_example: sum 42, PASSED" <(tr -d '\r' < "$MV_TMP/app.log") ||
    mv_fail "the example did not pass"
echo "PASS"

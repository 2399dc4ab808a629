#!/usr/bin/env bash
# Boots the riscv-virt kernel image (M-mode) with the boot_test application (U-mode)
# and a provisioning blob made for this run. The application's own checks (system
# calls by ecall, PARAMETERFAULT for kernel memory and for ranges leaving its PMP
# regions, registers cleared on return, notification upcalls) must pass, and each of
# its four deliberate accesses (kernel RAM, link UART, CLINT timer, kernel code) must
# fault with the expected cause and restart the application alone: same boot id, one
# system start. No relay. In E2E_TESTS (TARGET=host); `make check-riscv` too.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/riscv_lib.sh
riscv_setup riscv-kernel kernel.elf boot_test.elf
mv_test_identity "$MV_TMP/id"

riscv_run_offline boot_test.elf "$MV_TMP/id/prov.bin"
app=$(tr -d '\r' < "$MV_TMP/app.log")
klog=$(tr -d '\r' < "$MV_TMP/kernel.log")
grep -q "mvk: device UV0123456789abcdef0123456789abcdef" <<<"$klog" ||
    mv_fail "provisioning blob not parsed"
grep -q "^boot_test: PASSED" <<<"$app" || mv_fail "no PASSED line"
if grep -q "^FAIL" <<<"$app"; then mv_fail "a check failed"; fi
grep -q "^ok   notification upcall delivered once" <<<"$app" || mv_fail "no upcall"
grep -q "^ok   caller-saved registers cleared" <<<"$app" || mv_fail "register check missing"
# One fault per protected resource, with the RISC-V cause and address of each access.
grep -q "mcause=0x00000005 .* mtval=0x80200000, restarting" <<<"$klog" ||
    mv_fail "kernel RAM read: no load access fault"
grep -q "mcause=0x00000007 .* mtval=0x10000000, restarting" <<<"$klog" ||
    mv_fail "link UART write: no store access fault"
grep -q "mcause=0x00000005 .* mtval=0x0200bff8, restarting" <<<"$klog" ||
    mv_fail "CLINT read: no load access fault"
grep -q "mcause=0x00000001 mepc=0x80000000 .*restarting" <<<"$klog" ||
    mv_fail "kernel code: no instruction access fault"
for i in 1 2 3 4; do
    grep -q "^boot_test: restarted after fault $i" <<<"$app" || mv_fail "no restart $i"
done
riscv_check_app_restarts 4
echo "PASS"

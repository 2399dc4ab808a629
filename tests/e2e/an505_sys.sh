#!/usr/bin/env bash
# The device-management calls on the mps2-an505 kernel image (build/an505/sys_test.elf,
# apps/sys_test): clocks, system LED, the peek/poke allow list, fast interrupts while the
# kernel is busy (and not delivered when disabled or all disabled), the wake reason
# before and after a deliberate fault. Under -icount shift=0 (deterministic). The
# application checks what it can see; this script also checks QEMU's own view of the
# LED register: the writes its FPGA I/O model received (trace event mps2_fpgaio_write)
# must be exactly the application's LED steps, and nothing may be written to the
# read-only BUTTON register the application poked.
# In E2E_TESTS (TARGET=host, kernel image); `make check-an505-kernel` runs it too.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/an505_lib.sh
an505_setup an505-sys s_kernel.elf sys_test.elf

mv_test_identity "$MV_TMP/id"

rc=0
timeout -k 5 90 qemu-system-arm -M mps2-an505 -display none -monitor none \
    -icount shift=0 -semihosting-config enable=on,target=native \
    -serial "file:$MV_TMP/ns.log" -serial null -serial "file:$MV_TMP/secure.log" \
    -kernel "$AN505_IMG/s_kernel.elf" -device "loader,file=$AN505_IMG/sys_test.elf" \
    -device "loader,file=$MV_TMP/id/prov.bin,addr=0x381F0000" \
    -trace mps2_fpgaio_write 2> "$MV_TMP/qemu.log" &
MV_PIDS+=("$!")
wait "$!" || rc=$?
an505_show
[ "$rc" -ne 124 ] || mv_fail "timeout"
grep -q "sys_test: PASSED" "$MV_TMP/ns.log" || mv_fail "sys_test checks failed (exit $rc)"
[ "$rc" -eq 0 ] || mv_fail "QEMU exit status $rc"
an505_check_app_restart
for c in "handled while the kernel was busy" "disabled: not delivered, pending" \
    "all disabled: not delivered" "wake reason APPLICATIONCRASH after the fault"; do
    grep -q "^ok   .*$c" "$MV_TMP/ns.log" || mv_fail "missing check: $c"
done

# LED0 as QEMU saw it: kernel on at boot, off, on (the refused value writes nothing),
# user LED on/off by poke with the system bit kept, on again after the restart, user
# LED on, system LED off: the final register value is 0x2.
leds=$(sed -n 's/.*mps2_fpgaio_write.*offset 0x0 data \(0x[0-9a-f]*\) .*/\1/p' "$MV_TMP/qemu.log" |
  tr '\n' ' ')
want="0x1 0x0 0x1 0x3 0x1 0x1 0x3 0x2 "
[ "$leds" = "$want" ] || mv_fail "FPGAIO LED0 writes seen by QEMU: '$leds', expected '$want'"
if grep -q "offset 0x8 " "$MV_TMP/qemu.log"; then mv_fail "read-only BUTTON register written"; fi
echo "PASS (LED0 writes $leds; $(grep -o 'latency ticks.*' "$MV_TMP/ns.log"))"

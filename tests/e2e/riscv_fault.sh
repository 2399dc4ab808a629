#!/usr/bin/env bash
# An application fault on the RISC-V device while it is connected to a real relay: the
# riscv-virt kernel image runs mps2-an505's fault test application unchanged
# (device/port/mps2-an505/apps/fault_log/, built for U-mode), which logs "fault_log:
# before 1..K" (15 paced, then a burst of 200 long ones it faults right after, by
# reading 0x38000000, which has no PMP entry here: the PCIe ECAM), is restarted by the
# kernel alone and logs "fault_log: after 1..5". The checks are an505_fault.sh's: one
# boot id before and after the reset, unique seqs, every missing seq covered by a later
# GAP record, GAP counts equal to the messages lost, all "after" messages stored; and
# one relay session for the whole run (the restart kept it).
# Needs `make riscv` and the host build (mvrelay, mvcli; B=build/host).
# In E2E_TESTS (TARGET=host); `make check-riscv` too.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/riscv_lib.sh
. tests/e2e/board_fault.sh

#!/usr/bin/env bash
# An application fault on the emulated TrustZone device while it is connected to a real
# relay: the kernel image runs fault_log.elf (device/port/mps2-an505/apps/fault_log/),
# which logs "fault_log: before 1..K" (15 paced, then a burst of 200 long ones it
# faults right after, by reading secure memory), is restarted by the kernel alone
# (mvk_kernel_app_reset) and logs "fault_log: after 1..5". Passes when, through `mvcli
# logs get --json`: every record has the one boot id the secure console printed before
# and after the reset; the boot's seqs are unique, and any seq missing from 1..max (a
# record lost with the application's buffer: the sequence is not rewound) is covered
# by GAP records stored after it; every "before" message is stored at most once and
# the GAP records' `dropped` add up to exactly the number of missing ones (so a GAP
# exists if and only if something was lost); and all "after" messages arrive, after
# every missing seq.
# Needs `make an505-kernel` and the host build (mvrelay, mvcli; B=build/host).
# In E2E_TESTS (TARGET=host); `make check-an505-kernel` runs it too.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/an505_lib.sh
. tests/e2e/board_fault.sh

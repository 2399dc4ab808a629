#!/usr/bin/env bash
# End-to-end over-the-air update on the RISC-V device (docs/ota.md, docs/riscv.md): the
# riscv-virt kernel image runs ota_v1 (device/tests/apps/ota_*, built for U-mode)
# against a real relay over the board's UART, with the owner's update key in the
# provisioning blob. The checks are an505_ota.sh's (the body is board_ota.sh): refusals
# by the device (wrong key, wrong port, corrupted signature) and by the relay (flipped
# image byte, truncated bundle) while v1 keeps running; v2 downloaded across a relay
# restart (resumed at its offset), notified, applied by an mvRestart that does not
# return: the kernel copies the image from its staging slot (kernel memory, no PMP
# entry) into the application's image region and restarts the application alone, and v2
# logs with the same identity and boot id and wake reason APPLICATIONUPDATE; v3, which
# faults at every start, rolled back to v2.
# Needs `make riscv` and the host build (mvrelay, mvcli; B=build/host).
# In E2E_TESTS (TARGET=host); `make check-riscv` too.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/riscv_lib.sh
. tests/e2e/board_ota.sh

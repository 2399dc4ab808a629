#!/usr/bin/env bash
# The RISC-V device against a real relay: mvrelay on loopback, a device identity
# provisioned with mvcli, the riscv-virt kernel image (M-mode) running the portable demo
# application unchanged in U-mode, the board's 16550 UART bridged by QEMU to the relay's
# device port. Passes when the demo's log lines, including the config value and the
# masked secret it fetched, are stored by the relay: mutual TLS (cross-built mbedTLS),
# WebSocket, sessions, channels and logging through ecall system calls, upcalls and the
# UART link. Then the relay is restarted once (SIGTERM, ~1.5 s down): the device must
# reconnect and the stored counter lines and log sequence stay contiguous, and the
# relay's session line must show the riscv-virt firmware name. As an505_relay.sh.
# Needs `make riscv` and the host build (mvrelay, mvcli; B=build/host).
# In E2E_TESTS (TARGET=host); `make check-riscv` too.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/riscv_lib.sh
. tests/e2e/board_relay.sh

#!/usr/bin/env bash
# The emulated TrustZone device against a real relay: mvrelay on loopback, a device
# identity provisioned with mvcli, the kernel image (build/an505/s_kernel.elf) running
# the portable demo application in the non-secure world, its UART1 bridged by QEMU to
# the relay's device port. Passes when the demo's log lines, including the config value
# it fetched, are stored by the relay: mutual TLS (cross-built mbedTLS), WebSocket,
# sessions, channels and logging all work through the secure gateway and the UART link.
# Then the relay is restarted once (SIGTERM, ~1.5 s down): the device must reconnect and
# the stored counter lines and log sequence stay contiguous (no loss, no duplicate), and
# the relay's session line must show the an505 firmware name.
# Needs `make an505-kernel` and the host build (mvrelay, mvcli; B=build/host).
# In E2E_TESTS (TARGET=host); `make check-an505-kernel` runs it alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/an505_lib.sh
. tests/e2e/board_relay.sh

#!/usr/bin/env bash
# The MQTT demo on the RISC-V board: the riscv-virt kernel image runs device/apps/mqtt_demo
# unchanged in U-mode, the board's UART bridged by QEMU to a real relay whose MQTT bridge reaches a Mosquitto on a free loopback port. Passes when the
# app's telemetry reaches a mosquitto_sub and a command sent with mosquitto_pub shows
# up in the device's stored logs: MQTT channel, connect, subscribe, publish, message
# delivery and acknowledgement all through ecall system calls and the UART link.
# Needs `make riscv` and the host build (mvrelay, mvcli; B=build/host).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/riscv_lib.sh
. cloud/tests/mqtt_lib.sh
. tests/e2e/board_mqtt.sh

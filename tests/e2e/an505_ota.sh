#!/usr/bin/env bash
# End-to-end over-the-air update on the emulated TrustZone device (docs/ota.md,
# docs/an505.md): the kernel image runs ota_v1 (device/tests/apps/ota_*, as on the host
# port) against a real relay over the UART link, with the owner's update key in the
# provisioning blob. A bundle signed with another key, one built for the host port and
# one with a corrupted signature are refused by the device with their reason, a bundle
# with a flipped image byte and a truncated one by the relay at upload, while v1 keeps
# running; v2 (padded to 480 KiB, paced by --update-rate) is downloaded with a relay
# restart in the middle and resumes at its offset, the app is notified, and mvRestart
# applies it without returning: the kernel copies the image into the application slot
# and restarts the non-secure world alone, and v2 logs with the same device identity and
# boot id and wake reason APPLICATIONUPDATE. Then v3, which faults at every start, is
# rolled back to v2 and the relay shows "rolled back". The body is board_ota.sh,
# shared with riscv_ota.sh.
# Needs `make an505-kernel` and the host build (mvrelay, mvcli; B=build/host).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/an505_lib.sh
. tests/e2e/board_ota.sh

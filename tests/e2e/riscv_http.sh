#!/usr/bin/env bash
# HTTP through the relay from the RISC-V board: the riscv-virt kernel image runs
# device/apps/http_demo unchanged in U-mode; mvrelay trusts a local HTTPS server's own CA
# and allows its address (as an505_http.sh). The app's stored logs must show the GET (status, a
# header, the body read by offset), the POST echo, REQUESTALREADYSENT and TOOMANYELEMENTS
# from the kernel, and, with the relay restarted during the slow request, the channel
# closed with NETWORKDISCONNECTED (3). Needs `make riscv` and the host build.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/riscv_lib.sh
. cloud/tests/http/lib_http.sh
. tests/e2e/board_http.sh

#!/usr/bin/env bash
# HTTP through the relay from the emulated TrustZone board: the kernel image runs
# device/apps/http_demo in the non-secure world; mvrelay trusts a local HTTPS server's
# own CA and allows its address. The app's stored logs must show the GET (status, a
# header, the body read by offset), the POST echo, REQUESTALREADYSENT and TOOMANYELEMENTS
# from the kernel, and, with the relay restarted during the slow request, the channel
# closed with NETWORKDISCONNECTED (3). Needs `make an505-kernel` and the host build.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/host}
. tests/e2e/lib.sh
. tests/e2e/an505_lib.sh
. cloud/tests/http/lib_http.sh
. tests/e2e/board_http.sh

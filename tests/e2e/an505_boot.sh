#!/usr/bin/env bash
# Boots the mps2-an505 port in QEMU: secure image + the boot_test application.
# Passes when the app exits 0 through semihosting (all its checks passed, including
# the restart after a deliberate SecureFault) and both consoles show it.
# Images come from build/an505 (`make an505`); bounded by a timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/an505_lib.sh
an505_setup an505-boot s.elf boot_test.elf

an505_run_offline s.elf boot_test.elf
grep -q "boot_test: PASSED" "$MV_TMP/ns.log" || mv_fail "no PASSED line"
grep -q "SecureFault in application" "$MV_TMP/secure.log" || mv_fail "fault not reported"
an505_check_app_restart
grep -q "app: hello from the application" "$MV_TMP/secure.log" || mv_fail "mvServerLog"
echo "PASS"

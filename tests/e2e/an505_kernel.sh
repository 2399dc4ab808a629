#!/usr/bin/env bash
# Boots the portable kernel on the mps2-an505 port (build/an505/s_kernel.elf, `make
# an505-kernel`) with the boot_test application and a provisioning blob made for this
# run (test identity, fresh DRBG seed): the kernel must start (DRBG seeded from the
# blob), answer the same checks as the bring-up image and deliver a notification IRQ to
# the application. The deliberate application fault must reset the application alone:
# the kernel keeps its boot id (printed at start and after the reset). No relay is
# involved.
# In E2E_TESTS (TARGET=host); `make check-an505-kernel` runs it alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/an505_lib.sh
an505_setup an505-kernel s_kernel.elf boot_test.elf

mv_test_identity "$MV_TMP/id"

an505_run_offline s_kernel.elf boot_test.elf "$MV_TMP/id/prov.bin"
sec="$MV_TMP/secure.log"
grep -q "mvk: device UV0123456789abcdef0123456789abcdef" "$sec" ||
  mv_fail "provisioning blob not parsed"
if grep -q "kernel start failed" "$sec"; then mv_fail "kernel start"; fi
grep -q "boot_test: PASSED" "$MV_TMP/ns.log" || mv_fail "no PASSED line"
an505_check_app_restart
# mvk_kernel_app_reset, not a kernel re-initialisation: the boot id is unchanged.
boot=$(sed -n 's/^mvk: kernel boot id //p' "$sec")
after=$(sed -n 's/^mvk: application reset, boot id //p' "$sec")
[ -n "$boot" ] || mv_fail "no boot id line"
[ "$after" = "$boot" ] || mv_fail "boot id changed across the app restart ($boot -> $after)"
grep -q "ok   notification IRQ delivered once" "$MV_TMP/ns.log" ||
  mv_fail "notification IRQ not delivered"
echo "PASS"

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
root=$(cd "$(dirname "$0")/../.." && pwd)
img="$root/build/an505"
tmp=$(mktemp -d /tmp/an505_kernel.XXXXXX)
qpid=
cleanup() {
  if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then kill "$qpid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

for f in s_kernel.elf boot_test.elf; do
  [ -f "$img/$f" ] || { echo "missing $img/$f (run make an505-kernel)"; exit 1; }
done

# A syntactically valid identity: the kernel parses the PEMs only when it connects.
mkdir -p "$tmp/id"
echo UV0123456789abcdef0123456789abcdef > "$tmp/id/device_id"
printf -- '-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----\n' > "$tmp/id/device.key.pem"
printf -- '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n' > "$tmp/id/device.cert.pem"
cp "$tmp/id/device.cert.pem" "$tmp/id/ca.pem"
"$root/device/port/mps2-an505/mkprov.py" "$tmp/id" wss://127.0.0.1:9 "$tmp/prov.bin"

timeout -k 5 60 qemu-system-arm -M mps2-an505 -display none -monitor none \
  -icount shift=0 -semihosting-config enable=on,target=native \
  -serial "file:$tmp/ns.log" -serial null -serial "file:$tmp/secure.log" \
  -kernel "$img/s_kernel.elf" -device "loader,file=$img/boot_test.elf" \
  -device "loader,file=$tmp/prov.bin,addr=0x381F0000" &
qpid=$!
rc=0
wait "$qpid" || rc=$?
qpid=

echo "--- application console (UART0)"; cat "$tmp/ns.log" || true
echo "--- secure console (UART2)"; cat "$tmp/secure.log" || true
if [ "$rc" -ne 0 ]; then
  [ "$rc" -eq 124 ] && echo "FAIL: timeout" || echo "FAIL: QEMU exit status $rc"
  exit 1
fi
grep -q "mvk: device UV0123456789abcdef0123456789abcdef" "$tmp/secure.log" ||
  { echo "FAIL: provisioning blob not parsed"; exit 1; }
if grep -q "kernel start failed" "$tmp/secure.log"; then echo "FAIL: kernel start"; exit 1; fi
grep -q "boot_test: PASSED" "$tmp/ns.log" || { echo "FAIL: no PASSED line"; exit 1; }
grep -q "restarting the application" "$tmp/secure.log" || { echo "FAIL: no restart"; exit 1; }
# The restart must be the application's alone: one boot, no kernel fault, no reset.
[ "$(grep -c "mvk: starting application" "$tmp/secure.log")" -eq 1 ] ||
  { echo "FAIL: the system rebooted"; exit 1; }
if grep -q "in kernel\|unrecoverable" "$tmp/secure.log"; then echo "FAIL: kernel fault"; exit 1; fi
# mvk_kernel_app_reset, not a kernel re-initialisation: the boot id is unchanged.
boot=$(sed -n 's/^mvk: kernel boot id //p' "$tmp/secure.log")
after=$(sed -n 's/^mvk: application reset, boot id //p' "$tmp/secure.log")
[ -n "$boot" ] || { echo "FAIL: no boot id line"; exit 1; }
[ "$after" = "$boot" ] || { echo "FAIL: boot id changed across the app restart ($boot -> $after)"; exit 1; }
grep -q "ok   notification IRQ delivered once" "$tmp/ns.log" ||
  { echo "FAIL: notification IRQ not delivered"; exit 1; }
echo "PASS"

#!/usr/bin/env bash
# Boots the mps2-an505 port in QEMU: secure image + the boot_test application.
# Passes when the app exits 0 through semihosting (all its checks passed, including
# the restart after a deliberate SecureFault) and both consoles show it.
# Images come from build/an505 (`make an505`); bounded by a timeout.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
img="$root/build/an505"
tmp=$(mktemp -d /tmp/an505_boot.XXXXXX)
qpid=
cleanup() {
  if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then kill "$qpid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

for f in s.elf boot_test.elf; do
  [ -f "$img/$f" ] || { echo "missing $img/$f (run make an505)"; exit 1; }
done

# No network: UART1 (the link) is unconnected. -icount shift=0 makes virtual time
# follow executed instructions, so the run is deterministic whatever the host load.
# In the background so the EXIT trap can kill QEMU if this script is interrupted.
timeout -k 5 60 qemu-system-arm -M mps2-an505 -display none -monitor none \
  -icount shift=0 -semihosting-config enable=on,target=native \
  -serial "file:$tmp/ns.log" -serial null -serial "file:$tmp/secure.log" \
  -kernel "$img/s.elf" -device "loader,file=$img/boot_test.elf" &
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
grep -q "boot_test: PASSED" "$tmp/ns.log" || { echo "FAIL: no PASSED line"; exit 1; }
grep -q "SecureFault in application" "$tmp/secure.log" || { echo "FAIL: fault not reported"; exit 1; }
grep -q "restarting the application" "$tmp/secure.log" || { echo "FAIL: no restart"; exit 1; }
# The restart must be the application's alone: one boot, no kernel fault, no reset.
[ "$(grep -c "mvk: starting application" "$tmp/secure.log")" -eq 1 ] ||
  { echo "FAIL: the system rebooted"; exit 1; }
if grep -q "in kernel\|unrecoverable" "$tmp/secure.log"; then echo "FAIL: kernel fault"; exit 1; fi
grep -q "app: hello from the application" "$tmp/secure.log" || { echo "FAIL: mvServerLog"; exit 1; }
echo "PASS"

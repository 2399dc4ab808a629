#!/usr/bin/env bash
# Interrupt latency on the mps2-an505 kernel image while the kernel is busy: a CMSDK
# timer expires 10 us into a system call that erases the 1 MiB external flash
# (apps/sys_test, the image an505_sys.sh tests). An ordinary application IRQ waits for
# the call to end (BASEPRI_S masks it); a fast one (mvSetFastInterrupt +
# mvEnableFastInterrupt) pre-empts the kernel. Under -icount shift=0 one instruction is
# 1 ns of virtual time and the timer ticks every 50 ns (the 20 MHz board clock), so the
# figures are exact to one tick and the same on every run. The anchors, measured in the
# same run: the same IRQ with the kernel idle, and the length of the busy call.
# Usage: an505_fastirq.sh [IMAGE_DIR] (default build/an505).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
img=${1:-$root/build/an505}
tmp=$(mktemp -d /tmp/an505_fastirq.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/id"
echo UV0123456789abcdef0123456789abcdef > "$tmp/id/device_id"
printf -- '-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----\n' > "$tmp/id/device.key.pem"
printf -- '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n' > "$tmp/id/device.cert.pem"
cp "$tmp/id/device.cert.pem" "$tmp/id/ca.pem"
"$root/device/port/mps2-an505/mkprov.py" "$tmp/id" wss://127.0.0.1:9 "$tmp/prov.bin"

rc=0
timeout -k 5 120 qemu-system-arm -M mps2-an505 -display none -monitor none \
  -icount shift=0 -semihosting-config enable=on,target=native \
  -serial "file:$tmp/ns.log" -serial null -serial null \
  -kernel "$img/s_kernel.elf" -device "loader,file=$img/sys_test.elf" \
  -device "loader,file=$tmp/prov.bin,addr=0x381F0000" || rc=$?
line=$(tr -d '\r' < "$tmp/ns.log" | grep '^sys_test: latency ticks' || true)
if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
  cat "$tmp/ns.log"; echo "bench: sys_test failed (QEMU exit $rc)" >&2; exit 1
fi
get() { echo "$line" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"; }
idle=$(get idle); fast=$(get fast); normal=$(get normal); call=$(get call)
awk -v i="$idle" -v f="$fast" -v n="$normal" -v c="$call" 'BEGIN {
  t = 50  # ns per timer tick (20 MHz); = instructions under -icount shift=0
  printf "timer IRQ latency (expiry to handler), timer ticks of 50 ns, exact to +1 tick:\n"
  printf "  %-36s %8d ticks  < %d ns\n", "kernel idle (anchor)", i, (i + 1) * t
  printf "  %-36s %8d ticks  < %d ns\n", "fast IRQ, kernel busy", f, (f + 1) * t
  printf "  %-36s %8d ticks  = %.1f us\n", "ordinary IRQ, kernel busy", n, n * t / 1000
  printf "  %-36s %8d ticks  = %.1f us\n", "the busy call (anchor)", c, c * t / 1000
  printf "ordinary / busy call = %.3f (waits for the call)\n", n / c
  printf "fast / busy call    <= %.6f; fast is within one tick of the idle latency\n", (f + 1) / c
  printf "ordinary / fast     >= %.0fx\n", n / (f + 1)
}'

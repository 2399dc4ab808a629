#!/usr/bin/env bash
# Null system-call cost on the mps2-an505 port, in instructions (QEMU -icount
# shift=0), beside the ESP privilege-separation figures; plus the secure image's
# size. Timed over many calls (SysTick) and split exactly for one call (trace).
# Usage: an505_nullcall.sh [IMAGE_DIR] (default build/an505).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
img=${1:-$root/build/an505}
tmp=$(mktemp -d /tmp/an505_bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

rc=0
timeout -k 5 120 qemu-system-arm -M mps2-an505 -display none -monitor none \
  -icount shift=0 -semihosting-config enable=on,target=native \
  -serial "file:$tmp/ns.log" -serial null -serial null \
  -kernel "$img/s.elf" -device "loader,file=$img/nullcall.elf" || rc=$?
tr -d '\r' < "$tmp/ns.log"
if [ "$rc" -ne 0 ]; then echo "bench: QEMU exit status $rc" >&2; exit 1; fi

noop=$(tr -d '\r' < "$tmp/ns.log" | sed -n 's/^mvNoOp round trip: \([0-9.]*\) insns/\1/p')

# Exact split of one call: single-step trace of the small trace image.
rc=0
timeout -k 5 60 qemu-system-arm -M mps2-an505 -display none -monitor none \
  -semihosting-config enable=on,target=native -serial null -serial null -serial null \
  -singlestep -d exec,nochain -D "$tmp/trace.log" \
  -kernel "$img/s.elf" -device "loader,file=$img/nullcall_trace.elf" || rc=$?
if [ "$rc" -ne 0 ]; then echo "bench: trace run failed ($rc)" >&2; exit 1; fi
arm-none-eabi-nm "$img/s.elf" > "$tmp/s.nm"
arm-none-eabi-nm "$img/nullcall_trace.elf" > "$tmp/ns.nm"
python3 -B "$root/bench/an505_trace_split.py" "$tmp/trace.log" "$tmp/s.nm" "$tmp/ns.nm"
echo "reference, ESP privilege separation: in 125 + out 95 = 220 cycles"
awk -v n="$noop" 'BEGIN { printf "mvNoOp round trip here: %s insns = %.2fx the ESP round trip\n", n, n / 220 }'
echo "(instructions under QEMU, not cycles: a Cortex-M33 needs at least as many cycles)"
echo "secure image size:"
arm-none-eabi-size "$img/s.elf"

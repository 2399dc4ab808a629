#!/usr/bin/env bash
# System-call and upcall cost on the riscv-virt port, in instructions (QEMU -icount
# shift=0, where instret counts executed instructions), beside ESP-IDF's privilege
# separation figures and the mps2-an505 null call; plus the kernel image's size.
# Timed over many calls (instret) and split exactly for one call (single-step trace).
# Usage: riscv_nullcall.sh [IMAGE_DIR] (default build/riscv-virt).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
img=${1:-$root/build/riscv-virt}
tmp=$(mktemp -d /tmp/riscv_bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
qemu=(qemu-system-riscv32 -M virt -cpu rv32,s=false,h=false -m 32M -bios none -display none
      -monitor none -nodefaults -serial null)
consoles() { # consoles APP_LOG
    echo -chardev "file,id=acon,path=$1" -device pci-serial,chardev=acon,addr=2.0 \
        -chardev "file,id=kcon,path=$tmp/kernel.log" -device pci-serial,chardev=kcon,addr=3.0
}

# The kernel needs a provisioning blob to start (DRBG seed); a syntactic identity will do.
id="$tmp/id"
mkdir -p "$id"
echo UV0123456789abcdef0123456789abcdef > "$id/device_id"
printf -- '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n' > "$id/device.cert.pem"
cp "$id/device.cert.pem" "$id/ca.pem"
cp "$id/device.cert.pem" "$id/device.key.pem"
"$root/device/port/mps2-an505/mkprov.py" "$id" wss://127.0.0.1:9 "$tmp/prov.bin"
images() { echo -kernel "$img/kernel.elf" -device "loader,file=$img/$1" \
    -device "loader,file=$tmp/prov.bin,addr=0x807F0000"; }

rc=0
# shellcheck disable=SC2046
timeout -k 5 120 "${qemu[@]}" -icount shift=0 $(consoles "$tmp/app.log") \
  $(images nullcall.elf) || rc=$?
tr -d '\r' < "$tmp/app.log"
if [ "$rc" -ne 0 ]; then echo "bench: QEMU exit status $rc" >&2; cat "$tmp/kernel.log" >&2; exit 1; fi
val() { tr -d '\r' < "$tmp/app.log" | sed -n "s/^$1: \([0-9.]*\) insns/\1/p"; }
noop=$(val "mvNoOp round trip")
usec=$(val "mvGetMicroseconds round trip")

rc=0
# shellcheck disable=SC2046
timeout -k 5 120 "${qemu[@]}" $(consoles "$tmp/app_trace.log") -singlestep -d exec,nochain \
  -D "$tmp/trace.log" $(images nullcall_trace.elf) || rc=$?
if [ "$rc" -ne 0 ]; then echo "bench: trace run failed ($rc)" >&2; exit 1; fi
riscv64-unknown-elf-nm "$img/kernel.elf" > "$tmp/k.nm"
riscv64-unknown-elf-nm "$img/nullcall_trace.elf" > "$tmp/a.nm"
python3 -B "$root/bench/riscv_trace_split.py" "$tmp/trace.log" "$tmp/k.nm" "$tmp/a.nm"
echo "reference, ESP privilege separation: in 125 + out 95 = 220 cycles (published)"
# The mps2-an505 null call, measured now from its images when they are built (not a
# remembered figure: the an505 gateway's cost changes with the port).
an505=""
if [ -f "$root/build/an505/s.elf" ] && [ -f "$root/build/an505/nullcall.elf" ]; then
  an505=$("$root/bench/an505_nullcall.sh" "$root/build/an505" 2>/dev/null |
          sed -n 's/^mvNoOp round trip: \([0-9.]*\) insns$/\1/p' | head -1)
fi
awk -v n="$noop" -v u="$usec" -v a="$an505" 'BEGIN {
  printf "mvNoOp round trip here: %s insns = %.2fx the ESP round trip (goal <= 60)\n", n, n / 220
  if (a != "") printf "mps2-an505 mvNoOp, this run: %s insns; riscv-virt = %.2fx the an505 call\n", a, n / a
  else print "mps2-an505 mvNoOp: not measured (no build/an505 images)"
  printf "pointer-validating call (mvGetMicroseconds): %s insns = %.2fx the null call (goal <= 2x)\n", u, u / n }'
echo "(instructions under QEMU, not cycles: an in-order RV32 core needs at least as many cycles)"
echo "kernel image size (text = code + rodata; data + bss = RAM):"
riscv64-unknown-elf-size "$img/kernel.elf"

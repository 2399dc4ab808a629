#!/usr/bin/env bash
# Tests the system-call generator: good tables produce the expected files (which
# compile), bad tables fail with "file:line: error: ..." naming the problem.
set -uo pipefail
cd "$(dirname "$0")/../../.."
gen=device/syscalls/gen_syscalls.py
api=device/include/mv_syscalls.h
tmp=$(mktemp -d /tmp/mv_gen.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# A kernel source that defines every entry of the default table (and the custom one).
{
  echo '#include "mvk_sys_decl.h"'
  awk '!/^#/ && NF == 4 { print "int " $4 "(void) { return 0; }" }' device/syscalls/syscall.tbl
  echo 'int mvk_usr_twice(void) { return 0; }'
} > "$tmp/kernel.c"

cat > "$tmp/usr.h" <<'H'
#include <stdint.h>
#include "mv_syscalls.h"
enum MvStatus usr_twice(uint32_t x, uint32_t *out);
H

run() { # run OUTDIR TABLES... ; stderr in $tmp/err
  local out=$1; shift
  python3 "$gen" --api-header "$api" --out-dir "$out" --kernel-src "$tmp/kernel.c" "$@" \
    2>"$tmp/err"
}

expect_error() { # expect_error NAME 'file:line: error: regex' TABLE-LINES...
  local name=$1 pattern=$2; shift 2
  printf '%s\n' "$@" > "$tmp/$name.tbl"
  if run "$tmp/out-$name" device/syscalls/syscall.tbl "$tmp/$name.tbl"; then
    fail "$name: generator accepted a bad table"
  elif ! grep -Eq "^$tmp/$name.tbl:$pattern" "$tmp/err"; then
    fail "$name: unexpected message: $(cat "$tmp/err")"
  else
    echo "ok   $name: $(cat "$tmp/err")"
  fi
}

# --- good: default table alone -----------------------------------------------------------
if run "$tmp/good" device/syscalls/syscall.tbl; then
  grep -q '^#define __NR_mvNoOp 0$' "$tmp/good/syscall_nr.h" || fail "missing __NR_mvNoOp"
  grep -q '^#define __NR_mvGetMicroseconds 4$' "$tmp/good/syscall_nr.h" || fail "missing __NR_mvGetMicroseconds"
  grep -q 'enum MvStatus mvk_sys_get_device_id(uint8_t \*buf, uint32_t len);' \
    "$tmp/good/mvk_sys_decl.h" || fail "entry prototype not derived from the API"
  grep -q '\[4\] = t_mvGetMicroseconds' "$tmp/good/mvk_syscall_table.c" || fail "table row"
  grep -q 'enum MvStatus mvReadChannel(MvChannelHandle handle, uint8_t \*\*read_pointer_out' \
    "$tmp/good/mv_stubs_host.c" || fail "stub signature"
  for f in mvk_syscall_table.c mv_stubs_host.c; do
    gcc -std=c11 -Wall -Wextra -Werror -Wconversion -Wsign-conversion -Wmissing-prototypes \
      -Idevice/include -I"$tmp/good" -c "$tmp/good/$f" -o "$tmp/$f.o" || fail "$f does not compile"
  done
  echo "ok   default table"
else
  fail "default table rejected: $(cat "$tmp/err")"
fi

# --- good: default + custom table; header path relative to the table --------------------
printf '#header usr.h\n1100 custom usr_twice mvk_usr_twice\n' > "$tmp/custom.tbl"
if run "$tmp/good2" device/syscalls/syscall.tbl "$tmp/custom.tbl"; then
  grep -q '^#define __NR_usr_twice 1100$' "$tmp/good2/syscall_nr.h" || fail "custom number"
  grep -q 'enum MvStatus mvk_usr_twice(uint32_t x, uint32_t \*out);' "$tmp/good2/mvk_sys_decl.h" \
    || fail "custom entry prototype"
  grep -q 'enum MvStatus usr_twice(uint32_t x, uint32_t \*out)' "$tmp/good2/mv_stubs_host.c" \
    || fail "custom stub"
  gcc -std=c11 -Wall -Wextra -Werror -Idevice/include -I"$tmp/good2" -c \
    "$tmp/good2/mv_stubs_host.c" -o "$tmp/s2.o" || fail "custom stubs do not compile"
  echo "ok   custom table"
else
  fail "custom table rejected: $(cat "$tmp/err")"
fi

# --- --stub-entry/--stub-out: user stubs for another port's kernel entry (mps2-an505's
# secure gateway), written elsewhere; custom headers included relative to that file.
if run "$tmp/good3" --stub-entry mvk_an505_syscall --stub-out "$tmp/an505/mv_stubs_an505.c" \
     device/syscalls/syscall.tbl "$tmp/custom.tbl"; then
  st="$tmp/an505/mv_stubs_an505.c"
  grep -q '^uint32_t mvk_an505_syscall(uint32_t nr, const uintptr_t args\[7\]);$' "$st" \
    || fail "an505 stubs: no gateway prototype"
  grep -q 'return (enum MvStatus)mvk_an505_syscall(__NR_mvNoOp, mvk_words_);' "$st" \
    || fail "an505 stubs: mvNoOp does not call the gateway"
  grep -q 'mvk_host_syscall' "$st" && fail "an505 stubs still mention mvk_host_syscall"
  # Same stubs as the host flavour but for the entry name and its comment.
  diff <(grep -v '^/\*' "$tmp/good3/mv_stubs_host.c" | sed 's/mvk_host_syscall/E/') \
       <(grep -v '^/\*' "$st" | sed 's/mvk_an505_syscall/E/') >/dev/null \
    || fail "an505 stubs differ from the host stubs beyond the entry name"
  flags=(-std=c11 -Wall -Wextra -Werror -Wconversion -Wsign-conversion -Wmissing-prototypes
         -Idevice/include -I"$tmp/good3")
  gcc "${flags[@]}" -c "$st" -o "$tmp/an505_host.o" || fail "an505 stubs do not compile (gcc)"
  # For the Cortex-M33 (non-secure side) when the cross compiler is installed: the object
  # must reference the gateway symbol and nothing of the host port.
  if command -v arm-none-eabi-gcc >/dev/null; then
    if arm-none-eabi-gcc "${flags[@]}" -mcpu=cortex-m33 -mthumb -mfloat-abi=soft -O2 \
         -specs=picolibc.specs -c "$st" -o "$tmp/an505_m33.o"; then
      arm-none-eabi-nm -u "$tmp/an505_m33.o" | grep -q ' U mvk_an505_syscall$' \
        || fail "M33 object does not call mvk_an505_syscall"
      arm-none-eabi-nm "$tmp/an505_m33.o" | grep -q ' T usr_twice$' \
        || fail "M33 object lacks the custom stub"
      [ "$(arm-none-eabi-nm -u "$tmp/an505_m33.o" | grep -vc ' U mvk_an505_syscall$')" = 0 ] \
        || fail "M33 object has other undefined symbols: $(arm-none-eabi-nm -u "$tmp/an505_m33.o")"
    else fail "an505 stubs do not compile for the Cortex-M33"; fi
  else echo "note: arm-none-eabi-gcc not installed, M33 compile of the an505 stubs skipped"; fi
  echo "ok   an505 stubs (--stub-entry)"
else
  fail "--stub-entry rejected: $(cat "$tmp/err")"
fi
# The two options go together, and the entry must be an identifier.
if run "$tmp/o" --stub-entry mvk_x device/syscalls/syscall.tbl ||
   ! grep -q 'error: --stub-entry and --stub-out go together' "$tmp/err"; then
  fail "--stub-entry alone accepted: $(cat "$tmp/err")"
else echo "ok   --stub-entry alone refused"; fi
if run "$tmp/o" --stub-entry 'mvk-x' --stub-out "$tmp/o/s.c" device/syscalls/syscall.tbl ||
   ! grep -q "error: --stub-entry 'mvk-x' is not a usable C identifier" "$tmp/err"; then
  fail "bad --stub-entry accepted: $(cat "$tmp/err")"
else echo "ok   bad --stub-entry refused"; fi

# --- ABI common (ESP-IDF's): same prototype in both worlds; the stub is usr_NAME and the
# linker maps NAME to it (mv_defsyms.rsp). --riscv-stubs: li a7, NR; ecall; ret stubs and
# the register-argument table.
cat >> "$tmp/usr.h" <<'H'
enum MvStatus sensor_sum(const uint8_t *data, uint32_t len, uint32_t *sum);
H
echo 'int mvk_sensor_sum(void) { return 0; }' >> "$tmp/kernel.c"
printf '#header usr.h\n1100 custom usr_twice mvk_usr_twice\n1101 common sensor_sum mvk_sensor_sum\n' \
  > "$tmp/common.tbl"
if run "$tmp/rv" --riscv-stubs "$tmp/rv/stubs/mv_stubs_riscv.S" device/syscalls/syscall.tbl \
     "$tmp/common.tbl"; then
  st="$tmp/rv/stubs/mv_stubs_riscv.S"
  stub_body() { awk -v l="$1:" '$1 == l { on = 1; next } on && /^ *\.size/ { exit } on { $1 = $1; print }' "$st" | paste -sd';'; }
  [ "$(stub_body mvNoOp)" = "li a7, 0;ecall;ret" ] || fail "riscv mvNoOp stub: $(stub_body mvNoOp)"
  [ "$(stub_body mvGetMicroseconds)" = "li a7, 4;ecall;ret" ] || fail "riscv mvGetMicroseconds stub"
  [ "$(stub_body usr_twice)" = "li a7, 1100;ecall;ret" ] || fail "riscv custom stub"
  [ "$(stub_body usr_sensor_sum)" = "li a7, 1101;ecall;ret" ] || fail "riscv common stub: $(stub_body usr_sensor_sum)"
  grep -q '^sensor_sum:' "$st" && fail "common call got a stub under its own name"
  [ "$(cat "$tmp/rv/mv_defsyms.rsp")" = "--defsym=sensor_sum=usr_sensor_sum" ] ||
    fail "defsyms: $(cat "$tmp/rv/mv_defsyms.rsp")"
  grep -q 'enum MvStatus mvk_sensor_sum(const uint8_t \*data, uint32_t len, uint32_t \*sum);' \
    "$tmp/rv/mvk_sys_decl.h" || fail "common entry prototype"
  grep -q '^enum MvStatus usr_sensor_sum(const uint8_t \*data, uint32_t len, uint32_t \*sum)$' \
    "$tmp/rv/mv_stubs_host.c" || fail "common host stub"
  grep -q '\[0\] = r_mvNoOp,' "$tmp/rv/mvk_syscall_table.c" || fail "register table row"
  grep -q '\[1101\] = r_sensor_sum,' "$tmp/rv/mvk_syscall_table.c" || fail "register table: common row"
  grep -q 'extern const mvk_syscall_rfn mvk_syscall_rtable\[\];' "$tmp/rv/mvk_sys_decl.h" ||
    fail "register table declaration"
  grep -q 'mvk_syscall_rtable' "$tmp/good/mvk_syscall_table.c" &&
    fail "register table emitted without --riscv-stubs"
  flags=(-std=c11 -Wall -Wextra -Werror -Wconversion -Wsign-conversion -Wmissing-prototypes
         -Idevice/include -I"$tmp/rv")
  for f in mvk_syscall_table.c mv_stubs_host.c; do
    gcc "${flags[@]}" -c "$tmp/rv/$f" -o "$tmp/rv/$f.o" || fail "$f (riscv/common) does not compile"
  done
  # The application calls sensor_sum by name: with the defsyms the link resolves it to
  # the stub, without them it is undefined.
  printf '#include "usr.h"\nint main(void) { uint32_t s; return (int)sensor_sum(0, 0, &s); }\n' \
    > "$tmp/app.c"
  printf '#include <stdint.h>\nuint32_t mvk_host_syscall(uint32_t nr, const uintptr_t a[7]);\nuint32_t mvk_host_syscall(uint32_t nr, const uintptr_t a[7]) { (void)a; return nr; }\n' \
    > "$tmp/entry.c"
  gcc -Idevice/include -I"$tmp" -o "$tmp/app" "$tmp/app.c" "$tmp/entry.c" \
    "$tmp/rv/mv_stubs_host.c.o" -Wl,@"$tmp/rv/mv_defsyms.rsp" || fail "common call does not link"
  [ -x "$tmp/app" ] && { "$tmp/app"; [ $? = $((1101 % 256)) ]; } ||
    fail "sensor_sum did not reach the entry with number 1101"
  if gcc -Idevice/include -I"$tmp" -o "$tmp/app2" "$tmp/app.c" "$tmp/entry.c" \
       "$tmp/rv/mv_stubs_host.c.o" 2>/dev/null; then
    fail "common call linked without the defsyms"
  fi
  if command -v riscv64-unknown-elf-gcc >/dev/null; then
    rv=(riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -misa-spec=2.2 -specs=picolibc.specs)
    if "${rv[@]}" -c "$st" -o "$tmp/rv/stubs.o" &&
       "${rv[@]}" "${flags[@]}" -O2 -c "$tmp/rv/mvk_syscall_table.c" -o "$tmp/rv/t.o"; then
      riscv64-unknown-elf-objdump -d "$tmp/rv/stubs.o" |
        awk '/<usr_sensor_sum>:/ { on = 1; next } on && NF == 0 { on = 0 }
             on { s = $3; if (NF >= 4) s = s " " $4; print s }' |
        paste -sd';' | grep -x 'li a7,1101;ecall;ret' >/dev/null ||
        fail "rv32 object: usr_sensor_sum is not li/ecall/ret"
    else fail "riscv stubs or register table do not build for rv32"; fi
  else echo "note: riscv64-unknown-elf-gcc not installed, rv32 build of the stubs skipped"; fi
  echo "ok   riscv stubs, register table, common ABI"
else
  fail "--riscv-stubs/common rejected: $(cat "$tmp/err")"
fi
expect_error common_usr "2: error: common call 'usr_x' must not start with 'usr_'" '#header usr.h' \
  '1100 common usr_x mvk_usr_twice'
expect_error common_low '2: error: common call numbers start at 1024' '#header usr.h' \
  '5 common sensor_sum mvk_sensor_sum'
expect_error common_clash "3: error: duplicate NAME 'usr_sensor_sum'" '#header usr.h' \
  '1100 common sensor_sum mvk_sensor_sum' '1101 custom usr_sensor_sum mvk_usr_twice'
printf '1100 common sensor_sum mvk_sensor_sum\n' >> "$tmp/short_default.tbl"
cat device/syscalls/syscall.tbl "$tmp/short_default.tbl" > "$tmp/dflt.tbl"
if run "$tmp/o" "$tmp/dflt.tbl" || ! grep -q "error: ABI common belongs in a custom table" "$tmp/err"; then
  fail "common in the default table: $(cat "$tmp/err")"
else echo "ok   common in default table refused"; fi

# --- regenerating an unchanged table leaves the files untouched (no spurious rebuilds) --
touch -d '2000-01-01' "$tmp/good/syscall_nr.h"
run "$tmp/good" device/syscalls/syscall.tbl
[ "$(stat -c %Y "$tmp/good/syscall_nr.h")" = "$(date -d '2000-01-01' +%s)" ] \
  || fail "unchanged output rewritten"

# --- bad tables ------------------------------------------------------------------------------
expect_error dup_nr '3: error: duplicate number .1100. \(first at .*dup_nr.tbl:2\)' '#header usr.h' \
  '1100 custom usr_twice mvk_usr_twice' '1100 custom usr_other mvk_usr_other'
expect_error dup_name '3: error: duplicate NAME .usr_twice.' '#header usr.h' \
  '1100 custom usr_twice mvk_usr_twice' '1101 custom usr_twice mvk_usr_twice2'
expect_error low_custom '2: error: custom call numbers start at 1024' '#header usr.h' \
  '4 custom usr_twice mvk_usr_twice'
# Duplicates across two custom tables name both places.
printf '#header usr.h\n1100 custom usr_other mvk_usr_other\n' > "$tmp/other.tbl"
if run "$tmp/o" device/syscalls/syscall.tbl "$tmp/custom.tbl" "$tmp/other.tbl" ||
   ! grep -q "other.tbl:2: error: duplicate number '1100' (first at $tmp/custom.tbl:2)" "$tmp/err"; then
  fail "duplicate across tables: $(cat "$tmp/err")"
else echo "ok   dup across tables: $(cat "$tmp/err")"; fi
expect_error fields '2: error: malformed line' '#header usr.h' '1100 custom usr_twice'
expect_error number '2: error: malformed number' '#header usr.h' '11x0 custom usr_twice mvk_usr_twice'
expect_error abi '2: error: unknown ABI' '#header usr.h' '1100 linux usr_twice mvk_usr_twice'
expect_error ident '2: error: ENTRY .mvk-x. is not a C identifier' '#header usr.h' \
  '1100 custom usr_twice mvk-x'
expect_error prefix "2: error: custom call 'twice' must start with 'usr_'" '#header usr.h' \
  '1100 custom twice mvk_usr_twice'
expect_error noproto "2: error: no prototype for 'usr_missing'" '#header usr.h' \
  '1100 custom usr_missing mvk_usr_twice'
expect_error noheader '1: error: custom call before any .#header. line' \
  '1100 custom usr_twice mvk_usr_twice'
expect_error badheader "1: error: header 'nope.h' not found" '#header nope.h'
expect_error noentry "2: error: ENTRY 'mvk_usr_nowhere' is not defined in any kernel source" \
  '#header usr.h' '1100 custom usr_twice mvk_usr_nowhere'
expect_error mvabi '2: error: ABI mv is only for the default table' '#header usr.h' \
  '1100 mv mvNoOp mvk_sys_no_op'

# Too many parameters and a 64-bit value parameter are refused (error in the header).
cat > "$tmp/wide.h" <<'H'
#include <stdint.h>
enum MvStatus usr_wide(uint64_t x);
enum MvStatus usr_many(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e, uint32_t f, uint32_t g, uint32_t h);
H
printf '#header wide.h\n1100 custom usr_wide mvk_usr_twice\n' > "$tmp/wide.tbl"
if run "$tmp/o" device/syscalls/syscall.tbl "$tmp/wide.tbl" ||
   ! grep -q "wide.h:2: error: parameter type 'uint64_t' of usr_wide does not fit" "$tmp/err"; then
  fail "64-bit parameter: $(cat "$tmp/err")"
else echo "ok   wide: $(cat "$tmp/err")"; fi
printf '#header wide.h\n1100 custom usr_many mvk_usr_twice\n' > "$tmp/many.tbl"
if run "$tmp/o" device/syscalls/syscall.tbl "$tmp/many.tbl" ||
   ! grep -q "wide.h:3: error: usr_many has 8 parameters (at most 7)" "$tmp/err"; then
  fail "8 parameters: $(cat "$tmp/err")"
else echo "ok   many: $(cat "$tmp/err")"; fi

# The default table must cover every API function.
grep -v 'mvNoOp ' device/syscalls/syscall.tbl > "$tmp/short.tbl"
if run "$tmp/o" "$tmp/short.tbl" ||
   ! grep -q "mv_syscalls.h:[0-9]*: error: API function 'mvNoOp' has no line" "$tmp/err"; then
  fail "missing API line: $(cat "$tmp/err")"
else echo "ok   incomplete default table: $(cat "$tmp/err")"; fi

# --allow-missing turns an undefined ENTRY into an UNAVAILABLE stub, with a warning.
printf '#header usr.h\n1100 custom usr_twice mvk_usr_nowhere\n' > "$tmp/miss.tbl"
if python3 "$gen" --api-header "$api" --out-dir "$tmp/miss" --kernel-src "$tmp/kernel.c" \
     --allow-missing device/syscalls/syscall.tbl "$tmp/miss.tbl" 2>"$tmp/err" &&
   grep -q "warning: ENTRY 'mvk_usr_nowhere' not defined yet" "$tmp/err" &&
   ! grep -q 'mvk_usr_nowhere(' "$tmp/miss/mvk_syscall_table.c"; then
  echo "ok   allow-missing"
else fail "allow-missing: $(cat "$tmp/err")"; fi

[ "$fails" -eq 0 ] && echo "all generator tests passed" || echo "$fails failure(s)"
[ "$fails" -eq 0 ]

# Shared by the riscv-virt e2e tests (source after lib.sh): image checks and QEMU runs
# of the kernel image with an application image. Consoles land in $MV_TMP/app.log
# (pci-serial in slot 2, the application's) and $MV_TMP/kernel.log (slot 3, the
# kernel's); the board's UART is the link to the relay, if any.

. tests/e2e/prov_lib.sh

RV_IMG=build/riscv-virt
# No S-mode (and so no H), so that U-mode may WFI; 32 MiB keeps QEMU's device tree,
# placed at the end of DRAM, clear of the images.
RV_QEMU=(qemu-system-riscv32 -M virt -cpu rv32,s=false,h=false -m 32M -bios none
         -display none -monitor none -nodefaults)

# riscv_setup NAME FILE...: temp dir, cleanup trap, and the images the test needs.
riscv_setup() {
    local name=$1 f
    shift
    mv_tmpdir "$name"
    trap mv_cleanup EXIT
    for f in "$@"; do
        [ -f "$RV_IMG/$f" ] || mv_fail "missing $RV_IMG/$f (make riscv)"
    done
}

riscv_show() {
    echo "--- application console"; tr -d '\r' < "$MV_TMP/app.log" 2>/dev/null || true
    echo "--- kernel console"; tr -d '\r' < "$MV_TMP/kernel.log" 2>/dev/null || true
    if [ -n "${RELAY_LOG:-}" ]; then echo "--- relay"; tail -n 20 "$RELAY_LOG" || true; fi
}

# The two consoles and the images, for QEMU (kernel image: $RV_KERNEL, default kernel.elf).
riscv_devices() { # riscv_devices APP_ELF PROV_BIN
    echo -chardev "file,id=acon,path=$MV_TMP/app.log" -device pci-serial,chardev=acon,addr=2.0 \
        -chardev "file,id=kcon,path=$MV_TMP/kernel.log" -device pci-serial,chardev=kcon,addr=3.0 \
        -kernel "$RV_IMG/${RV_KERNEL:-kernel.elf}" -device "loader,file=$RV_IMG/$1" \
        -device "loader,file=$2,addr=0x807F0000"
}

# riscv_run_offline APP_ELF PROV_BIN: runs to the application's finisher exit with the
# link unconnected, under -icount shift=0 (virtual time follows instructions, so the run
# is deterministic whatever the host load). Prints both consoles; fails on a timeout or
# a non-zero exit status.
riscv_run_offline() {
    local rc=0
    # shellcheck disable=SC2046 # word splitting of riscv_devices is intended
    timeout -k 5 60 "${RV_QEMU[@]}" -icount shift=0 -serial null $(riscv_devices "$1" "$2") &
    MV_PIDS+=("$!")
    wait "$!" || rc=$?
    riscv_show
    [ "$rc" -ne 124 ] || mv_fail "timeout"
    [ "$rc" -eq 0 ] || mv_fail "QEMU exit status $rc"
}

# riscv_start_networked APP_ELF SECONDS PROV_BIN: the kernel image in real time (the
# relay and TLS run in real time) with the UART connected to the relay's device port;
# in the background, bounded by SECONDS. Sets RV_QPID.
riscv_start_networked() {
    # shellcheck disable=SC2046
    timeout -k 5 "$2" "${RV_QEMU[@]}" \
        -chardev "socket,id=net0,host=127.0.0.1,port=$RELAY_DEV_PORT,server=off,reconnect=1" \
        -serial chardev:net0 $(riscv_devices "$1" "$3") &
    RV_QPID=$!
    MV_PIDS+=("$RV_QPID")
}

# After deliberate application faults: N application restarts, one system start, no
# kernel fault, and the kernel's boot id unchanged by every restart.
riscv_check_app_restarts() {
    local n=$1 log="$MV_TMP/kernel.log" boot resets
    [ "$(grep -c "restarting the application" "$log")" -eq "$n" ] ||
        mv_fail "expected $n application restarts"
    [ "$(grep -c "mvk: starting application" "$log")" -eq 1 ] || mv_fail "the system rebooted"
    if grep -q "in kernel" "$log"; then mv_fail "kernel fault"; fi
    boot=$(tr -d '\r' < "$log" | sed -n 's/^mvk: kernel boot id //p')
    [ -n "$boot" ] || mv_fail "no boot id line"
    resets=$(tr -d '\r' < "$log" | sed -n 's/^mvk: application reset, boot id //p')
    [ "$(grep -cx -- "$boot" <<<"$resets")" -eq "$n" ] ||
        mv_fail "boot id changed across an application restart"
}

# The board interface of the tests both emulated boards share (tests/e2e/board_*.sh).
BOARD=riscv
BOARD_FW=mvisor-riscv-virt     # firmware name prefix in the relay's session line
BOARD_KERNEL=kernel.elf
BOARD_APP_CON=app.log          # consoles, in $MV_TMP
BOARD_KERNEL_CON=kernel.log
BOARD_IMG=$RV_IMG
BOARD_BUNDLE_PORT=riscv-virt   # mvcli apps bundle --port
board_setup() { riscv_setup "$@"; }
board_start_networked() { riscv_start_networked "$@"; }
board_show() { riscv_show; }
board_alive() { kill -0 "$RV_QPID" 2>/dev/null; }

# Shared by the mps2-an505 e2e tests (source after lib.sh): image checks, QEMU runs
# of the secure image with an application image, and the checks every run that
# faults on purpose makes. Consoles land in $MV_TMP/ns.log (UART0, application) and
# $MV_TMP/secure.log (UART2, secure); UART1 is the link to the relay, if any.

. tests/e2e/prov_lib.sh

AN505_IMG=build/an505

# an505_setup NAME FILE...: temp dir, cleanup trap, and the images the test needs.
an505_setup() {
    local name=$1 f
    shift
    mv_tmpdir "$name"
    trap mv_cleanup EXIT
    for f in "$@"; do
        [ -f "$AN505_IMG/$f" ] || mv_fail "missing $AN505_IMG/$f (make an505 / make an505-kernel)"
    done
}

an505_show() {
    echo "--- application console (UART0)"; cat "$MV_TMP/ns.log" 2>/dev/null || true
    echo "--- secure console (UART2)"; cat "$MV_TMP/secure.log" 2>/dev/null || true
    if [ -n "${RELAY_LOG:-}" ]; then echo "--- relay"; tail -n 20 "$RELAY_LOG" || true; fi
}

# an505_run_offline SECURE_ELF NS_ELF [PROV_BIN]: runs to the application's
# semihosting exit with the link unconnected; -icount shift=0 makes virtual time follow
# executed instructions, so the run is deterministic whatever the host load. Prints
# both consoles; fails on a timeout or a non-zero exit status.
an505_run_offline() {
    local prov=() rc=0
    [ -z "${3:-}" ] || prov=(-device "loader,file=$3,addr=0x381F0000")
    # In the background so the EXIT trap can stop QEMU if the script is interrupted.
    timeout -k 5 60 qemu-system-arm -M mps2-an505 -display none -monitor none \
        -icount shift=0 -semihosting-config enable=on,target=native \
        -serial "file:$MV_TMP/ns.log" -serial null -serial "file:$MV_TMP/secure.log" \
        -kernel "$AN505_IMG/$1" -device "loader,file=$AN505_IMG/$2" "${prov[@]}" &
    MV_PIDS+=("$!")
    wait "$!" || rc=$?
    an505_show
    [ "$rc" -ne 124 ] || mv_fail "timeout"
    [ "$rc" -eq 0 ] || mv_fail "QEMU exit status $rc"
}

# an505_start_networked NS_ELF SECONDS PROV_BIN: the kernel image in real time (no
# -icount: the relay and TLS run in real time) with UART1 connected to the relay's
# device port; in the background, bounded by SECONDS. Sets AN505_QPID.
an505_start_networked() {
    timeout -k 5 "$2" qemu-system-arm -M mps2-an505 -display none -monitor none \
        -semihosting-config enable=on,target=native \
        -chardev "socket,id=net0,host=127.0.0.1,port=$RELAY_DEV_PORT,server=off,reconnect=1" \
        -serial "file:$MV_TMP/ns.log" -serial chardev:net0 -serial "file:$MV_TMP/secure.log" \
        -kernel "$AN505_IMG/s_kernel.elf" -device "loader,file=$AN505_IMG/$1" \
        -device "loader,file=$3,addr=0x381F0000" &
    AN505_QPID=$!
    MV_PIDS+=("$AN505_QPID")
}

# After a deliberate application fault: the application alone restarted (one system
# start, no kernel fault, no reset).
an505_check_app_restart() {
    grep -q "restarting the application" "$MV_TMP/secure.log" || mv_fail "no restart"
    [ "$(grep -c "mvk: starting application" "$MV_TMP/secure.log")" -eq 1 ] ||
        mv_fail "the system rebooted"
    if grep -q "in kernel\|unrecoverable" "$MV_TMP/secure.log"; then mv_fail "kernel fault"; fi
}

# The board interface of the tests both emulated boards share (tests/e2e/board_*.sh).
BOARD=an505
BOARD_FW=mvisor-an505          # firmware name prefix in the relay's session line
BOARD_KERNEL=s_kernel.elf
BOARD_APP_CON=ns.log           # consoles, in $MV_TMP
BOARD_KERNEL_CON=secure.log
BOARD_IMG=$AN505_IMG
BOARD_BUNDLE_PORT=an505   # mvcli apps bundle --port
board_setup() { an505_setup "$@"; }
board_start_networked() { an505_start_networked "$@"; }
board_show() { an505_show; }
board_alive() { kill -0 "$AN505_QPID" 2>/dev/null; }

# shellcheck shell=bash
# Shared by the OTA end-to-end tests (host_ota.sh, board_ota.sh for an505_ota.sh and
# riscv_ota.sh; source after lib.sh). The caller sets:
#   cli   the mvcli binary            dev   the device id
#   and defines ota_alive (0 while the device runs) and ota_show (diagnostics on a
#   failure: consoles, device log).
# Stored log messages are fetched into $MV_TMP/logs.json, `devices show` into
# $MV_TMP/show.txt, where the caller's own checks may read them.

ota_fail() {
    ota_show
    echo "--- stored log messages (ticks left out)"
    grep -o '"message": "[^"]*' "$MV_TMP/logs.json" 2>/dev/null | grep -v ': tick' || true
    mv_fail "$*"
}

ota_fetch_logs() {
    "$cli" --json logs get "$dev" --limit 100000 >"$MV_TMP/logs.json" 2>/dev/null || true
}

# wait_log PATTERN SECONDS: until one of the device's stored log messages matches.
wait_log() {
    for _ in $(seq "$2"); do
        ota_fetch_logs
        grep -Eq -- "$1" "$MV_TMP/logs.json" && return 0
        ota_alive || ota_fail "the device exited"
        sleep 1
    done
    ota_fail "timed out waiting for log '$1'"
}

# wait_state REGEX SECONDS: until `devices show` has an update line matching REGEX.
wait_state() {
    for _ in $(seq "$2"); do
        "$cli" devices show "$dev" >"$MV_TMP/show.txt" 2>/dev/null || true
        grep -Eq -- "^update +$1" "$MV_TMP/show.txt" && return 0
        sleep 1
    done
    cat "$MV_TMP/show.txt" >&2
    ota_fail "timed out waiting for update state '$1'"
}

# ticks_of N: how many "ota vN: tick" lines the last fetch holds.
ticks_of() { grep -Eo "ota v$1: tick [0-9]+" "$MV_TMP/logs.json" | wc -l; }

# still_ticking N: version N keeps logging (its next two ticks arrive).
still_ticking() {
    local before
    ota_fetch_logs
    before=$(ticks_of "$1")
    wait_log "ota v$1: tick $((before + 1))" 30
}

# deploy BUNDLE: uploads it and makes it the device's target app; prints the app id.
deploy() {
    local app
    app=$("$cli" apps upload "$1") || ota_fail "upload $1"
    "$cli" devices deploy "$dev" "$app" >/dev/null || ota_fail "deploy $1"
    echo "$app"
}

# bundle ARGS...: `mvcli apps bundle ARGS`, quiet.
bundle() { "$cli" apps bundle "$@" >/dev/null || ota_fail "bundle $*"; }

# refused_upload BUNDLE REGEX: the relay refuses the upload with a reason matching REGEX
# (the bundle is never stored, so no device can be pointed at it).
refused_upload() {
    local out
    if out=$("$cli" apps upload "$1" 2>&1); then ota_fail "the relay stored a bad bundle: $out"; fi
    grep -Eq -- "$2" <<<"$out" || ota_fail "upload of $1 refused without the reason '$2': $out"
}

# ota_bad_bundles KEY IMAGE [BUNDLE ARGS...]: a byte flipped in the image and a truncated
# bundle are refused at upload with their reason; a byte flipped in the signature
# (structurally sound, the SHA-256 matches) is downloaded and refused by the device
# ("bad signature"); the running v1 is never touched and keeps logging.
ota_bad_bundles() {
    local key=$1 img=$2 good size app
    shift 2
    good="$MV_TMP/bad-base.mvb"
    bundle --key "$key" --version 2.0 "$@" "$img" -o "$good"
    size=$(stat -c %s "$good")
    cp "$good" "$MV_TMP/flipped.mvb"
    # Inside the image (a bundle ends with its 64-byte signature, after the image).
    flip_byte "$MV_TMP/flipped.mvb" $((size - 64 - 100))
    refused_upload "$MV_TMP/flipped.mvb" "does not match its SHA-256"
    head -c $((size / 2)) "$good" >"$MV_TMP/truncated.mvb"
    refused_upload "$MV_TMP/truncated.mvb" "not a valid bundle.*truncated"
    cp "$good" "$MV_TMP/badsig.mvb"
    flip_byte "$MV_TMP/badsig.mvb" $((size - 10))
    app=$(deploy "$MV_TMP/badsig.mvb")
    wait_state "failed $app: bad signature" 90
    still_ticking 1
    grep -q 'ota v1: update downloaded' "$MV_TMP/logs.json" &&
        ota_fail "the app was told about a refused update"
    return 0
}

# flip_byte FILE OFFSET: inverts one byte in place.
flip_byte() {
    python3 - "$1" "$2" <<'EOF'
import sys
path, off = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    f.seek(off)
    b = f.read(1)[0]
    f.seek(off)
    f.write(bytes([b ^ 0xFF]))
EOF
}

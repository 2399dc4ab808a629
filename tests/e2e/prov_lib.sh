# The offline test identity of the emulated boards' e2e tests (source after lib.sh;
# an505_lib.sh and riscv_lib.sh do): both boards parse the same provisioning blob
# (mps2-an505's mkprov.py and prov.c), so one helper makes it for either.

# mv_test_identity DIR: a syntactically valid identity (the kernel parses the PEMs only
# when it connects, and the relay URL is never dialled) and its provisioning blob
# DIR/prov.bin, with a fresh DRBG seed.
mv_test_identity() {
    local id=$1
    mkdir -p "$id"
    echo UV0123456789abcdef0123456789abcdef > "$id/device_id"
    printf -- '-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----\n' > "$id/device.key.pem"
    printf -- '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n' > "$id/device.cert.pem"
    cp "$id/device.cert.pem" "$id/ca.pem"
    device/port/mps2-an505/mkprov.py "$id" wss://127.0.0.1:9 "$id/prov.bin"
}

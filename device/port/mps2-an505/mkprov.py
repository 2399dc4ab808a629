#!/usr/bin/env python3
"""Builds the mps2-an505 provisioning blob (format in secure/prov.h) from a device
identity directory (device_id, device.key.pem, device.cert.pem, ca.pem: the same files
as the host port's --identity) and the relay address, with a fresh 32-byte DRBG seed
from the host's CSPRNG, and the update public key IDENTITY_DIR/update.pub.pem if present
(the key bundles must be signed with, docs/ota.md; as on the host port). QEMU loads it into secure RAM:
  -device loader,file=prov.bin,addr=0x381F0000

Usage: mkprov.py IDENTITY_DIR wss://HOST:PORT OUT
"""
import os
import re
import struct
import sys

HDR_LEN = 224
PROV_SIZE = 0x10000


def fail(msg):
    sys.exit(f"mkprov.py: {msg}")


def read_pem(path):
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data or b"-----BEGIN" not in data:
        fail(f"{path}: not a PEM file")
    return data + b"\0"


def main():
    if len(sys.argv) != 4:
        fail("usage: mkprov.py IDENTITY_DIR wss://HOST:PORT OUT")
    ident, url, out = sys.argv[1:]
    with open(os.path.join(ident, "device_id"), "rb") as f:
        dev_id = f.read().strip()
    if not re.fullmatch(rb"UV[0-9a-f]{32}", dev_id):
        fail(f"{ident}/device_id: expected UV followed by 32 lowercase hex digits")
    m = re.fullmatch(r"wss://([^/:\[\]]+):(\d+)(/|/v1/device)?", url)
    if not m or not 0 < int(m.group(2)) < 65536 or len(m.group(1)) >= 128:
        fail(f"relay URL {url!r}: expected wss://HOST:PORT")
    host, port = m.group(1).encode(), int(m.group(2))
    key = read_pem(os.path.join(ident, "device.key.pem"))
    cert = read_pem(os.path.join(ident, "device.cert.pem"))
    ca = read_pem(os.path.join(ident, "ca.pem"))
    upd_path = os.path.join(ident, "update.pub.pem")
    upd = read_pem(upd_path) if os.path.exists(upd_path) else b""
    if len(upd) > 0xFFFF:
        fail(f"{upd_path}: too large")
    total = HDR_LEN + len(key) + len(cert) + len(ca) + len(upd)
    if total > PROV_SIZE:
        fail(f"identity too large ({total} bytes, at most {PROV_SIZE})")
    hdr = (b"MVPROV01" + struct.pack("<IHH", total, port, len(upd)) + dev_id.ljust(36, b"\0")
           + host.ljust(128, b"\0") + os.urandom(32)
           + struct.pack("<III", len(key), len(cert), len(ca)))
    assert len(hdr) == HDR_LEN
    tmp = out + ".tmp"
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
        f.write(hdr + key + cert + ca + upd)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()

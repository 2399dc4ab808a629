#!/usr/bin/env python3
"""A minimal stand-in relay for the device connection's TLS integration test.

OpenSSL (Python's ssl) on the server side, as the real relay, with client
certificates required; RFC 6455 upgrade; mvisor frames: HELLO -> WELCOME, LOG ->
LOG_ACK, one PING that must come back as PONG. It serves two connections (the client
reconnects once) and writes a verdict line to --result. Test code, loopback only."""
import argparse, base64, hashlib, os, socket, ssl, struct, sys, time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
HELLO, WELCOME, LOG, LOG_ACK, PING, PONG = 0x01, 0x02, 0x09, 0x0a, 0x0b, 0x0c


def read_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b


def upgrade(s):
    head = b""
    while b"\r\n\r\n" not in head:
        c = s.recv(1)
        if not c:
            raise EOFError
        head += c
    lines = head.decode().split("\r\n")
    assert lines[0] == "GET /v1/device HTTP/1.1", lines[0]
    h = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:] if l)}
    assert h["upgrade"].lower() == "websocket" and h["sec-websocket-version"] == "13"
    assert h["sec-websocket-protocol"] == "mvisor.v1"
    acc = base64.b64encode(hashlib.sha1(h["sec-websocket-key"].encode() + GUID).digest())
    s.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Accept: " + acc + b"\r\nSec-WebSocket-Protocol: mvisor.v1\r\n\r\n")


def ws_read(s):
    """One client frame: (opcode, unmasked payload). Client frames must be masked."""
    b0, b1 = read_exact(s, 2)
    assert b1 & 0x80, "unmasked client frame"
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack(">H", read_exact(s, 2))[0]
    elif n == 127:
        n = struct.unpack(">Q", read_exact(s, 8))[0]
    mask = read_exact(s, 4)
    p = bytearray(read_exact(s, n))
    for i in range(n):
        p[i] ^= mask[i & 3]
    return b0 & 0x0F, bytes(p)


def ws_send(s, payload):
    n = len(payload)
    hdr = bytes([0x82, n]) if n < 126 else bytes([0x82, 126]) + struct.pack(">H", n)
    s.sendall(hdr + payload)


def frame(t, chan, payload):
    return struct.pack(">BBHI", t, 0, chan, len(payload)) + payload


def last_seq(payload):
    boot, count = struct.unpack_from(">QH", payload)
    off, seq = 10, 0
    for _ in range(count):
        seq, _us, kind = struct.unpack_from(">IQB", payload, off)
        off += 13
        if kind == 0:
            off += 2 + struct.unpack_from(">H", payload, off)[0]
        else:
            off += 4
    assert off == len(payload), "trailing bytes in LOG"
    return boot, seq


def serve(conn, state, device_id):
    cn = dict(x[0] for x in conn.getpeercert()["subject"])["commonName"]
    assert cn == device_id, f"client CN {cn}"
    upgrade(conn)
    buf, ping_sent = b"", False
    while True:
        op, p = ws_read(conn)
        if op == 8:
            return
        assert op == 2, f"opcode {op}"
        buf += p
        while len(buf) >= 8:
            t, _f, chan, n = struct.unpack_from(">BBHI", buf)
            if len(buf) < 8 + n:
                break
            body, buf = buf[8:8 + n], buf[8 + n:]
            if t == HELLO:
                vmin, vmax, _r, boot, nxt = struct.unpack_from(">BBHQI", body)
                assert vmin <= 1 <= vmax and boot != 0
                acked = state["acked"].get(boot)
                flags = 0x2 if acked else 0
                w = struct.pack(">B3xQIIIII", 1, int(time.time() * 1e6), 16384, 65536, 30,
                                flags, acked or 0)
                ws_send(conn, frame(WELCOME, 0, w))
                if not ping_sent:
                    ws_send(conn, frame(PING, 0, struct.pack(">Q", 0x1234567890ABCDEF)))
                    ping_sent = True
            elif t == LOG:
                boot, seq = last_seq(body)
                state["acked"][boot] = max(seq, state["acked"].get(boot, 0))
                ws_send(conn, frame(LOG_ACK, 0, struct.pack(">QI", boot, seq)))
            elif t == PONG:
                assert struct.unpack(">Q", body)[0] == 0x1234567890ABCDEF
                state["pongs"] += 1


def main():
    ap = argparse.ArgumentParser()
    for a in ("cert", "key", "ca", "port-file", "result", "device-id"):
        ap.add_argument("--" + a, required=True)
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_cert_chain(a.cert, a.key)
    ctx.load_verify_locations(a.ca)
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(4)
    ls.settimeout(30)
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(ls.getsockname()[1]))
    os.rename(a.port_file + ".tmp", a.port_file)
    state = {"acked": {}, "pongs": 0}
    verdict = "ok"
    try:
        sessions = 0
        while sessions < 2:
            raw, _addr = ls.accept()
            raw.settimeout(30)
            try:
                conn = ctx.wrap_socket(raw, server_side=True)
            except (ssl.SSLError, OSError):
                continue  # a client that refused our certificate (the rogue-CA check)
            with conn:
                sessions += 1
                try:
                    serve(conn, state, a.device_id)
                except EOFError:
                    pass
        if state["pongs"] < 1:
            verdict = "no PONG"
    except Exception as e:  # the verdict carries the reason to the test script
        verdict = f"error: {e!r}"
    with open(a.result, "w") as f:
        f.write(verdict + "\n")
    print("mini_relay:", verdict, file=sys.stderr)


if __name__ == "__main__":
    main()

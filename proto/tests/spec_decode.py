#!/usr/bin/env python3
"""An independent reader of the mvisor wire protocol, written from proto/PROTOCOL.md
alone (python3 standard library, no code shared with proto/src): the C encoders and
decoders are used by both the device and the relay, so a mistake made the same way on
both sides would pass every C test. This decoder checks the bytes against the text.

  spec_decode.py golden PROTOCOL.md   decode every golden vector of section 10: every
      field within its rule, re-encoded by this file's own encoder to the same bytes,
      every shorter payload refused as truncated and one extra byte as trailing
  spec_decode.py capture FILE         decode a captured session (lines "> HEX" sent by
      the device, "< HEX" received from the relay, as written by the test devices with
      TDEV_CAPTURE=FILE): both byte streams split into frames, every frame and every
      typed message on HTTP/MQTT/CONFIGFETCH/update channels decoded, and the session rules of
      sections 2, 5 and 6 checked (HELLO first, WELCOME first, increasing channel ids,
      LOG_ACK naming the last seq of a LOG batch, PONG echoing PING, credit respected)

Exit status 0 if everything conforms, 1 with one line per violation otherwise."""
import re
import struct
import sys


class Bad(Exception):
    """The input breaks a rule of the spec; kind is TRUNCATED, TRAILING or INVALID."""

    def __init__(self, kind, what):
        super().__init__(f"{kind}: {what}")
        self.kind = kind


class R:
    """Big-endian field reader over one payload (section 3: all integers big endian)."""

    def __init__(self, b):
        self.b, self.i = bytes(b), 0

    def take(self, n, what):
        if self.i + n > len(self.b):
            raise Bad("TRUNCATED", what)
        v = self.b[self.i:self.i + n]
        self.i += n
        return v

    def u8(self, w):
        return self.take(1, w)[0]

    def u16(self, w):
        return struct.unpack(">H", self.take(2, w))[0]

    def u32(self, w):
        return struct.unpack(">I", self.take(4, w))[0]

    def u64(self, w):
        return struct.unpack(">Q", self.take(8, w))[0]

    def b16(self, w, lo, hi):
        return rule(w, self.take(self.u16(w + " length"), w), lo, hi)

    def b32(self, w, lo, hi):
        return rule(w, self.take(self.u32(w + " length"), w), lo, hi)

    def end(self):
        if self.i != len(self.b):
            raise Bad("TRAILING", f"{len(self.b) - self.i} bytes after the last field")


def rule(what, v, lo, hi):
    """A byte string's length or an integer must lie in lo..hi."""
    n = len(v) if isinstance(v, (bytes, bytearray)) else v
    if not lo <= n <= hi:
        raise Bad("INVALID", f"{what} = {n} not in {lo}..{hi}")
    return v


def zero(what, v):
    return rule(what, v, 0, 0)


class W:
    """This file's own encoder: the canonical form of each field, as the spec writes it."""

    def __init__(self):
        self.b = bytearray()

    def u8(self, v):
        self.b += struct.pack(">B", v)

    def u16(self, v):
        self.b += struct.pack(">H", v)

    def u32(self, v):
        self.b += struct.pack(">I", v)

    def u64(self, v):
        self.b += struct.pack(">Q", v)

    def b16(self, v):
        self.u16(len(v))
        self.b += v

    def b32(self, v):
        self.u32(len(v))
        self.b += v


# Each payload kind: a decoder to a list of (field, value) in wire order, and the wire
# type of every field so that the same list re-encodes. The rules are the spec's tables.
def f_hello(r):
    vmin, vmax = r.u8("ver_min"), r.u8("ver_max")
    rule("ver_min", vmin, 1, vmax)
    return [("u8", "ver_min", vmin), ("u8", "ver_max", vmax),
            ("u16", "reserved", zero("reserved", r.u16("reserved"))),
            ("u64", "boot_id", rule("boot_id", r.u64("boot_id"), 1, 2**64 - 1)),
            ("u32", "log_next_seq", rule("log_next_seq", r.u32("log_next_seq"), 1, 2**32 - 1)),
            ("u32", "flags", zero("flags", r.u32("flags"))),
            ("b16", "fw_version", r.b16("fw_version", 0, 64))]


def f_welcome(r):
    out = [("u8", "version", rule("version", r.u8("version"), 1, 255))]
    out += [("u8", "reserved", zero("reserved", r.u8("reserved"))) for _ in range(3)]
    out += [("u64", "server_time_us", r.u64("server_time_us")),
            ("u32", "max_payload", rule("max_payload", r.u32("max_payload"), 2048, 16384)),
            ("u32", "initial_window",
             rule("initial_window", r.u32("initial_window"), 1024, 1048576)),
            ("u32", "ping_interval_s", rule("ping_interval_s", r.u32("ping"), 1, 3600))]
    flags = r.u32("flags")
    if flags & ~3:
        raise Bad("INVALID", f"WELCOME flags {flags:#x}")
    acked = r.u32("log_acked_seq")
    if not flags & 2 and acked != 0:
        raise Bad("INVALID", "log_acked_seq without LOG_ACKED_VALID")
    return out + [("u32", "flags", flags), ("u32", "log_acked_seq", acked)]


def f_open(r):
    return [("u32", "chan_type", r.u32("chan_type")),
            ("u32", "window", rule("window", r.u32("window"), 1024, 1048576)),
            ("b16", "endpoint", r.b16("endpoint", 0, 255))]


def f_u32(name, lo, hi):
    return lambda r: [("u32", name, rule(name, r.u32(name), lo, hi))]


def f_open_err(r):
    return [("u32", "status", rule("status", r.u32("status"), 1, 0x26)),
            ("b16", "message", r.b16("message", 0, 255))]


def f_goaway(r):
    return [("u32", "reason", r.u32("reason")), ("u32", "retry_after_ms", r.u32("retry")),
            ("b16", "message", r.b16("message", 0, 255))]


def f_error(r):
    out = [("u32", "code", rule("code", r.u32("code"), 1, 2**32 - 1)),
           ("u8", "frame_type", r.u8("frame_type"))]
    out += [("u8", "reserved", zero("reserved", r.u8("reserved"))) for _ in range(3)]
    return out + [("b16", "message", r.b16("message", 0, 255))]


def f_log(r):
    out = [("u64", "boot_id", rule("boot_id", r.u64("boot_id"), 1, 2**64 - 1))]
    count = rule("count", r.u16("count"), 1, 65535)
    out.append(("u16", "count", count))
    prev = 0
    for i in range(count):
        seq = r.u32("seq")
        if seq < 1 or seq <= prev:
            raise Bad("INVALID", f"record {i}: seq {seq} after {prev}")
        prev = seq
        us = r.u64("device_us")
        kind = rule("kind", r.u8("kind"), 0, 1)
        out += [("u32", "seq", seq), ("u64", "device_us", us), ("u8", "kind", kind)]
        if kind == 0:
            out.append(("b16", "message", r.b16("message", 0, 1024)))
        else:
            out.append(("u32", "dropped", rule("dropped", r.u32("dropped"), 1, 2**32 - 1)))
    return out


def f_log_ack(r):
    return [("u64", "boot_id", rule("boot_id", r.u64("boot_id"), 1, 2**64 - 1)),
            ("u32", "seq", rule("seq", r.u32("seq"), 1, 2**32 - 1))]


def f_opaque64(r):
    return [("u64", "opaque", r.u64("opaque"))]


def f_data(r):
    return [("raw", "bytes", r.take(len(r.b), "data"))]


def printable_key(k):
    if not all(0x21 <= c <= 0x7e for c in k):
        raise Bad("INVALID", f"config key {k!r} not printable ASCII")
    return k


def f_cfg_request(r):
    count = rule("count", r.u16("count"), 1, 16)
    out = [("u16", "count", count)]
    for _ in range(count):
        out += [("u8", "scope", rule("scope", r.u8("scope"), 0, 1)),
                ("u8", "store", rule("store", r.u8("store"), 0, 1)),
                ("b16", "key", printable_key(r.b16("key", 1, 128)))]
    return out


def f_cfg_response(r):
    result = rule("result", r.u8("result"), 0, 1)
    count = rule("count", r.u16("count"), 0 if result else 1, 0 if result else 16)
    out = [("u8", "result", result), ("u16", "count", count)]
    for _ in range(count):
        item = rule("item result", r.u8("item result"), 0, 2)
        value = r.b32("value", 0, 4096)
        if item != 0 and value:
            raise Bad("INVALID", "a failed item with a value")
        out += [("u8", "item_result", item), ("b32", "value", value)]
    return out


def f_http_request(r):
    out = [("u32", "timeout_ms", r.u32("timeout_ms")), ("b16", "method", r.b16("method", 1, 16)),
           ("b16", "url", r.b16("url", 1, 2048))]
    count = rule("count", r.u16("count"), 0, 32)
    out.append(("u16", "count", count))
    out += [("b16", "header", r.b16("header", 0, 1024)) for _ in range(count)]
    return out + [("b32", "body", r.b32("body", 0, 65536))]


def f_http_response(r):
    result = rule("result", r.u8("result"), 0, 6)
    out = [("u8", "result", result)]
    out += [("u8", "reserved", zero("reserved", r.u8("reserved"))) for _ in range(3)]
    status = rule("status_code", r.u32("status_code"), 0, 999)
    count = rule("count", r.u16("count"), 0, 64)
    out += [("u32", "status_code", status), ("u16", "count", count)]
    out += [("b16", "header", r.b16("header", 0, 1024)) for _ in range(count)]
    body = r.b32("body", 0, 65536)
    if result != 0 and (status or count or body):
        raise Bad("INVALID", "a failed HTTP result with status, headers or body")
    return out + [("b32", "body", body)]


def f_mqtt_connect(r):
    out = [("u8", "protocol_version", rule("protocol_version", r.u8("pv"), 0, 1)),
           ("u8", "auth_method", rule("auth_method", r.u8("auth"), 0, 1))]
    flags = rule("flags", r.u8("flags"), 0, 7)
    out += [("u8", "flags", flags), ("u8", "reserved", zero("reserved", r.u8("reserved"))),
            ("u16", "port", rule("port", r.u16("port"), 1, 65535)),
            ("u32", "keepalive", r.u32("keepalive")), ("b16", "host", r.b16("host", 1, 255)),
            ("b16", "client_id", r.b16("client_id", 0, 256))]
    if out[1][2] == 1:
        out += [("b16", "username", r.b16("username", 0, 1024)),
                ("b16", "password", r.b16("password", 0, 4096))]
    if flags & 2:
        nca = rule("num_ca", r.u8("num_ca"), 1, 8)
        ncl = rule("num_client", r.u8("num_client"), 0, 8)
        out += [("u8", "num_ca", nca), ("u8", "num_client", ncl),
                ("u16", "reserved", zero("reserved", r.u16("reserved")))]
        out += [("b16", "ca", r.b16("ca", 1, 8192)) for _ in range(nca)]
        out += [("b16", "client", r.b16("client", 1, 8192)) for _ in range(ncl)]
        key = r.b16("key", 0, 8192)
        if bool(key) != (ncl > 0):
            raise Bad("INVALID", "key present iff client certificates")
        out.append(("b16", "key", key))
    if flags & 4:
        out += [("u8", "qos", rule("qos", r.u8("qos"), 0, 2)),
                ("u8", "retain", rule("retain", r.u8("retain"), 0, 1)),
                ("u16", "reserved", zero("reserved", r.u16("reserved"))),
                ("b16", "topic", r.b16("topic", 1, 1024)), ("b32", "payload", r.b32("payload", 0, 65536))]
    return out


def f_u32s(*names):
    def dec(r):
        out = []
        for n in names:
            v = r.u32(n)
            if n == "request_state":
                rule(n, v, 0, 8)
            out.append(("u32", n, v))
        return out
    return dec


def f_mqtt_subscribe(r):
    out = [("u32", "correlation_id", r.u32("correlation_id"))]
    count = rule("count", r.u8("count"), 1, 8)
    out.append(("u8", "count", count))
    for _ in range(count):
        out += [("u8", "qos", rule("qos", r.u8("qos"), 0, 2)), ("u8", "nl", rule("nl", r.u8("nl"), 0, 1)),
                ("u8", "rap", rule("rap", r.u8("rap"), 0, 1)), ("u8", "rh", rule("rh", r.u8("rh"), 0, 2)),
                ("b16", "topic", r.b16("topic", 1, 1024))]
    return out


def f_mqtt_sub_resp(r):
    out = [("u32", "correlation_id", r.u32("correlation_id")),
           ("u32", "request_state", rule("request_state", r.u32("request_state"), 0, 8))]
    count = rule("count", r.u8("count"), 0, 8)
    out.append(("u8", "count", count))
    return out + [("u32", "reason_code", r.u32("reason_code")) for _ in range(count)]


def f_mqtt_unsubscribe(r):
    out = [("u32", "correlation_id", r.u32("correlation_id"))]
    count = rule("count", r.u8("count"), 1, 8)
    out.append(("u8", "count", count))
    return out + [("b16", "topic", r.b16("topic", 1, 1024)) for _ in range(count)]


def f_mqtt_publish(r):
    return [("u32", "correlation_id", r.u32("correlation_id")),
            ("u8", "qos", rule("qos", r.u8("qos"), 0, 2)),
            ("u8", "retain", rule("retain", r.u8("retain"), 0, 1)),
            ("u16", "reserved", zero("reserved", r.u16("reserved"))),
            ("b16", "topic", r.b16("topic", 1, 1024)), ("b32", "payload", r.b32("payload", 0, 65536))]


def f_mqtt_lost(r):
    return [("u32", "reason", zero("reason", r.u32("reason"))),
            ("u32", "message_len", r.u32("message_len")), ("b16", "topic", r.b16("topic", 0, 1024))]


def f_empty(r):
    return []


def printable(what, v, lo):
    if not all(lo <= c <= 0x7e for c in v):
        raise Bad("INVALID", f"{what} {v!r} not printable ASCII")
    return v


def f_upd_status(r):
    out = [("u8", "state", rule("state", r.u8("state"), 0, 5))]
    out += [("u8", "reserved", zero("reserved", r.u8("reserved"))) for _ in range(3)]
    return out + [("u32", "offset", r.u32("offset")),
                  ("b16", "app_id", printable("app_id", r.b16("app_id", 0, 64), 0x21)),
                  ("b16", "reason", printable("reason", r.b16("reason", 0, 255), 0x20))]


def f_upd_offer(r):
    # MVP_UPD_MAX_BUNDLE is named, not given as a number, by the spec: only >= 1 here.
    return [("u32", "size", rule("size", r.u32("size"), 1, 2**32 - 1)),
            ("b16", "app_id", r.b16("app_id", 1, 64))]


def f_upd_fetch(r):
    return [("u32", "offset", r.u32("offset")), ("b16", "app_id", r.b16("app_id", 1, 64))]


def f_upd_chunk(r):
    return [("u32", "offset", r.u32("offset")), ("b32", "data", r.b32("data", 1, 8192))]


# Section 3's frame table and section 7's message table.
FRAMES = {0x01: ("HELLO", f_hello), 0x02: ("WELCOME", f_welcome), 0x03: ("OPEN", f_open),
          0x04: ("OPEN_OK", f_u32("window", 1024, 1048576)), 0x05: ("OPEN_ERR", f_open_err),
          0x06: ("DATA", f_data), 0x07: ("WINDOW", f_u32("credit", 1, 2**32 - 1)),
          0x08: ("CLOSE", f_u32("reason", 0, 7)), 0x09: ("LOG", f_log),
          0x0a: ("LOG_ACK", f_log_ack), 0x0b: ("PING", f_opaque64), 0x0c: ("PONG", f_opaque64),
          0x0d: ("GOAWAY", f_goaway), 0x0e: ("ERROR", f_error)}
MESSAGES = {0x10: ("CFG_REQUEST", f_cfg_request), 0x11: ("CFG_RESPONSE", f_cfg_response),
            0x20: ("HTTP_REQUEST", f_http_request), 0x21: ("HTTP_RESPONSE", f_http_response),
            0x30: ("MQTT_CONNECT", f_mqtt_connect),
            0x31: ("MQTT_CONNECT_RESP", f_u32s("request_state", "reason_code")),
            0x32: ("MQTT_SUBSCRIBE", f_mqtt_subscribe), 0x33: ("MQTT_SUBSCRIBE_RESP", f_mqtt_sub_resp),
            0x34: ("MQTT_UNSUBSCRIBE", f_mqtt_unsubscribe),
            0x35: ("MQTT_UNSUBSCRIBE_RESP", f_mqtt_sub_resp),
            0x36: ("MQTT_PUBLISH", f_mqtt_publish),
            0x37: ("MQTT_PUBLISH_RESP", f_u32s("correlation_id", "request_state", "reason_code")),
            0x38: ("MQTT_MESSAGE", f_mqtt_publish),
            0x39: ("MQTT_MESSAGE_ACK", f_u32s("correlation_id")), 0x3a: ("MQTT_LOST", f_mqtt_lost),
            0x3b: ("MQTT_DISCONNECT", f_empty),
            0x3c: ("MQTT_DISCONNECT_RESP", f_u32s("request_state", "disconnect_code")),
            0x40: ("UPD_STATUS", f_upd_status), 0x41: ("UPD_OFFER", f_upd_offer),
            0x42: ("UPD_FETCH", f_upd_fetch), 0x43: ("UPD_CHUNK", f_upd_chunk)}
CHANNEL_FRAMES = {0x03, 0x04, 0x05, 0x06, 0x07, 0x08}
MAX_FRAME_PAYLOAD, MAX_MSG_PAYLOAD = 16384, 69632


def header(b, messages):
    """The 8-byte header of a frame (section 3) or typed message (section 5.3)."""
    r = R(b)
    t, flags, chan, n = r.u8("type"), r.u8("flags"), r.u16("channel"), r.u32("length")
    if flags & ~1:
        raise Bad("INVALID", f"flags {flags:#x}")
    if messages and chan != 0:
        raise Bad("INVALID", "message header reserved field not 0")
    if n > (MAX_MSG_PAYLOAD if messages else MAX_FRAME_PAYLOAD):
        raise Bad("INVALID", f"length {n} over the limit")
    return t, flags, chan, n


def decode_payload(table, t, payload):
    if t not in table:
        raise Bad("INVALID", f"unknown type {t:#x}")
    r = R(payload)
    fields = table[t][1](r)
    r.end()
    return fields


def encode_fields(fields):
    w = W()
    for kind, _, v in fields:
        if kind == "raw":
            w.b += v
        else:
            getattr(w, kind)(v)
    return bytes(w.b)


def decode_whole(b):
    """A golden vector: header + payload, frame or typed message by its type."""
    messages = b[0] >= 0x10
    t, flags, chan, n = header(b[:8], messages)
    if len(b) != 8 + n:
        raise Bad("INVALID", f"length field {n}, {len(b) - 8} payload bytes")
    if not messages and (t in CHANNEL_FRAMES) != (chan != 0) and t != 0x0e:
        raise Bad("INVALID", f"type {t:#x} on channel {chan}")
    table = MESSAGES if messages else FRAMES
    return messages, t, flags, chan, decode_payload(table, t, b[8:])


# ---- golden vectors --------------------------------------------------------------------
def golden_vectors(md_text):
    vecs = {}
    for block in re.findall(r"```golden\n(.*?)```", md_text, re.S):
        name = None
        for line in block.splitlines():
            m = re.match(r"^([a-z_0-9]+):\s*(.*)$", line)
            if m:
                name = m.group(1)
                vecs[name] = m.group(2)
            elif line.strip():
                vecs[name] += " " + line.strip()
    return {k: bytes.fromhex(v) for k, v in vecs.items()}


# What section 10 says the vectors hold, checked field by field (not only well-formed).
EXPECT = {
    "hello": {"boot_id": 0x0102030405060708, "ver_min": 1, "ver_max": 1, "fw_version": b"fw-1.0"},
    "log_ack": {"boot_id": 0x0102030405060708, "seq": 6},
    "open": {"chan_type": 0, "window": 4096, "endpoint": b"echo"},
    "data": {"bytes": b"hello"},
    "close": {"reason": 6},
    "goaway": {"reason": 0, "retry_after_ms": 5000, "message": b"restart"},
    "ping": {"opaque": 0x1122334455667788},
    "pong": {"opaque": 0x1122334455667788},
    "mqtt_publish": {"topic": b"t", "payload": b"42"},
    "cfg_response": {"value": b"60"},
    "upd_status_failed": {"state": 4, "app_id": b"AP0123", "reason": b"bad signature"},
    "upd_chunk": {"offset": 0x2000, "data": b"MVB1"},
}


def check_golden(path):
    errs = []
    vecs = golden_vectors(open(path, encoding="utf-8").read())
    if len(vecs) < 30:
        errs.append(f"only {len(vecs)} golden vectors found")
    for name, b in vecs.items():
        try:
            messages, t, flags, chan, fields = decode_whole(b)
        except Bad as e:
            errs.append(f"{name}: {e}")
            continue
        table = MESSAGES if messages else FRAMES
        if table[t][0].lower() != name.split("_too_")[0] and not name.startswith(table[t][0].lower()):
            errs.append(f"{name}: decodes as {table[t][0]}")
        if encode_fields(fields) != b[8:]:
            errs.append(f"{name}: this decoder's re-encoding differs")
        values = {}
        for _, k, v in fields:
            values.setdefault(k, v)
        for k, v in EXPECT.get(name, {}).items():
            if values.get(k) != v:
                errs.append(f"{name}: {k} = {values.get(k)!r}, expected {v!r}")
        if t in (0x06,) or not fields:
            continue  # DATA is opaque, an empty body has no shorter form
        for cut in range(len(b) - 8):
            try:
                decode_payload(table, t, b[8:8 + cut])
                errs.append(f"{name}: accepted truncated to {cut} bytes")
            except Bad as e:
                if e.kind != "TRUNCATED":
                    errs.append(f"{name}: truncated to {cut}: {e}")
        try:
            decode_payload(table, t, b[8:] + b"\0")
            errs.append(f"{name}: accepted a trailing byte")
        except Bad as e:
            if e.kind != "TRAILING":
                errs.append(f"{name}: trailing byte: {e}")
    print(f"golden: {len(vecs)} vectors checked against the spec")
    return errs


# ---- live capture ----------------------------------------------------------------------
def split_frames(data):
    frames, i = [], 0
    while i + 8 <= len(data):
        t, flags, chan, n = header(data[i:i + 8], False)
        if i + 8 + n > len(data):
            break
        frames.append((t, flags, chan, data[i + 8:i + 8 + n]))
        i += 8 + n
    return frames, len(data) - i


class Session:
    """Both directions of one connection, with the rules that span frames."""

    def __init__(self):
        self.errs, self.seen = [], {}
        self.chan_type, self.last_chan, self.log_last = {}, 0, {}
        self.pings = {"device": [], "relay": []}
        self.msg_buf = {}
        self.credit = {}  # channel -> credit the device has for sending

    def err(self, s):
        self.errs.append(s)

    def frame(self, who, idx, t, chan, payload):
        name = FRAMES.get(t, ("?",))[0]
        self.seen[(who, name)] = self.seen.get((who, name), 0) + 1
        try:
            fields = decode_payload(FRAMES, t, payload)
        except Bad as e:
            self.err(f"{who} frame {idx} {name}: {e}")
            return
        if encode_fields(fields) != payload:
            self.err(f"{who} frame {idx} {name}: not in canonical form")
        v = {k: val for _, k, val in fields}
        if idx == 0 and who == "device" and name != "HELLO":
            self.err("the device's first frame is not HELLO")
        if idx == 0 and who == "relay" and name not in ("WELCOME", "ERROR"):
            self.err("the relay's first frame is not WELCOME")
        if name == "OPEN":
            if chan <= self.last_chan:
                self.err(f"OPEN on channel {chan} after {self.last_chan}")
            self.last_chan = chan
            self.chan_type[chan] = v["chan_type"]
        elif name == "OPEN_OK":
            self.credit[chan] = v["window"]
        elif name == "WINDOW" and who == "relay":
            self.credit[chan] = self.credit.get(chan, 0) + v["credit"]
        elif name == "DATA":
            if who == "device" and chan in self.credit:
                self.credit[chan] -= len(payload)
                if self.credit[chan] < 0:
                    self.err(f"device DATA beyond its credit on channel {chan}")
            if self.chan_type.get(chan) in (1, 2, 3, 0x100):
                self.messages(who, chan, payload)
        elif name == "LOG":
            recs = [val for k2, k, val in fields if k == "seq"]
            self.log_last.setdefault(v["boot_id"], set()).add(recs[-1])
        elif name == "LOG_ACK":
            if v["seq"] not in self.log_last.get(v["boot_id"], set()):
                self.err(f"LOG_ACK seq {v['seq']} is not the last seq of a LOG batch sent")
        elif name == "PING":
            self.pings[who].append(v["opaque"])
        elif name == "PONG":
            other = "relay" if who == "device" else "device"
            if v["opaque"] not in self.pings[other]:
                self.err(f"{who} PONG {v['opaque']:#x} echoes no PING")

    def messages(self, who, chan, payload):
        buf = self.msg_buf.get((who, chan), b"") + payload
        while len(buf) >= 8:
            try:
                t, _, _, n = header(buf[:8], True)
            except Bad as e:
                self.err(f"{who} channel {chan} message header: {e}")
                buf = b""
                break
            if len(buf) < 8 + n:
                break
            name = MESSAGES.get(t, ("?",))[0]
            self.seen[(who, name)] = self.seen.get((who, name), 0) + 1
            try:
                fields = decode_payload(MESSAGES, t, buf[8:8 + n])
                if encode_fields(fields) != buf[8:8 + n]:
                    self.err(f"{who} {name}: not in canonical form")
            except Bad as e:
                self.err(f"{who} channel {chan} {name}: {e}")
            buf = buf[8 + n:]
        self.msg_buf[(who, chan)] = buf


def check_capture(path, require):
    streams = {"device": bytearray(), "relay": bytearray()}
    for line in open(path, encoding="ascii"):
        if line[:2] in ("> ", "< "):
            streams["device" if line[0] == ">" else "relay"] += bytes.fromhex(line[2:].strip())
    s = Session()
    # The device's frames are whole writes in order; the relay's stream is what arrived.
    # Process both in their own order (the cross-direction rules only need "was sent").
    split = {}
    for who, data in streams.items():
        try:
            split[who], rest = split_frames(bytes(data))
        except Bad as e:
            s.err(f"{who} stream: {e}")
            split[who], rest = [], 0
        if rest:
            s.err(f"{who} stream ends inside a frame ({rest} bytes)")
    for i, (t, _, chan, p) in enumerate(split.get("device", [])):
        s.frame("device", i, t, chan, p)
    for i, (t, _, chan, p) in enumerate(split.get("relay", [])):
        s.frame("relay", i, t, chan, p)
    for want in require:
        who, name = want.split(":")
        if not s.seen.get((who, name)):
            s.err(f"capture has no {name} from the {who}")
    counts = ", ".join(f"{w} {n} x{c}" for (w, n), c in sorted(s.seen.items()))
    print(f"capture: {sum(len(v) for v in split.values())} frames decoded ({counts})")
    return s.errs


def main(argv):
    if len(argv) >= 3 and argv[1] == "golden":
        errs = check_golden(argv[2])
    elif len(argv) >= 3 and argv[1] == "capture":
        errs = check_capture(argv[2], argv[3:])
    else:
        print(__doc__)
        return 2
    for e in errs:
        print("FAIL", e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

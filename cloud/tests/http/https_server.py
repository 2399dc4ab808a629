#!/usr/bin/env python3
"""Local HTTPS test target for the relay's HTTP proxy tests and benchmark.

Listens on 127.0.0.1 (port 0: the kernel picks a free one, written to --port-file once
listening) with the given certificate. Routes:
  /json          a small JSON document
  /echo          any method: status 200, X-Method, one X-Echo-<Name> per request header,
                 the request body as the response body
  /big?n=N       N bytes of a repeating pattern
  /sleep?ms=N    answers after N ms
  /redirect      302 to /json
  /kib           1024 bytes (benchmark)
  /conns         how many TLS connections the server has accepted so far
With --hang-port-file it also runs a TCP listener that accepts and never answers, with
--plain-port-file the same routes over plain HTTP (for http_allow_plain)."""
import argparse, json, socket, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

JSON_DOC = json.dumps({"device": "mvisor", "temperature": 21.5, "ok": True}).encode()
KIB = bytes((i % 94) + 33 for i in range(1024))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes

    connections = 0  # one handler instance per accepted connection

    def setup(self):
        Handler.connections += 1
        super().setup()

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        u = urlparse(self.path)
        q = parse_qs(u.query)
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if u.path == "/json":
            self.reply(200, JSON_DOC, [("Content-Type", "application/json")])
        elif u.path == "/conns":
            self.reply(200, str(Handler.connections).encode())
        elif u.path == "/kib":
            self.reply(200, KIB, [("Content-Type", "application/octet-stream")])
        elif u.path == "/echo":
            hdrs = [("X-Method", self.command), ("Content-Type", "application/octet-stream")]
            for k, v in self.headers.items():
                hdrs.append(("X-Echo-" + k, v))
            self.reply(200, body, hdrs)
        elif u.path == "/big":
            size = int(q.get("n", ["0"])[0])
            self.reply(200, (KIB * (size // 1024 + 1))[:size])
        elif u.path == "/sleep":
            time.sleep(int(q.get("ms", ["0"])[0]) / 1000)
            self.reply(200, b"slept")
        elif u.path == "/redirect":
            self.reply(302, b"", [("Location", "/json")])
        else:
            self.reply(404, b"not found")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = handle_any


def hang(port_file):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    held = []
    with open(port_file, "w") as f:
        f.write(str(s.getsockname()[1]))
    while True:
        c, _ = s.accept()
        held.append(c)  # never read, never answered


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--hang-port-file")
    ap.add_argument("--plain-port-file")
    a = ap.parse_args()
    if a.hang_port_file:
        threading.Thread(target=hang, args=(a.hang_port_file,), daemon=True).start()
    if a.plain_port_file:
        plain = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        plain.daemon_threads = True
        with open(a.plain_port_file, "w") as f:
            f.write(str(plain.server_address[1]))
        threading.Thread(target=plain.serve_forever, daemon=True).start()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(a.port_file + ".tmp", a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

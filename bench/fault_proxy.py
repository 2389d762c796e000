#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for bench/publish.sh: a slow index.

Usage: fault_proxy.py LISTEN_PORT UPSTREAM_PORT DELAY_SECONDS LOG_FILE

Listens on 127.0.0.1:LISTEN_PORT and forwards every request to the server on
127.0.0.1:UPSTREAM_PORT (pypiserver), after reading the whole request and
then sleeping DELAY_SECONDS: each request takes at least that long, as with
an index far away or under load. Requests are served concurrently (a thread
per connection), so parallel clients wait in parallel; client connections are
kept alive (HTTP/1.1) and request bodies may be sent with Content-Length or
chunked. One line per request is appended to LOG_FILE:
`<start> <end> <method> <path> <body bytes> <status>` (times from
time.monotonic()), written before the answer goes out, so that the benchmark
can count each tool's requests.
Python standard library only.
"""

import http.client
import http.server
import sys
import threading
import time

LISTEN, UPSTREAM, DELAY, LOG = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
       "trailer", "upgrade", "content-length", "expect"}
log_lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def forward(self):
        start = time.monotonic()
        body = self.read_body()
        time.sleep(DELAY)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        headers["Connection"] = "close"
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(body))
        conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=600)
        try:
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            status, reason, resp_headers = resp.status, resp.reason, resp.getheaders()
        except OSError as e:
            status, reason, resp_headers = 502, "Bad Gateway", []
            data = f"fault_proxy: upstream error: {e}\n".encode()
        finally:
            conn.close()
        # Logged before the client has its answer, so the line is in the log
        # before anything the client does next.
        with log_lock, open(LOG, "a") as f:
            f.write(f"{start:.6f} {time.monotonic():.6f} {self.command} {self.path} "
                    f"{len(body)} {status}\n")
        self.send_response(status, reason)
        for k, v in resp_headers:
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.wfile.flush()

    do_GET = do_POST = do_HEAD = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = forward


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


if __name__ == "__main__":
    server = Server(("127.0.0.1", LISTEN), Handler)
    print(f"fault_proxy: 127.0.0.1:{LISTEN} -> 127.0.0.1:{UPSTREAM}, {DELAY} s per request",
          flush=True)
    server.serve_forever()

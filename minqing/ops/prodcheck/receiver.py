"""A webhook receiver on a loopback port: counts each (event id, subscription) it is sent, and
checks each signature (minqing/webhooks/signing.py)."""

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from minqing.webhooks import signing


class Receiver:
    def __init__(self) -> None:
        self.secret = ""
        self.seen: Counter[str] = Counter()
        self.bad_signatures = 0
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                event = self.headers.get("Minqing-Event-Id", "")
                ok = owner.verify(self.headers.get("Minqing-Signature", ""), body)
                with owner.lock:
                    owner.seen[event] += 1
                    owner.bad_signatures += 0 if ok else 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def verify(self, header: str, body: bytes) -> bool:
        return bool(self.secret) and signing.verify(self.secret, body, header)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()

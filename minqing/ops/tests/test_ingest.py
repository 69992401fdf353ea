"""The prod-check's ingestion ladder against a stub server that answers one request at a time in
50 ms (20 requests a second at most): a slow rate passes, an overload fails on p99 and stops the
ladder, and latency counts from each submission's scheduled start."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from minqing.ops.prodcheck.ingest import Ladder, Step

SERVICE_S = 0.05


class Stub(BaseHTTPRequestHandler):
    lock = threading.Lock()

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: str, kind: str = "text/html") -> None:
        with self.lock:  # one at a time: a server of fixed capacity
            time.sleep(SERVICE_S)
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer(200, '<input name="csrfmiddlewaretoken" value="t"><input name="token" value="k">')

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path.startswith("/api/"):
            self._answer(201, json.dumps({"number": "1", "tracking_code": "ABC"}), "application/json")
        else:
            self._answer(200, '<p id="tracking-code">ABC123</p>')


def test_the_ladder_finds_the_rate_the_server_holds() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = Ladder(server.server_address[1], "key", "leaf", seconds_per_rate=2).run(
            rates=(2.0, 60.0, 100.0)
        )
    finally:
        server.shutdown()
    first, second = result["steps"]  # the ladder stopped after the rate that failed
    assert first["passed"] and first["answered_2xx"] == first["submissions"] == 6
    assert not second["passed"] and second["p99_ms"] >= 500  # 90 requests/s offered to a 20/s server
    assert result["sustained_per_s"] == 2.0 and not result["peak_hour_10x_passed"]


def test_a_step_fails_on_any_answer_that_is_not_2xx() -> None:
    step = Step(rate=1.0, seconds=3.0)
    for status in ("201", "200", "503"):
        step.record(status, 10.0)
    summary = step.summary()
    assert not summary["passed"] and summary["answered_2xx"] == 2 and summary["p99_ms"] < 500

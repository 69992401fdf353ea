"""Ingestion on the production stack: how many submissions a second it holds with p99 under
500 ms (issue 17: 30,000 problems a day is 0.35 a second on average, 3.5 in a peak hour at 10x).

An open-loop rate ladder: at each offered rate, submissions are started on a fixed schedule
(half through the API as a hotline pushes them, half through the residents' form: its page, then
its POST), whatever the answers before them took, and each one's latency is measured from its
scheduled start, so a server falling behind shows as growing latency instead of a slower client
(no coordinated omission). The ladder stops after the first rate that misses: p99 over the limit,
an answer that is not 2xx, or fewer started on time than offered. The sustained rate is the
highest rate that passed.
"""

import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from minqing.ops.prodcheck.http import Client
from minqing.ops.prodcheck.load import CODE, submit_form

RATES = (0.35, 3.5, 10.0, 20.0, 40.0, 80.0)  # submissions a second
P99_LIMIT_MS = 500.0
MIN_REQUESTS = 6
POOL = 96  # in-flight submissions at most (the client's side; far above what the server holds)


@dataclass
class Step:
    rate: float
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: str, ms: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies_ms.append(ms)

    def summary(self) -> dict[str, Any]:
        values = sorted(self.latencies_ms)
        q = statistics.quantiles(values, n=100) if len(values) >= 2 else values * 99
        ok = sum(n for s, n in self.statuses.items() if s.startswith("2"))
        p99 = q[98] if values else 0.0
        passed = bool(values) and ok == len(values) and p99 < P99_LIMIT_MS
        return {
            "offered_per_s": self.rate,
            "seconds": round(self.seconds, 1),
            "submissions": len(values),
            "answered_2xx": ok,
            "achieved_per_s": round(ok / self.seconds, 2) if self.seconds else 0.0,
            "statuses": dict(sorted(self.statuses.items())),
            "p50_ms": round(q[49], 1) if values else 0.0,
            "p99_ms": round(p99, 1),
            "max_ms": round(values[-1], 1) if values else 0.0,
            "passed": passed,
        }


class Ladder:
    def __init__(self, port: int, key: str, leaf: str, seconds_per_rate: float = 12.0) -> None:
        self.port, self.key, self.leaf, self.seconds = port, key, leaf, seconds_per_rate
        self.local = threading.local()

    def _client(self) -> Client:
        c = getattr(self.local, "client", None)
        if c is None:
            c = self.local.client = Client(self.port)
        return c

    def _api(self, n: int) -> int:
        marker = f"in-{uuid.uuid4().hex[:12]}"
        body = {
            "title": f"热线来电:楼道灯坏了 {marker}", "content": f"12345 转来,第 {n} 条 {marker}",
            "unit_code": self.leaf, "channel": "call", "reporter": {"name": "王五", "phone": "13900003333"},
        }  # fmt: skip
        headers = {"Authorization": f"Bearer {self.key}", "Idempotency-Key": uuid.uuid4().hex}
        return self._client().post_json("/api/v1/problems/", body, headers).status

    def _public(self, n: int) -> int:
        marker = f"in-{uuid.uuid4().hex[:12]}"
        fields = {
            "title": f"路面坑洼 {marker}", "content": f"小区门口路面坑洼,第 {n} 条 {marker}",
            "unit_code": self.leaf, "name": "赵六", "phone": "13900004444",
        }  # fmt: skip
        answer = submit_form(self._client(), fields, uuid.uuid4().hex)
        if answer.status == 200 and not CODE.search(answer.text()):
            return 0  # a page without a tracking code is not an acknowledgement
        return answer.status

    def _one(self, step: Step, n: int, due: float) -> None:
        try:
            status = str(self._api(n) if n % 2 else self._public(n))
        except OSError as e:
            status = f"error {type(e).__name__}"
            self.local.client = None
        step.record(status, (time.monotonic() - due) * 1000)

    def run_step(self, rate: float) -> dict[str, Any]:
        count = max(MIN_REQUESTS, round(rate * self.seconds))
        step = Step(rate, count / rate)
        late = 0
        with ThreadPoolExecutor(max_workers=POOL) as pool:
            start = time.monotonic() + 0.2
            for i in range(count):
                due = start + i / rate
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                elif wait < -0.05:
                    late += 1  # the client could not start it on time (counted from ``due`` anyway)
                pool.submit(self._one, step, i, due)
        out = step.summary()
        out["started_late"] = late
        return out

    def run(self, rates: tuple[float, ...] = RATES) -> dict[str, Any]:
        steps = []
        for rate in rates:
            result = self.run_step(rate)
            steps.append(result)
            if not result["passed"]:
                break
        passed = [s["offered_per_s"] for s in steps if s["passed"]]
        peak = next((s for s in steps if s["offered_per_s"] == 3.5), None)
        return {
            "p99_limit_ms": P99_LIMIT_MS,
            "steps": steps,
            "sustained_per_s": max(passed) if passed else 0.0,
            "sustained_per_day": round(max(passed) * 86400) if passed else 0,
            "peak_hour_10x_passed": bool(peak and peak["passed"]),
        }

"""The fault test's mixed load over loopback HTTP: public and API submissions (each retried with
its Idempotency-Key until answered, as a careful client does), following by e-mail, assigning
through the API, staff queue reads, dashboard and bulletin reads, the public list. Every answer is
counted; a submission is *acknowledged* when its 2xx answer carries its tracking code."""

import re
import statistics
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from minqing.ops.prodcheck.http import Answer, Client

CODE = re.compile(r'id="tracking-code"[^>]*>([A-Z0-9]+)<')
RETRIES = 40
RETRY_PAUSE_S = 0.5
BULLETIN_AS_OF = "2019-12-20"  # the seed demo's 主题教育 (乌兰浩特市) runs then: the top unit's bulletin


def submit_form(c: Client, fields: dict[str, str], idem: str) -> Answer:
    """The residents' form as a browser sends it: its page (a fresh session, the CSRF token and
    the form's one-time token), then the POST with ``fields`` under the ``Idempotency-Key``."""
    c.cookies.clear()
    form = c.get("/public/submit/")
    if form.status != 200:
        return form
    data = {"csrfmiddlewaretoken": c.csrf(form), **fields}
    token = re.search(r'name="token" value="([^"]+)"', form.text())
    if token:
        data["token"] = token.group(1)
    return c.post_form("/public/submit/", data, {"Idempotency-Key": idem})


QUEUED = "queued:"  # an acknowledgement of a queued registration: its token follows


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, list[float]] = field(default_factory=dict)
    acked: dict[str, str] = field(default_factory=dict)  # marker -> tracking code
    gave_up: list[str] = field(default_factory=list)  # markers never acknowledged
    followed: list[str] = field(default_factory=list)  # tracking codes followed by e-mail
    assigned: list[str] = field(default_factory=list)

    def count(self, kind: str, answer: Answer | None) -> None:
        with self.lock:
            self.statuses[f"{kind} {answer.status if answer else 'error'}"] += 1
            if answer is not None:
                self.seconds.setdefault(kind, []).append(answer.seconds)

    def latency(self) -> dict[str, dict[str, float]]:
        out = {}
        for kind, values in self.seconds.items():
            values = sorted(values)
            q = statistics.quantiles(values, n=100) if len(values) >= 2 else values * 99
            out[kind] = {"n": len(values), "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}
        return out


@dataclass
class Load:
    port: int
    key: str
    top: str
    leaf: str
    tally: Tally = field(default_factory=Tally)
    stop: threading.Event = field(default_factory=threading.Event)

    def _retrying(self, kind: str, call: Any) -> Answer | None:
        """``call(client)`` until it answers below 500 (a worker killed, the database restarting)."""
        client = Client(self.port)
        for _ in range(RETRIES):
            try:
                answer = call(client)
            except OSError:
                self.tally.count(kind, None)
                client.close()
                time.sleep(RETRY_PAUSE_S)
                continue
            self.tally.count(kind, answer)
            if answer.status < 500 and answer.status != 429:
                return answer
            time.sleep(RETRY_PAUSE_S)
        return None

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def public_submission(self, n: int) -> None:
        marker = f"pc-{uuid.uuid4().hex[:12]}"
        idem = uuid.uuid4().hex

        def call(c: Client) -> Answer:
            fields = {
                "title": f"路灯不亮 {marker}", "content": f"小区门口路灯坏了,第 {n} 条 {marker}",
                "unit_code": self.leaf, "name": "张三", "phone": "13900001111",
            }  # fmt: skip
            return submit_form(c, fields, idem)

        answer = self._retrying("public_submit", call)
        found = CODE.search(answer.text()) if answer is not None and answer.status == 200 else None
        with self.tally.lock:
            if found:
                self.tally.acked[marker] = found.group(1)
            else:
                self.tally.gave_up.append(marker)
        if found and n % 3 == 0:
            self.follow(found.group(1), n)

    def follow(self, code: str, n: int) -> None:
        def call(c: Client) -> Answer:
            page = c.get(f"/public/track/{code}/")
            if page.status != 200:
                return page
            data = {"csrfmiddlewaretoken": c.csrf(page), "channel": "email", "address": f"r{n}@example.org"}
            return c.post_form(f"/public/track/{code}/follow/", data)

        answer = self._retrying("follow", call)
        if answer is not None and answer.status in (200, 302):
            with self.tally.lock:
                self.tally.followed.append(code)

    def api_submission(self, n: int) -> str | None:
        """A hotline call pushed in; every third asks for the queued answer (``Prefer:
        respond-async``: 202 and a token, registered by the job worker after the answer)."""
        marker = f"pc-{uuid.uuid4().hex[:12]}"
        idem = uuid.uuid4().hex
        queued = n % 3 == 0
        body = {
            "title": f"热线来电:供暖不热 {marker}", "content": f"12345 转来,第 {n} 条 {marker}",
            "unit_code": self.leaf, "channel": "call", "reporter": {"name": "李四", "phone": "13900002222"},
        }  # fmt: skip
        headers = {**self._auth(), "Idempotency-Key": idem, **({"Prefer": "respond-async"} if queued else {})}
        answer = self._retrying(
            "api_submit_queued" if queued else "api_submit",
            lambda c: c.post_json("/api/v1/problems/", body, headers),
        )
        with self.tally.lock:
            if answer is not None and answer.status == 202 and queued:
                self.tally.acked[marker] = QUEUED + answer.json()["token"]  # its code: once registered
                return None
            if answer is not None and answer.status == 201:
                self.tally.acked[marker] = answer.json()["tracking_code"]
                return str(answer.json()["number"])
            self.tally.gave_up.append(marker)
            return None

    def assign_some(self, mine: list[str]) -> None:
        """The office assigns problems this thread registered (a public state change: followers
        and webhooks)."""
        with self.tally.lock:
            todo = [n for n in mine if n not in self.tally.assigned][:2]
        for number in todo:
            answer = self._retrying(
                "assign",
                lambda c, number=number: c.post_json(
                    f"/api/v1/problems/{number}/assign", {"unit_code": self.leaf}, self._auth()
                ),
            )
            if answer is not None and answer.status == 200:
                with self.tally.lock:
                    self.tally.assigned.append(number)

    def reads(self) -> None:
        paths = [
            ("queue", "/api/v1/problems/?limit=20", True),
            ("dashboard", f"/api/v1/reports/dashboard?unit={self.top}", True),
            ("bulletin", f"/api/v1/reports/bulletin?unit={self.top}&as_of={BULLETIN_AS_OF}", True),
            ("public_list", "/public/problems/", False),
        ]
        c = Client(self.port)
        for kind, path, auth in paths:
            try:
                answer = c.get(path, self._auth() if auth else None)
            except OSError:
                answer = None
                c.close()
            self.tally.count(kind, answer)
            if answer is None or answer.status >= 500:
                time.sleep(RETRY_PAUSE_S)  # as a person would: not a hot loop against a failing server

    def worker(self, role: str) -> None:
        n = 0
        mine: list[str] = []
        while not self.stop.is_set():
            n += 1
            if role == "public":
                self.public_submission(n)
            elif role == "api":
                number = self.api_submission(n)
                if number:
                    mine.append(number)
                if n % 4 == 0:
                    self.assign_some(mine)
            else:
                self.reads()

    def run(self, seconds: float, faults: Any) -> None:
        threads = [threading.Thread(target=self.worker, args=(role,), daemon=True)
                   for role in ("public", "public", "api", "api", "reads", "reads")]  # fmt: skip
        for t in threads:
            t.start()
        started = time.monotonic()
        faults(started)
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
        self.stop.set()
        for t in threads:
            t.join(timeout=RETRIES * (RETRY_PAUSE_S + 30))

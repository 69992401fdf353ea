"""A small HTTP client for the prod-check's load: one keep-alive connection per thread, cookies
kept by hand (the production settings mark them Secure; the requests say they came over https
the way nginx does, with ``X-Forwarded-Proto``)."""

import http.client
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    port: int
    timeout: float = 30
    cookies: dict[str, str] = field(default_factory=dict)
    _conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        h = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
        except OSError:
            self.close()  # the worker died or the connection dropped: the caller decides to retry
            raise
        except http.client.HTTPException as error:
            # a worker killed mid-answer (IncompleteRead, BadStatusLine): to the caller, as every
            # dropped connection, an OSError to retry on
            self.close()
            raise ConnectionError(f"{type(error).__name__}: {error}") from error
        for value in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if r.headers.get("Connection", "").lower() == "close":
            self.close()
        return Answer(
            r.status, data, {k.lower(): v for k, v in r.headers.items()}, time.perf_counter() - started
        )

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, data: dict[str, str], headers: dict[str, str] | None = None) -> Answer:
        body = urlencode(data).encode()
        h = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1{path}",
            **(headers or {}),
        }
        return self.request("POST", path, body, h)

    def post_json(self, path: str, data: Any, headers: dict[str, str] | None = None) -> Answer:
        body = json.dumps(data).encode()
        return self.request("POST", path, body, {"Content-Type": "application/json", **(headers or {})})

    @staticmethod
    def csrf(page: Answer) -> str:
        found = CSRF_FIELD.search(page.text())
        return found.group(1) if found else ""

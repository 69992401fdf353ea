"""Loopback ports for the servers the checks, tests and benchmarks start: a free one, and waiting
until a server listens on it."""

import socket
import time
from collections.abc import Callable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 60, alive: Callable[[], bool] | None = None) -> bool:
    """Wait until something listens on ``port`` (127.0.0.1); false when ``timeout`` seconds pass
    first, or as soon as ``alive()`` says the server starting it has died."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            if (alive is not None and not alive()) or time.monotonic() > deadline:
                return False
            time.sleep(0.2)

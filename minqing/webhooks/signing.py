"""The signature of a delivery: ``Minqing-Signature: t=<unix time>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256 keyed with the subscription's secret over ``f"{t}.{body}"`` (the body's exact bytes,
UTF-8). A receiver recomputes it, compares in constant time and refuses a ``t`` too far from its
clock (replays). ``docs/api.md`` (## Webhooks) has the same in a few lines for receivers."""

import hashlib
import hmac
import time

HEADER = "Minqing-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def header_value(secret: str, body: bytes, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={signature(secret, t, body)}"


def verify(
    secret: str, body: bytes, header: str, *, now: float | None = None, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """The header was made with ``secret`` over ``body``, within ``tolerance`` seconds of now."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        t = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, t, body), parts.get("v1", ""))

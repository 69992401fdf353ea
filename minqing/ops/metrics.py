"""``/metrics``: the figures an operator's Prometheus scrapes, in its text format (version 0.0.4),
read when scraped: the database, the replica's lag and whether it is in use, the job queue, the
outboxes of notifications and webhooks, and problems by state.

Who may read it: a request carrying ``Authorization: Bearer <MINQING_METRICS_TOKEN>`` when that
setting is set; otherwise only a request from the machine itself that came through no proxy (no
``X-Forwarded-For``), so that nginx in front never exposes it (docs/deploy.md).
"""

import hmac
import math
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from minqing.core import replica
from minqing.ledger.models import Problem
from minqing.notify.models import OutboxMessage
from minqing.webhooks.models import Delivery

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LOOPBACK = {"127.0.0.1", "::1"}


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    return f"{value:g}" if value != int(value) else str(int(value))


class Page:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def metric(self, name: str, kind: str, help_text: str, samples: Iterable[tuple[str, float]]) -> None:
        self.lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
        for labels, value in samples:
            self.lines.append(f"{name}{labels} {_number(value)}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _by(label: str, qs: QuerySet[Any], field: str) -> list[tuple[str, float]]:
    """One sample per value of ``field``: how many rows have it."""
    rows = qs.order_by().values_list(field).annotate(n=Count("id")).values_list(field, "n")
    return [(f'{{{label}="{key}"}}', float(n)) for key, n in sorted(rows)]


def _database(page: Page) -> bool:
    started = time.perf_counter()
    try:
        with connections["default"].cursor() as cur:
            cur.execute("SELECT 1")
        up = True
    except DatabaseError:
        up = False
    page.metric("minqing_database_up", "gauge", "1 when the primary database answers.", [("", float(up))])
    page.metric(
        "minqing_database_ping_seconds", "gauge", "Time of a SELECT 1 on the primary.",
        [("", time.perf_counter() - started)],
    )  # fmt: skip
    return up


def _replica(page: Page) -> None:
    configured = replica.configured()
    page.metric(
        "minqing_replica_configured",
        "gauge",
        "1 when a read replica is configured.",
        [("", float(configured))],
    )
    if not configured:
        return
    lag = replica.lag()
    page.metric(
        "minqing_replica_lag_seconds", "gauge",
        "How far the replica is behind (+Inf: unknown; NaN: unreachable).",
        [("", math.nan if lag is None else lag)],
    )  # fmt: skip
    page.metric(
        "minqing_replica_in_use", "gauge", "1 when replica reads are allowed (lag under the limit).",
        [("", float(replica.usable()))],
    )  # fmt: skip
    page.metric(
        "minqing_replica_max_lag_seconds", "gauge", "The lag above which reads fall back to the primary.",
        [("", float(settings.MINQING_REPLICA_MAX_LAG_SECONDS))],
    )  # fmt: skip


def _jobs(page: Page) -> None:
    from huey.contrib.djhuey import HUEY

    try:
        pending = float(HUEY.pending_count())
    except Exception:
        pending = math.nan
    page.metric(
        "minqing_jobs_pending",
        "gauge",
        "Jobs waiting in the queue (NaN: queue unreachable).",
        [("", pending)],
    )


def _records(page: Page) -> None:
    page.metric(
        "minqing_problems",
        "gauge",
        "Problems in the ledger by state.",
        _by("state", Problem.objects.all(), "state"),
    )
    page.metric(
        "minqing_notify_outbox", "gauge", "Messages to residents and staff by state.",
        _by("state", OutboxMessage.objects.all(), "state"),
    )  # fmt: skip
    page.metric(
        "minqing_webhook_deliveries",
        "gauge",
        "Webhook deliveries by status.",
        _by("status", Delivery.objects.all(), "status"),
    )


def allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "MINQING_METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    return request.META.get("REMOTE_ADDR") in LOOPBACK and "HTTP_X_FORWARDED_FOR" not in request.META


@never_cache
@replica.replica_reads
def metrics(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type=CONTENT_TYPE)
    page = Page()
    page.metric("minqing_up", "gauge", "1: the web worker answers.", [("", 1.0)])
    if _database(page):
        _records(page)
    _replica(page)
    _jobs(page)
    return HttpResponse(page.text(), content_type=CONTENT_TYPE)

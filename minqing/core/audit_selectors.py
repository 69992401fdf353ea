"""The audit page's reads: the rows the audit administrator filters, newest first."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from minqing.core.models import AuditEvent
from minqing.core.pages import parse_date
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Duty


@dataclass(frozen=True)
class AuditFilters:
    start: dt.date | None = None
    end: dt.date | None = None
    account: str = ""  # the actor_name
    action: str = ""
    outcome: str = ""
    object_type: str = ""
    ip: str = ""

    @classmethod
    def from_mapping(cls, q: Mapping[str, Any]) -> "AuditFilters":
        def text(name: str, limit: int) -> str:
            return str(q.get(name) or "").strip()[:limit]

        action, outcome = text("action", 20), text("outcome", 10)
        return cls(
            start=parse_date(q.get("start")),
            end=parse_date(q.get("end")),
            account=text("account", 150),
            action=action if action in AuditEvent.Action.values else "",
            outcome=outcome if outcome in AuditEvent.Outcome.values else "",
            object_type=text("object_type", 50),
            ip=text("ip", 45),
        )

    def described(self) -> str:
        return " ".join(f"{k}={v}" for k, v in vars(self).items() if v)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(actor: Actor | None, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The rows matching ``filters``, newest first; none for anyone but the audit administrator."""
    if not policy.has_duty(actor, Duty.AUDIT):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.all()
    f = filters
    if f.start:
        qs = qs.filter(at__gte=_day_start(f.start))
    if f.end:
        qs = qs.filter(at__lt=_day_start(f.end + dt.timedelta(days=1)))
    if f.account:
        qs = qs.filter(actor_name=f.account)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.ip:
        qs = qs.filter(ip=f.ip) if _is_ip(f.ip) else qs.none()
    return qs.order_by("-at", "-pk")


def _is_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True

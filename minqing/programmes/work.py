"""The home page's block of progress to report (项目进度待填报), for a unit's writers.

For each running programme (started, not ended) and each of the user's own units (where they hold
a writer role) that has a planned share of a target: the targets with no progress report dated
this month yet. One grouped query; each row links to the report form on that unit.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from minqing.orgs import policy
from minqing.orgs.actors import Actor, is_unrestricted
from minqing.orgs.models import RoleAssignment
from minqing.programmes.models import ProgressReport, TargetPlan

LIMIT = 20


@dataclass(frozen=True)
class ProgressDue:
    programme_id: int
    programme_name: str
    unit_code: str
    unit_name: str
    targets: int


def progress_to_report(actor: Actor) -> list[ProgressDue] | None:
    """``None`` for an actor none of whose units has a planned share of a running programme."""
    if (
        not isinstance(actor, User)
        or is_unrestricted(actor)
        or not policy.has_role(actor, policy.UNIT_WRITERS)
    ):
        return None
    today = timezone.localdate()
    own = RoleAssignment.objects.filter(user=actor, role__in=list(policy.UNIT_WRITERS)).values("unit_id")
    reported = ProgressReport.objects.filter(
        target_id=OuterRef("target_id"), unit_id=OuterRef("unit_id"), date__gte=today.replace(day=1)
    )
    running = Q(target__programme__start_date__lte=today) & (
        Q(target__programme__end_date__isnull=True) | Q(target__programme__end_date__gte=today)
    )
    planned = TargetPlan.objects.filter(running, unit_id__in=own)
    rows = (
        planned.exclude(Exists(reported))
        .values("target__programme_id", "target__programme__name", "unit__code", "unit__name")
        .annotate(n=Count("target_id", distinct=True))
        .order_by("target__programme__name", "unit__code")[:LIMIT]
    )
    if not rows and not planned.exists():
        return None  # none of the user's units has a share of a running programme: no block
    return [
        ProgressDue(
            r["target__programme_id"], r["target__programme__name"], r["unit__code"], r["unit__name"], r["n"]
        )
        for r in rows
    ]

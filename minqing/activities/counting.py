"""The one counting selector: sessions, person-times and distinct people per activity type.

Used by the pages now and by bulletins later. Scope: activities whose organiser is in the
unit's subtree (and in the actor's scope) and whose start falls in [start, end).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from minqing.activities.models import Activity, ActivityType, Attendance
from minqing.campaigns.models import Campaign
from minqing.core.paths import prefix_q
from minqing.orgs.models import Unit
from minqing.orgs.scoping import can_access_unit, scope_q


@dataclass
class TypeCount:
    type: ActivityType
    sessions: int = 0
    person_times: int = 0  # roster rows + headcounts of activities without a roster
    people: int = 0  # distinct persons on rosters
    headcount_only: int = 0  # activities counted by headcount (no roster)

    @property
    def has_headcount_only(self) -> bool:
        return self.headcount_only > 0


def activity_counts(
    actor: Any,
    unit: Unit,
    start: dt.datetime,
    end: dt.datetime,
    *,
    campaign: Campaign | None = None,
    types: list[ActivityType] | None = None,
) -> list[TypeCount]:
    """Counts per type for ``unit``'s subtree in [start, end); ``actor=None`` is the system."""
    if actor is not None and not can_access_unit(actor, unit):
        return []
    acts = Activity.objects.filter(prefix_q(unit.path), start__gte=start, start__lt=end)
    rows = Attendance.objects.filter(prefix_q(unit.path), start__gte=start, start__lt=end)
    if actor is not None:
        acts = acts.filter(scope_q(actor))
        rows = rows.filter(scope_q(actor))
    if campaign is not None:
        acts = acts.filter(campaign=campaign)
        rows = rows.filter(activity__campaign=campaign)
    out = {t.pk: TypeCount(t) for t in (types if types is not None else ActivityType.objects.all())}
    # an activity has a roster or a headcount, never both (attendance_check_in refuses it)
    for r in acts.values("type_id").annotate(
        n=Count("id"), hc=Sum("headcount"), hco=Count("id", filter=Q(headcount__isnull=False))
    ):
        if r["type_id"] in out:
            out[r["type_id"]].sessions = r["n"]
            out[r["type_id"]].person_times += r["hc"] or 0
            out[r["type_id"]].headcount_only = r["hco"]
    for r in rows.values("type_id").annotate(n=Count("id"), p=Count("person_id", distinct=True)):
        if r["type_id"] in out:
            out[r["type_id"]].person_times += r["n"]
            out[r["type_id"]].people = r["p"]
    return list(out.values())

"""Progress reports: a unit's cumulative position on one target (and mode) as of a date.

Who: the office or unit staff of the unit or of a unit above it, for a unit in the programme's
owner subtree; ``SYSTEM`` reports anywhere. What is checked (and rejected): figures not negative
(quantities to 2 decimal places, funds in 万元 to 4), the date not in the future nor before the
programme starts, the mode one of the target's (required when the target has modes, blank when
it has none). What is only warned about (accepted, because over-fulfilment is real and the
report is the measurement): a figure above the unit's plan; the warning is returned in
``Reported.over_plan`` and shown by the pages and the upload summary.

A second report of the same unit, target, mode and date replaces the first (a correction).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.models import Unit
from minqing.programmes.models import Programme, ProgressReport, ShareBasis, Target
from minqing.programmes.rollup import PlanRow, PlanTree, own_plans, quantity_text
from minqing.programmes.services.programmes import QUANTITY_PLACES, check_amount, check_in_programme

FUNDS_PLACES = 4


@dataclass(frozen=True)
class Reported:
    report: ProgressReport
    outcome: str  # "created", "updated" or "unchanged"
    over_plan: str = ""  # a warning, when the figure exceeds the unit's plan


def can_report(actor: Actor, unit: Unit) -> bool:
    """Office or unit staff of ``unit`` or of a unit above it (``SYSTEM`` everywhere)."""
    return policy.has_role(actor, policy.UNIT_WRITERS, unit.path)


def check_report_mode(target: Target, mode: str) -> str:
    """The mode of a report: one of the target's modes; blank exactly when it has none."""
    mode = mode.strip()
    if target.modes and not mode:
        raise DomainError(
            ErrorCode.PROGRAMME_MODE_REQUIRED, target=target.name, modes="、".join(target.modes)
        )
    if not target.modes and mode:
        raise DomainError(ErrorCode.PROGRAMME_NO_MODES, value=mode, target=target.name)
    if mode and mode not in target.modes:
        raise DomainError(
            ErrorCode.PROGRAMME_UNKNOWN_MODE, value=mode, target=target.name, modes="、".join(target.modes)
        )
    return mode


def check_report_date(programme: Programme, date: dt.date) -> dt.date:
    if date > timezone.localdate():
        raise DomainError(ErrorCode.PROGRAMME_FUTURE_DATE, value=date.isoformat())
    if date < programme.start_date:
        raise DomainError(
            ErrorCode.PROGRAMME_BEFORE_START, value=date.isoformat(), start=programme.start_date.isoformat()
        )
    return date


def plan_tree(target: Target, mode: str = "") -> PlanTree:
    """The plans of ``target`` by unit (of ``mode`` when given, else all modes together)."""
    rows = [PlanRow(p, m, q) for p, m, q in target.plans.values_list("path", "mode", "quantity")]
    if mode:
        return PlanTree(own_plans(rows, mode=mode))
    return PlanTree(
        own_plans(rows, mode=None, owner_path=target.programme.path, target_plan=target.plan_quantity)
    )


def over_plan_warning(
    target: Target,
    unit: Unit,
    mode: str,
    in_progress: Decimal,
    completed: Decimal,
    trees: dict[tuple[int, str], PlanTree] | None = None,
) -> str:
    """A warning when the report's figure (by the target's share basis) exceeds ``unit``'s plan."""
    counted = completed if target.share_basis == ShareBasis.COMPLETED else in_progress + completed
    trees = {} if trees is None else trees
    key = (target.pk, mode)
    if key not in trees:
        trees[key] = plan_tree(target, mode)
    plan = trees[key].plan_of(unit.path)
    if plan is None or counted <= plan:
        return ""
    return gettext("{unit}“{target}”{mode}{what} {value} 超过计划 {plan}").format(
        unit=unit.name,
        target=target.name,
        mode=f"({mode})" if mode else "",
        what=target.get_share_basis_display(),
        value=quantity_text(counted),
        plan=quantity_text(plan),
    )


def save_report(
    *,
    actor: Actor,
    target: Target,
    unit: Unit,
    date: dt.date,
    in_progress: Decimal,
    completed: Decimal,
    funds: Decimal,
    mode: str,
) -> tuple[ProgressReport, str]:
    """Write one checked report (insert, replace or leave unchanged); no permission check, no audit."""
    user = user_of(actor)
    report = (
        ProgressReport.objects.select_for_update()
        .filter(target=target, unit=unit, mode=mode, date=date)
        .first()
    )
    if report is None:
        report = ProgressReport.objects.create(
            target=target,
            unit=unit,
            path=unit.path,
            mode=mode,
            date=date,
            in_progress=in_progress,
            completed=completed,
            funds=funds,
            reported_by=user,
        )
        return report, "created"
    if (report.in_progress, report.completed, report.funds) == (in_progress, completed, funds):
        return report, "unchanged"
    report.in_progress, report.completed, report.funds, report.reported_by = (
        in_progress,
        completed,
        funds,
        user,
    )
    report.save(update_fields=["in_progress", "completed", "funds", "reported_by", "reported_at"])
    return report, "updated"


@transaction.atomic
def progress_report(
    *,
    actor: Actor,
    target: Target,
    unit: Unit,
    date: dt.date,
    in_progress: Decimal,
    completed: Decimal,
    funds: Decimal,
    mode: str = "",
) -> Reported:
    """Record ``unit``'s cumulative position on ``target`` (and ``mode``) as of ``date``."""
    if not can_report(actor, unit):
        raise PermissionDeniedError()
    programme = target.programme
    check_in_programme(programme, unit)
    mode = check_report_mode(target, mode)
    check_report_date(programme, date)
    ip = check_amount(in_progress, QUANTITY_PLACES)
    done = check_amount(completed, QUANTITY_PLACES)
    money = check_amount(funds, FUNDS_PLACES)
    report, outcome = save_report(
        actor=actor,
        target=target,
        unit=unit,
        date=date,
        in_progress=ip,
        completed=done,
        funds=money,
        mode=mode,
    )
    if outcome != "unchanged":
        audit(
            actor=actor,
            action=AuditEvent.Action.CREATE if outcome == "created" else AuditEvent.Action.UPDATE,
            obj=report,
            detail=f"{target.name} {unit.code} {mode} {date}: {ip} / {done} / {money}",
        )
    return Reported(report, outcome, over_plan_warning(target, unit, mode, ip, done))

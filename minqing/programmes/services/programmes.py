"""Writes for programmes, targets and plans: the office of the programme's owner unit manages them.

``SYSTEM`` (demo, command line) manages every programme. Plans are kept consistent: below every planned
unit the plans of the top-most planned units add up to at most its plan (the owner unit's plan is
the target's plan quantity), and a unit's plans by mode add up to at most its plan; a write that
would break this is rejected whole (``PROGRAMME_PLAN_OVER``).
"""

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from minqing.campaigns.models import Campaign
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.programmes.models import Programme, ProgressReport, ShareBasis, Target, TargetPlan
from minqing.programmes.rollup import ZERO, PlanRow, PlanTree, own_plans, quantity_text

KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
MODE_MAX = 20
QUANTITY_PLACES = 2


def can_manage(actor: Actor, programme: Programme) -> bool:
    """Office of the owner unit or of a unit above it (``SYSTEM`` everywhere)."""
    return policy.has_role(actor, policy.OFFICE, programme.owner.path)


def check_manager(actor: Actor, programme: Programme) -> None:
    if not can_manage(actor, programme):
        raise PermissionDeniedError()


def check_in_programme(programme: Programme, unit: Unit) -> None:
    if not unit.path.startswith(programme.path):
        raise DomainError(ErrorCode.PROGRAMME_UNIT_OUTSIDE, value=unit.name, owner=programme.owner.name)


def check_amount(value: Decimal, places: int) -> Decimal:
    """A non-negative decimal with at most ``places`` decimal places."""
    d = Decimal(value)
    if not d.is_finite() or d < 0 or d != round(d, places):
        raise DomainError(ErrorCode.PROGRAMME_BAD_NUMBER, value=str(value), places=places)
    return d


def clean_modes(modes: Iterable[str]) -> list[str]:
    out: list[str] = []
    for m in modes:
        m = m.strip()
        if not m or m in out or len(m) > MODE_MAX:
            raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field=gettext("方式"), value=m or "—")
        out.append(m)
    return out


def check_mode(target: Target, mode: str) -> str:
    """``mode`` for a plan: blank (all modes) or one of the target's modes."""
    mode = mode.strip()
    if mode and mode not in target.modes:
        if not target.modes:
            raise DomainError(ErrorCode.PROGRAMME_NO_MODES, value=mode, target=target.name)
        raise DomainError(
            ErrorCode.PROGRAMME_UNKNOWN_MODE, value=mode, target=target.name, modes="、".join(target.modes)
        )
    return mode


@transaction.atomic
def programme_create(
    *,
    actor: Actor,
    name: str,
    owner: Unit,
    start_date: dt.date,
    end_date: dt.date | None = None,
    campaign: Campaign | None = None,
) -> Programme:
    """A new programme of ``owner``, created by the office of ``owner`` (or above)."""
    if not policy.has_role(actor, policy.OFFICE, owner.path):
        raise PermissionDeniedError()
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field=gettext("项目名称"))
    if end_date is not None and end_date < start_date:
        raise DomainError(ErrorCode.BAD_DATE_RANGE)
    if Programme.objects.filter(name=name[:100]).exists():
        raise DomainError(ErrorCode.PROGRAMME_NAME_TAKEN, value=name)
    programme = Programme.objects.create(
        name=name[:100],
        owner=owner,
        path=owner.path,
        campaign=campaign,
        start_date=start_date,
        end_date=end_date,
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=programme, detail=programme.name)
    return programme


def _check_target_fields(programme: Programme, key: str, name: str, measure: str, basis: str) -> None:
    if not KEY_RE.fullmatch(key):
        raise DomainError(ErrorCode.PROGRAMME_BAD_TARGET_KEY, value=key)
    if not name:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field=gettext("指标名称"))
    if not measure or len(measure) > 10:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field=gettext("计量单位"))
    if basis not in ShareBasis.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field=gettext("占计划口径"), value=basis)


@transaction.atomic
def target_create(
    *,
    actor: Actor,
    programme: Programme,
    key: str,
    name: str,
    measure: str,
    plan_quantity: Decimal,
    share_basis: str = ShareBasis.STARTED,
    modes: Sequence[str] = (),
    position: int | None = None,
) -> Target:
    check_manager(actor, programme)
    key, name, measure = key.strip(), name.strip()[:100], measure.strip()
    _check_target_fields(programme, key, name, measure, share_basis)
    plan = check_amount(plan_quantity, QUANTITY_PLACES)
    if programme.targets.filter(key=key).exists():
        raise DomainError(ErrorCode.PROGRAMME_TARGET_KEY_TAKEN, value=key)
    if programme.targets.filter(name=name).exists():
        raise DomainError(ErrorCode.PROGRAMME_TARGET_NAME_TAKEN, value=name)
    if position is None:
        position = programme.targets.count() + 1
    target = Target.objects.create(
        programme=programme,
        key=key,
        name=name,
        measure=measure,
        plan_quantity=plan,
        share_basis=share_basis,
        modes=clean_modes(modes),
        position=position,
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=target, detail=f"{programme.name}: {name}")
    return target


@transaction.atomic
def target_update(
    *,
    actor: Actor,
    target: Target,
    name: str | None = None,
    measure: str | None = None,
    plan_quantity: Decimal | None = None,
    share_basis: str | None = None,
    modes: Sequence[str] | None = None,
    position: int | None = None,
) -> Target:
    """Change what is given; the key (the metric id) never changes. A mode with plans or reports
    cannot be removed; a lower plan may not fall below the plans of the units under it."""
    target = Target.objects.select_for_update().select_related("programme__owner").get(pk=target.pk)
    programme = target.programme
    check_manager(actor, programme)
    new_name = target.name if name is None else name.strip()[:100]
    new_measure = target.measure if measure is None else measure.strip()
    new_basis = target.share_basis if share_basis is None else share_basis
    _check_target_fields(programme, target.key, new_name, new_measure, new_basis)
    if new_name != target.name and programme.targets.filter(name=new_name).exclude(pk=target.pk).exists():
        raise DomainError(ErrorCode.PROGRAMME_TARGET_NAME_TAKEN, value=new_name)
    if modes is not None:
        new_modes = clean_modes(modes)
        for gone in set(target.modes) - set(new_modes):
            used = (
                TargetPlan.objects.filter(target=target, mode=gone).exists()
                or ProgressReport.objects.filter(target=target, mode=gone).exists()
            )
            if used:
                raise DomainError(ErrorCode.PROGRAMME_MODE_IN_USE, value=gone)
        if new_modes and not target.modes and ProgressReport.objects.filter(target=target).exists():
            # reports without a mode exist: a target cannot start needing one
            raise DomainError(ErrorCode.PROGRAMME_MODES_AFTER_REPORTS)
        target.modes = new_modes
    target.name, target.measure, target.share_basis = new_name, new_measure, new_basis
    if plan_quantity is not None:
        target.plan_quantity = check_amount(plan_quantity, QUANTITY_PLACES)
    if position is not None:
        target.position = position
    target.save()
    check_plans(target)
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=target, detail=f"{programme.name}: {target.name}")
    return target


def check_plans(target: Target) -> None:
    """Raise ``PROGRAMME_PLAN_OVER`` where plans below a unit add up to more than its plan."""
    programme = target.programme
    rows = [PlanRow(p, m, q) for p, m, q in target.plans.values_list("path", "mode", "quantity")]
    trees: list[tuple[str, dict[str, Decimal]]] = [
        ("", own_plans(rows, mode=None, owner_path=programme.path, target_plan=target.plan_quantity))
    ]
    trees += [(m, own_plans(rows, mode=m)) for m in target.modes]
    for mode, own in trees:
        for path, below, plan in PlanTree(own).overruns():
            raise _overrun(path, mode, below, plan)
    # at one unit, the plans by mode may not exceed the unit's plan (the owner's: the target's)
    whole = {r.path: r.quantity for r in rows if not r.mode}
    whole[programme.path] = target.plan_quantity
    moded: dict[str, Decimal] = {}
    for r in rows:
        if r.mode:
            moded[r.path] = moded.get(r.path, ZERO) + r.quantity
    for path, total in moded.items():
        limit = whole.get(path)
        if limit is not None and total > limit:
            unit = Unit.objects.filter(path=path).first()
            raise DomainError(
                ErrorCode.PROGRAMME_MODE_PLANS_OVER,
                unit=unit.name if unit else path,
                moded=quantity_text(total),
                plan=quantity_text(limit),
            )


def _overrun(path: str, mode: str, below: Decimal, plan: Decimal) -> DomainError:
    unit = Unit.objects.filter(path=path).first()
    return DomainError(
        ErrorCode.PROGRAMME_PLAN_OVER,
        unit=unit.name if unit else path,
        mode=f"({mode})" if mode else "",
        children=quantity_text(below),
        plan=quantity_text(plan),
    )


@transaction.atomic
def plan_set(
    *, actor: Actor, target: Target, unit: Unit, quantity: Decimal | None, mode: str = ""
) -> TargetPlan | None:
    """Set (or, with ``quantity=None``, clear) ``unit``'s plan of ``target`` (for ``mode``, or all
    modes when blank). The owner unit's plan for all modes is the target's plan quantity."""
    target = Target.objects.select_for_update().select_related("programme__owner").get(pk=target.pk)
    programme = target.programme
    check_manager(actor, programme)
    check_in_programme(programme, unit)
    mode = check_mode(target, mode)
    if unit.pk == programme.owner_id and not mode:
        if quantity is None:
            raise DomainError(ErrorCode.TRANSITION_MISSING, field=gettext("计划数"))
        target_update(actor=actor, target=target, plan_quantity=quantity)
        return None
    existing = TargetPlan.objects.filter(target=target, unit=unit, mode=mode).first()
    if quantity is None:
        if existing is not None:
            existing.delete()
            audit(actor=actor, action=AuditEvent.Action.DELETE, obj=target, detail=f"plan {unit.code} {mode}")
        return None
    amount = check_amount(quantity, QUANTITY_PLACES)
    if existing is None:
        try:
            with transaction.atomic():
                plan = TargetPlan.objects.create(
                    target=target, unit=unit, path=unit.path, mode=mode, quantity=amount
                )
        except IntegrityError as err:  # a concurrent write of the same plan
            raise DomainError(ErrorCode.TRANSITION_STALE) from err
    else:
        plan = existing
        plan.quantity = amount
        plan.save(update_fields=["quantity"])
    check_plans(target)
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE if existing is None else AuditEvent.Action.UPDATE,
        obj=plan,
        detail=f"{target.name} {unit.code} {mode} {amount}",
    )
    return plan

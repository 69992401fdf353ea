"""Writes for work plans: a unit files its plan for a campaign; the office above reviews it.

States: 已报送 (filed) → 审核通过 (passed) or 退回修改 (returned, with comments); a returned
plan is filed again (the same row, back to filed). A unit has at most one open plan (filed or
passed) per campaign.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from minqing.activities.models import WorkPlan, WorkPlanState
from minqing.activities.services._common import check_writer
from minqing.campaigns.models import Campaign
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.models import Unit
from minqing.orgs.scoping import actor_prefixes


def can_review(actor: Actor, plan: WorkPlan) -> bool:
    """Office of a unit strictly above the plan's unit (a unit does not pass its own plan)."""
    prefixes = actor_prefixes(actor, policy.OFFICE)
    if prefixes is None:
        return True
    return any(plan.path.startswith(p) and plan.path != p for p in prefixes)


def _state_error(plan: WorkPlan, action: str) -> DomainError:
    return DomainError(ErrorCode.WORKPLAN_STATE, state=plan.get_state_display(), action=action)


@transaction.atomic
def workplan_file(
    *,
    actor: Actor,
    unit: Unit,
    campaign: Campaign,
    title: str,
    plan: WorkPlan | None = None,
    at: dt.datetime | None = None,
) -> WorkPlan:
    """File ``unit``'s plan for ``campaign``; with ``plan`` (returned) file it again."""
    check_writer(actor, unit.path)
    title = title.strip()
    if not title:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="title")
    at = at or timezone.now()
    if plan is not None:
        plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.unit_id != unit.pk or plan.campaign_id != campaign.pk:
            raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="plan", value=str(plan.pk))
        if plan.state != WorkPlanState.RETURNED:
            raise _state_error(plan, gettext("重新报送"))
        plan.title, plan.filed_at, plan.state = title[:200], at, WorkPlanState.FILED
        plan.save(update_fields=["title", "filed_at", "state"])
        audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=plan, detail="refiled")
        return plan
    open_plan = (
        WorkPlan.objects.select_for_update()
        .filter(unit=unit, campaign=campaign, state__in=(WorkPlanState.FILED, WorkPlanState.PASSED))
        .first()
    )
    if open_plan is not None:
        raise DomainError(ErrorCode.WORKPLAN_OPEN_EXISTS, state=open_plan.get_state_display())
    plan = WorkPlan.objects.create(
        unit=unit, path=unit.path, campaign=campaign, title=title[:200], filed_at=at
    )
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=plan, detail=plan.title)
    return plan


@transaction.atomic
def workplan_review(
    *, actor: Actor, plan: WorkPlan, passed: bool, comments: str = "", at: dt.datetime | None = None
) -> WorkPlan:
    """Pass the plan, or return it with comments (required); only a filed plan is reviewed."""
    if not can_review(actor, plan):
        raise PermissionDeniedError()
    plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != WorkPlanState.FILED:
        raise _state_error(plan, gettext("审核"))
    comments = comments.strip()
    if not passed and not comments:
        raise DomainError(ErrorCode.WORKPLAN_COMMENTS_REQUIRED)
    plan.state = WorkPlanState.PASSED if passed else WorkPlanState.RETURNED
    plan.comments = comments
    plan.reviewed_by = user_of(actor)
    plan.reviewed_at = at or timezone.now()
    plan.save(update_fields=["state", "comments", "reviewed_by", "reviewed_at"])
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=plan, detail=f"review {plan.state}")
    return plan

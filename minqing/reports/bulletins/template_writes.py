"""Writes of bulletin templates: a unit's own copy (its office) and the shipped default (the
system administrator).

A unit without its own template inherits the nearest one above it (``services.template_for``);
"copy to my unit" makes that text the unit's own, to edit from there; "reset" drops the unit's
copy so it inherits again. Nobody changes another unit's template: ``permissions.can_edit_template``.
"""

from django.db import transaction

from minqing.campaigns.models import CampaignKind
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.models import Unit
from minqing.reports.bulletins import permissions
from minqing.reports.bulletins.services import template_errors, template_for
from minqing.reports.models import BulletinTemplate, Grouping


def _owner(unit: Unit | None) -> str:
    return unit.code if unit is not None else "default"


def _check(actor: Actor, unit: Unit | None, kind: str) -> None:
    if not permissions.can_edit_template(actor, unit):
        raise PermissionDeniedError()
    if kind not in CampaignKind.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="kind", value=kind)


@transaction.atomic
def template_save(
    *,
    actor: Actor,
    unit: Unit | None,
    kind: str,
    title: str,
    body: str,
    grouping: str = Grouping.NONE,
    omit_zero: bool = False,
) -> BulletinTemplate:
    """Create or change ``unit``'s own template of campaign kind ``kind`` (``unit=None``: the
    shipped default); every placeholder must be valid. ``grouping`` and ``omit_zero``: how its
    numbers are grouped and whether all-zero sentences are left out (``templating.render``)."""
    _check(actor, unit, kind)
    title, body = title.strip(), body.strip()
    if not title:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="title")
    if not body:
        raise DomainError(ErrorCode.TRANSITION_MISSING, field="body")
    if grouping not in Grouping.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="grouping", value=grouping)
    for err in template_errors(title, body):
        raise err
    template, created = BulletinTemplate.objects.update_or_create(
        unit=unit,
        kind=kind,
        defaults={
            "title": title[:200],
            "body": body,
            "grouping": grouping,
            "omit_zero": omit_zero,
            "updated_by": user_of(actor),
        },
    )
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=template,
        detail=f"bulletin template {kind} {_owner(unit)}",
    )
    return template


@transaction.atomic
def template_copy(*, actor: Actor, unit: Unit, kind: str) -> BulletinTemplate:
    """Copy to my unit: the template ``unit`` inherits becomes its own, word for word (its own
    copy, when it has one already, is returned unchanged)."""
    _check(actor, unit, kind)
    own = BulletinTemplate.objects.filter(unit=unit, kind=kind).first()
    if own is not None:
        return own
    source = template_for(kind, unit)
    return template_save(
        actor=actor,
        unit=unit,
        kind=kind,
        title=source.title,
        body=source.body,
        grouping=source.grouping,
        omit_zero=source.omit_zero,
    )


@transaction.atomic
def template_reset(*, actor: Actor, unit: Unit, kind: str) -> bool:
    """Drop ``unit``'s own template of ``kind``: it inherits again. False when it had none."""
    _check(actor, unit, kind)
    own = BulletinTemplate.objects.filter(unit=unit, kind=kind).first()
    if own is None:
        return False
    audit(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=own,
        detail=f"bulletin template {kind} {_owner(unit)}",
    )
    own.delete()
    return True

"""Reads for the bulletin pages, scoped to the actor: out of scope and missing are both 404."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404

from minqing.campaigns.models import CampaignKind
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.pages import paginate, parse_date
from minqing.core.paths import prefix_q
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.scoping import root_units, scoped
from minqing.orgs.selectors import unit_by_code
from minqing.reports.bulletins.services import templates_in_reach
from minqing.reports.models import Bulletin, BulletinTemplate

PICKER_KINDS = (UnitKind.PROVINCE, UnitKind.PREFECTURE, UnitKind.COUNTY)
PICKER_LIMIT = 300


def as_of_date(value: Any) -> dt.date:
    """A bulletin's as-of date, typed; an unreadable one is a ``BULLETIN_BAD_DATE`` error."""
    day = parse_date(value)
    if day is None:
        raise DomainError(ErrorCode.BULLETIN_BAD_DATE, value=str(value or "").strip())
    return day


def picker_units(actor: Actor) -> list[Unit]:
    """The actor's top units and the county-level or higher units under them, and the townships
    too when the whole list stays short (other units are reached by typing their code)."""
    units = {u.pk: u for u in root_units(actor)[:PICKER_LIMIT]}
    kinds = list(PICKER_KINDS)
    in_scope = scoped(Unit.objects.all(), actor)
    if in_scope.filter(kind__in=[*kinds, UnitKind.TOWNSHIP]).count() <= PICKER_LIMIT:
        kinds.append(UnitKind.TOWNSHIP)
    for u in in_scope.filter(kind__in=kinds).order_by("path")[:PICKER_LIMIT]:
        units.setdefault(u.pk, u)
    return sorted(units.values(), key=lambda u: u.path)


@dataclass(frozen=True)
class PublishedFilters:
    unit: str = ""  # unit code: bulletins of its subtree
    campaign: str = ""  # campaign pk
    changed: str = ""  # "yes": only those whose last check found differences

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "PublishedFilters":
        def text(name: str, n: int) -> str:
            return str(data.get(name) or "").strip()[:n]

        changed = text("changed", 3)
        return cls(
            unit=text("unit", 32), campaign=text("campaign", 12), changed="yes" if changed == "yes" else ""
        )

    def as_query(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (("unit", self.unit), ("campaign", self.campaign), ("changed", self.changed))
            if v
        }


def published_queryset(actor: Actor, filters: PublishedFilters | None = None) -> QuerySet[Bulletin]:
    qs = scoped(Bulletin.objects.select_related("unit", "campaign", "published_by"), actor)
    f = filters or PublishedFilters()
    if f.unit:
        unit = unit_by_code(actor, f.unit)
        if unit is None:
            return qs.none()
        qs = qs.filter(prefix_q(unit.path))
    if f.campaign.isdigit():
        qs = qs.filter(campaign_id=int(f.campaign))
    if f.changed:
        qs = qs.exclude(changes=[])
    return qs


def published_list(actor: Actor, filters: PublishedFilters, page: Any = 1) -> Page[Bulletin]:
    return paginate(published_queryset(actor, filters), page)


def published_get(actor: Actor, pk: int) -> Bulletin:
    b = published_queryset(actor).filter(pk=pk).first()
    if b is None:
        raise Http404
    return b


@dataclass(frozen=True)
class TemplateRow:
    """One campaign kind on the templates page: the template ``unit``'s bulletins use."""

    kind: str
    label: str
    template: BulletinTemplate | None  # None: no template at all (not even a default)
    own: bool  # it is the unit's own (else inherited from a unit above, or the default)


def template_rows(unit: Unit | None) -> list[TemplateRow]:
    """Every campaign kind with the template a bulletin of ``unit`` uses (``unit=None``: the
    shipped defaults)."""
    reach = templates_in_reach(unit)
    rows = []
    for kind, label in CampaignKind.choices:
        t = reach.get(kind)
        own = t is not None and unit is not None and t.unit_id == unit.pk
        rows.append(TemplateRow(kind=kind, label=str(label), template=t, own=own))
    return rows


def office_units(actor: Actor) -> list[Unit]:
    """The units whose own templates the actor edits (its office held on exactly that unit)."""
    if not isinstance(actor, User) or not actor.is_active:
        return []
    return list(
        Unit.objects.filter(
            role_assignments__user=actor, role_assignments__role__in=list(policy.TEMPLATE_EDITORS)
        )
        .distinct()
        .order_by("path")
    )


def templates_unit(actor: Actor, code: str, own: list[Unit]) -> Unit | None:
    """The unit the templates page shows: the one asked for (in the actor's scope), else the
    first whose templates the actor edits (``own``: ``office_units``), else none (the defaults)."""
    unit = unit_by_code(actor, code) if code.strip() else None
    if unit is not None:
        return unit  # a bad one: the view shows the inline error and the default choice
    return own[0] if own else None

"""Bulletins: generate from the records, publish (freeze), check a published one; which template a unit uses.

Every figure comes from the metrics registry (``compute``) for the unit's subtree, the campaign
and the as-of date; the template only says where each goes. The metrics are always evaluated as
the system once the actor's right to the unit is checked, so the page, the
command line and the frozen copy print the same numbers.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import override

from minqing.campaigns.models import Campaign, CampaignKind
from minqing.campaigns.services import note_lines
from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM, Actor, user_of
from minqing.orgs.models import Unit
from minqing.reports.bulletins import permissions
from minqing.reports.bulletins.document import BulletinDoc, FigureRow
from minqing.reports.bulletins.formatting import format_date, full_width, json_number, same_value
from minqing.reports.bulletins.templating import Figure, metric_ids, render, validate
from minqing.reports.bulletins.topics import hot_topics_sentence
from minqing.reports.bulletins.wording import level_word, whole_word
from minqing.reports.metrics.registry import METRICS, MetricContext, compute, load_all
from minqing.reports.models import Bulletin, BulletinTemplate
from minqing.webhooks.sources import bulletin_published_emit


def registered_ids() -> list[str]:
    load_all()
    return list(METRICS)


def templates_in_reach(unit: Unit | None, kinds: list[str] | None = None) -> dict[str, BulletinTemplate]:
    """Per campaign kind, the template a bulletin of ``unit`` uses: the nearest up its ancestry
    (its own, its parent's, ... ) else the shipped default (``unit=None``: the defaults only)."""
    q = Q(unit__isnull=True)
    if unit is not None:
        q |= Q(unit__path__in=unit.ancestry_paths)
    qs = BulletinTemplate.objects.filter(q).select_related("unit", "updated_by")
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    best: dict[str, BulletinTemplate] = {}
    for t in qs:
        depth = len(t.unit.path) if t.unit is not None else 0
        held = best.get(t.kind)
        if held is None or depth > (len(held.unit.path) if held.unit is not None else 0):
            best[t.kind] = t
    return best


def template_for(kind: str, unit: Unit | None) -> BulletinTemplate:
    """The template of campaign kind ``kind`` a bulletin of ``unit`` uses (``templates_in_reach``)."""
    template = templates_in_reach(unit, [kind]).get(kind)
    if template is None:
        label = CampaignKind(kind).label if kind in CampaignKind.values else kind
        raise DomainError(ErrorCode.BULLETIN_NO_TEMPLATE, kind=str(label))
    return template


def template_errors(title: str, body: str) -> list[DomainError]:
    """Every problem of a template: syntax, then placeholders naming no registered metric."""
    known = registered_ids()
    return validate(title, known) + validate(body, known)


def _figure_rows(values: dict[str, Any]) -> list[FigureRow]:
    rows = []
    with override("zh-hans"):
        for mid, mv in values.items():
            m = mv.metric
            rows.append(
                FigureRow(
                    id=mid,
                    label=str(m.label),
                    word=str(m.word),
                    kind=m.kind,
                    value=json_number(mv.value, m.kind),
                    definition=str(m.definition),
                )
            )
    return rows


def notes_paragraph(lines: list[str]) -> str | None:
    """The campaign's bulletin notes as one closing paragraph in the 附注 form of GB/T 9704
    (in full-width parentheses): ``（说明：…）``, numbered when there are several."""
    items = [line.strip().rstrip("。;；") for line in lines if line.strip()]
    if not items:
        return None
    if len(items) == 1:
        return f"（说明：{items[0]}。）"
    return "（说明：" + "；".join(f"{i}.{item}" for i, item in enumerate(items, 1)) + "。）"


class _Facts(dict[str, str]):
    """The template's facts; ``hot_topics`` (a clustering of the period's messages) is worked out
    only when the template prints it."""

    def __init__(self, unit: Unit, as_of: dt.date, plain: dict[str, str]) -> None:
        super().__init__(plain)
        self.unit, self.as_of = unit, as_of

    def __missing__(self, key: str) -> str:
        if key != "hot_topics":
            raise KeyError(key)
        self[key] = hot_topics_sentence(self.unit, self.as_of)
        return self[key]


def _render_doc(
    *,
    unit: Unit,
    as_of: dt.date,
    campaign: Campaign,
    template: BulletinTemplate,
    figures: list[FigureRow],
) -> tuple[str, list[str]]:
    """The title and paragraphs in the Chinese document conventions: the area named by the unit
    (全旗, 全县 ...), numbers grouped as the template chooses, all-zero sentences left out when it
    says so, full-width punctuation."""
    facts = _Facts(
        unit,
        as_of,
        {
            "unit": unit.name,
            "as_of": format_date(as_of, "zh-hans"),
            "campaign": campaign.name,
            "level": level_word(unit),
            "whole": whole_word(unit),
        },
    )
    by_id = {f.id: Figure(f.value, f.kind, f.word) for f in figures}
    grouping = template.grouping
    rendered_title = full_width(render(template.title, by_id, facts, grouping=grouping).strip())
    body = render(template.body, by_id, facts, grouping=grouping, omit_zero=template.omit_zero)
    paragraphs = [full_width(line.strip()) for line in body.splitlines() if line.strip()]
    notes = notes_paragraph(note_lines(campaign))
    return rendered_title, paragraphs + ([full_width(notes)] if notes else [])


def bulletin_generate(
    *,
    unit: Unit,
    as_of: dt.date,
    campaign: Campaign,
    template: BulletinTemplate | None = None,
    actor: Actor,
) -> BulletinDoc:
    """The bulletin of ``unit``'s subtree for ``campaign`` as of ``as_of``, from the records.

    ``figures`` holds every registered metric (the json format lists them all); the text prints
    those its template names. ``SYSTEM`` generates for the command line."""
    if not permissions.can_generate(actor, unit):
        raise PermissionDeniedError()
    template = template or template_for(campaign.kind, unit)
    known = registered_ids()
    for err in template_errors(template.title, template.body):
        raise err
    printed = metric_ids([template.title, template.body])
    ctx = MetricContext(unit=unit, as_of=as_of, campaign=campaign, actor=SYSTEM)
    figures = _figure_rows(compute(ctx, known))
    title, paragraphs = _render_doc(
        unit=unit, as_of=as_of, campaign=campaign, template=template, figures=figures
    )
    return BulletinDoc(
        unit_name=unit.name,
        unit_code=unit.code,
        as_of=as_of,
        campaign_name=campaign.name,
        campaign_kind=campaign.kind,
        title=title,
        paragraphs=paragraphs,
        figures=figures,
        printed=printed,
        context=ctx,
    )


@transaction.atomic
def bulletin_publish(
    *,
    actor: Actor,
    unit: Unit,
    as_of: dt.date,
    campaign: Campaign,
    template: BulletinTemplate | None = None,
    at: dt.datetime | None = None,
) -> Bulletin:
    """Generate and freeze: the text, every figure, the as-of date and the template's words."""
    if not permissions.can_publish(actor, unit):
        raise PermissionDeniedError()
    at = at or timezone.now()
    if as_of > timezone.localdate(at):
        raise DomainError(ErrorCode.BULLETIN_FUTURE_DATE, value=as_of.isoformat())
    template = template or template_for(campaign.kind, unit)
    doc = bulletin_generate(unit=unit, as_of=as_of, campaign=campaign, template=template, actor=actor)
    # one publisher at a time per campaign, so issue numbers run 1, 2, 3 ... without a gap
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    last = Bulletin.objects.filter(unit=unit, campaign=campaign).aggregate(n=Max("number"))["n"]
    figures = doc.figures_json()
    for mid in doc.printed:
        figures[mid]["printed"] = True
    bulletin = Bulletin.objects.create(
        unit=unit,
        path=unit.path,
        campaign=campaign,
        number=(last or 0) + 1,
        as_of=as_of,
        template=template,
        template_title=template.title,
        template_body=template.body,
        title=doc.title[:300],
        text=doc.text,
        figures=figures,
        published_at=at,
        published_by=user_of(actor),
    )
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=bulletin,
        detail=f"publish {unit.code} {campaign.name} as of {as_of.isoformat()} #{bulletin.number}",
    )
    bulletin_published_emit(bulletin)
    return bulletin


def published_doc(bulletin: Bulletin) -> BulletinDoc:
    """A published bulletin as it was frozen (nothing recomputed)."""
    figures = [FigureRow.from_json(mid, data) for mid, data in (bulletin.figures or {}).items()]
    return BulletinDoc(
        unit_name=bulletin.unit.name,
        unit_code=bulletin.unit.code,
        as_of=bulletin.as_of,
        campaign_name=bulletin.campaign.name,
        campaign_kind=bulletin.campaign.kind,
        title=bulletin.title,
        paragraphs=[p for p in bulletin.text.splitlines() if p.strip()],
        figures=figures,
        printed=[mid for mid, data in (bulletin.figures or {}).items() if data.get("printed")],
        number=bulletin.number,
        published_at=bulletin.published_at,
    )


@dataclass(frozen=True)
class FigureChange:
    id: str
    label: str
    published: int | float | None
    now: int | float | None  # None: the metric is no longer defined
    printed: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "published": self.published,
            "now": self.now,
            "printed": self.printed,
        }


def bulletin_check(bulletin: Bulletin) -> list[FigureChange]:
    """Recount every figure of a published bulletin; the ones whose value differs now.

    A record dated after the as-of date changes nothing; a back-dated one (an activity entered
    late, a problem imported with an old registration date) shows up here."""
    stored: dict[str, dict[str, Any]] = bulletin.figures or {}
    known = set(registered_ids())
    ids = [mid for mid in stored if mid in known]
    ctx = MetricContext(unit=bulletin.unit, as_of=bulletin.as_of, campaign=bulletin.campaign, actor=SYSTEM)
    now = {r.id: r for r in _figure_rows(compute(ctx, ids))}
    changes = []
    for mid, data in stored.items():
        old = data.get("value")
        row = now.get(mid)
        new = row.value if row is not None else None
        if row is None or not same_value(old, new):
            changes.append(
                FigureChange(
                    id=mid,
                    label=str(data.get("label", "")),
                    published=old,
                    now=new,
                    printed=bool(data.get("printed")),
                )
            )
    return changes


@transaction.atomic
def bulletin_check_record(*, actor: Actor, bulletin: Bulletin, at: dt.datetime | None = None) -> Bulletin:
    """Run ``bulletin_check`` and keep its result on the bulletin (the list shows the warning)."""
    if not permissions.can_see_path(actor, bulletin.path):
        raise PermissionDeniedError()
    changes = bulletin_check(bulletin)
    bulletin.checked_at = at or timezone.now()
    bulletin.changes = [c.as_json() for c in changes]
    bulletin.save(update_fields=["checked_at", "changes"])
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=bulletin, detail=f"check: {len(changes)} changed")
    return bulletin

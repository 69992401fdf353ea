"""Reads of the Open311 endpoints: jurisdictions, services and their definitions, requests and
their updates. A caller without a key reads what the published list shows (problems staff
checked for it, not merged duplicates, their public events with only the notes ticked 公开, the
public title for a description); a key with the
``open311`` scope reads the problems of its holder's subtree (``ledger.access``). Nobody reads
a reporter here: no answer names one."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from minqing.core.paths import prefix_q
from minqing.core.short_cache import ShortCache
from minqing.ledger.access import scoped_problems
from minqing.ledger.enums import OPEN_STATES, Action, State
from minqing.ledger.models import Category, Feedback, Problem, ProblemEvent
from minqing.open311.formats import Open311Error, w3c
from minqing.open311.models import ExternalUpdate, ServiceAttribute, ServiceOffer, ServiceRequest
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit

DEFAULT_DAYS = 90
MAX_RESULTS = 1000


# --- jurisdictions and services ----------------------------------------------------------------


# the jurisdictions, the services they offer and their attributes, read by every POST: kept by
# each worker for MINQING_CATALOGUE_CACHE_SECONDS (emptied by a write of them in the process:
# OpenThreeOneOneConfig.ready)
CATALOGUE = ShortCache("open311", lambda: float(settings.MINQING_CATALOGUE_CACHE_SECONDS))


def jurisdiction(code: str | None) -> Unit:
    """The unit a ``jurisdiction_id`` names (any unit code). Missing: the configured default
    (``MINQING_OPEN311_JURISDICTION``), or the only unit of a one-unit server; else 400. A code
    that names no unit: 404."""
    code = (code or "").strip()
    if not code:
        code = str(getattr(settings, "MINQING_OPEN311_JURISDICTION", "") or "")
        if not code:
            units = list(Unit.objects.all()[:2])
            if len(units) == 1:
                return units[0]
            raise Open311Error(400, _("缺少 jurisdiction_id:本服务器服务多个辖区(单位代码)"))
    unit = CATALOGUE.get(("unit", code), lambda: Unit.objects.filter(code=code).first())
    if unit is None:
        raise Open311Error(404, _("找不到辖区 jurisdiction_id={code}").format(code=code))
    return unit


def _nearest_offers(unit: Unit) -> str | None:
    """The path of the nearest unit on ``unit``'s path (itself first) that has offers."""
    paths = ServiceOffer.objects.filter(unit__path__in=unit.ancestry_paths).values_list(
        "unit__path", flat=True
    )
    return max(set(paths), key=len, default=None)


def _offered(unit: Unit) -> QuerySet[Category]:
    nearest = _nearest_offers(unit)
    qs = Category.objects.all()
    if nearest is not None:
        qs = qs.filter(pk__in=ServiceOffer.objects.filter(unit__path=nearest).values("category_id"))
    return qs


def offered_categories(unit: Unit) -> list[Category]:
    """The categories ``unit`` accepts: those of the nearest unit on its path (itself first) that
    has ``ServiceOffer`` rows; the whole taxonomy when none has."""
    return list(_offered(unit).select_related("parent__parent").order_by("full_name"))


def offered_category(unit: Unit, service_code: str) -> Category | None:
    code = service_code.strip()
    if not code.isdigit():
        return None
    return CATALOGUE.get(("offered", unit.path, code), lambda: _offered(unit).filter(pk=int(code)).first())


def _group(category: Category) -> str:
    top = category
    while top.parent is not None:
        top = top.parent
    return top.name


def service_list(unit: Unit) -> list[dict[str, Any]]:
    categories = offered_categories(unit)
    with_attributes = set(
        ServiceAttribute.objects.filter(category__in=categories).values_list("category_id", flat=True)
    )
    return [
        {
            "service_code": str(c.pk),
            "service_name": c.name,
            "description": c.full_name,
            "metadata": c.pk in with_attributes,
            "type": "realtime",
            "keywords": c.full_name.replace("/", ","),
            "group": _group(c),
        }
        for c in categories
    ]


def service_attributes(category: Category) -> list[ServiceAttribute]:
    return CATALOGUE.get(
        ("attributes", category.pk),
        lambda: list(ServiceAttribute.objects.filter(category=category).prefetch_related("values")),
    )


def unit_in(jurisdiction: Unit, code: str) -> Unit | None:
    """The unit ``code`` names in ``jurisdiction``'s subtree, or ``None``."""
    return CATALOGUE.get(
        ("unit_in", jurisdiction.path, code),
        lambda: Unit.objects.filter(code=code, path__startswith=jurisdiction.path).first(),
    )


def service_definition(category: Category) -> dict[str, Any]:
    attributes = []
    for a in service_attributes(category):
        item: dict[str, Any] = {
            "variable": a.variable,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": a.datatype_description or None,
            "order": a.order,
            "description": a.description,
        }
        if a.datatype in ("singlevaluelist", "multivaluelist"):
            item["values"] = [{"key": v.key, "name": v.name} for v in a.values.all()]
        attributes.append(item)
    return {"service_code": str(category.pk), "attributes": attributes}


# --- requests ----------------------------------------------------------------------------------


def parse_w3c(value: str, name: str) -> dt.datetime:
    parsed = parse_datetime(value.strip().replace(" ", "+"))
    if parsed is None:
        raise Open311Error(400, _("{name} 应为 W3C 日期时间,例如 2026-01-01T00:00:00Z").format(name=name))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def window(start: str | None, end: str | None) -> tuple[dt.datetime, dt.datetime]:
    """The spec's date range: both given, one given (the other 90 days away, or now), or the
    most recent 90 days."""
    end_at = parse_w3c(end, "end_date") if end else None
    start_at = parse_w3c(start, "start_date") if start else None
    if end_at is None:
        end_at = timezone.now() if start_at is None else max(timezone.now(), start_at)
    if start_at is None:
        start_at = end_at - dt.timedelta(days=DEFAULT_DAYS)
    if start_at > end_at:
        raise Open311Error(400, _("start_date 晚于 end_date"))
    return start_at, end_at


def paging(page: str | None, page_size: str | None) -> tuple[int, int]:
    """``page`` (from 1) and ``page_size`` (at most 1,000, the spec's ceiling; its default)."""
    try:
        number = int(page) if page else 1
        size = int(page_size) if page_size else MAX_RESULTS
    except ValueError:
        raise Open311Error(400, _("page 和 page_size 应为正整数")) from None
    if number < 1 or size < 1:
        raise Open311Error(400, _("page 和 page_size 应为正整数"))
    return number, min(size, MAX_RESULTS)


def status_of(state: str) -> str:
    return "open" if state in OPEN_STATES else "closed"


def _visible(actor: Actor | None, unit: Unit) -> QuerySet[Problem]:
    qs = Problem.objects.filter(prefix_q(unit.path, "path"))
    if actor is None:
        return qs.filter(is_public=True).exclude(state=State.MERGED)
    return scoped_problems(qs, actor)


@dataclass(frozen=True)
class RequestFilters:
    ids: list[str]
    service_codes: list[str]
    statuses: list[str]
    start: str | None
    end: str | None
    page: int
    page_size: int


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def request_filters(params: Any) -> RequestFilters:
    statuses = [s.lower() for s in _csv(params.get("status"))]
    bad = [s for s in statuses if s not in ("open", "closed")]
    if bad:
        raise Open311Error(400, _("status 只能是 open 或 closed"))
    page, size = paging(params.get("page"), params.get("page_size"))
    return RequestFilters(
        ids=_csv(params.get("service_request_id")),
        service_codes=_csv(params.get("service_code")),
        statuses=statuses,
        start=params.get("start_date"),
        end=params.get("end_date"),
        page=page,
        page_size=size,
    )


def find_requests(actor: Actor | None, unit: Unit, f: RequestFilters) -> list[Problem]:
    """The problems a GET requests answers with, newest first. ``service_request_id`` overrides
    every other filter (the spec); else the date window, service codes and statuses apply."""
    qs = _visible(actor, unit)
    if f.ids:
        qs = qs.filter(number__in=f.ids[:MAX_RESULTS])
    else:
        start, end = window(f.start, f.end)
        qs = qs.filter(registered_at__gte=start, registered_at__lte=end)
        if f.service_codes:
            codes = [int(c) for c in f.service_codes if c.isdigit()]
            qs = qs.filter(category_id__in=codes)
        if f.statuses and len(set(f.statuses)) == 1:
            open_q = Q(state__in=OPEN_STATES)
            qs = qs.filter(open_q) if f.statuses[0] == "open" else qs.exclude(open_q)
    offset = (f.page - 1) * f.page_size
    qs = qs.select_related("category", "unit", "responsible_unit", "campaign").order_by(
        "-registered_at", "-id"
    )
    return list(qs[offset : offset + f.page_size])


def find_request(actor: Actor | None, unit: Unit, number: str) -> Problem:
    problem = (
        _visible(actor, unit)
        .filter(number=number.strip())
        .select_related("category", "unit", "responsible_unit", "campaign")
        .first()
    )
    if problem is None:
        raise Open311Error(404, _("找不到该服务请求 service_request_id={id}").format(id=number))
    return problem


def _due(day: dt.date | None) -> str | None:
    if day is None:
        return None
    end_of_day = dt.datetime.combine(day, dt.time(23, 59, 59))
    return w3c(timezone.make_aware(end_of_day))


def request_rows(
    actor: Actor | None, problems: Iterable[Problem], extensions: bool = False
) -> list[dict[str, Any]]:
    """The spec's ``request`` fields for each problem (and ``extended_attributes`` when asked)."""
    problems = list(problems)
    ids = [p.pk for p in problems]
    updated = dict(
        ProblemEvent.objects.filter(problem_id__in=ids)
        .values("problem_id")
        .annotate(last=Max("at"))
        .values_list("problem_id", "last")
    )
    notes: dict[int, str] = {}
    public_notes = ProblemEvent.objects.filter(problem_id__in=ids, public=True).exclude(note="")
    if actor is None:  # the public reads only the notes their authors made public
        public_notes = public_notes.filter(note_public=True)
    for problem_id, note in public_notes.order_by("at", "id").values_list("problem_id", "note"):
        notes[problem_id] = note
    posted = {r.problem_id: r for r in ServiceRequest.objects.filter(problem_id__in=ids)}
    places: dict[int, str] = {}
    for problem_id, place in (
        Feedback.objects.filter(problem_id__in=ids)
        .exclude(place="")
        .order_by("-received_at")
        .values_list("problem_id", "place")
    ):
        places.setdefault(problem_id, place)
    rows = []
    for p in problems:
        r = posted.get(p.pk)
        row: dict[str, Any] = {
            "service_request_id": p.number,
            "status": status_of(p.state),
            "status_notes": notes.get(p.pk),
            "service_name": p.category.name if p.category else None,
            "service_code": str(p.category_id) if p.category_id else None,
            "description": p.list_title if actor is None else p.description,
            "agency_responsible": (p.responsible_unit or p.unit).name,
            "service_notice": None,
            "requested_datetime": w3c(p.registered_at),
            "updated_datetime": w3c(updated.get(p.pk) or p.registered_at),
            "expected_datetime": _due(p.due_date) if p.state in OPEN_STATES else None,
            "address": (r.address_string if r else "") or places.get(p.pk) or None,
            "address_id": (r.address_id if r else "") or p.unit.code,
            "zipcode": None,
            "lat": r.lat if r else None,
            "long": r.long if r else None,
            "media_url": (r.media_url if r else "") or None,
        }
        if extensions:
            row["extended_attributes"] = {
                "responsible_unit": p.responsible_unit.code if p.responsible_unit else None,
                "responsible_unit_name": p.responsible_unit.name if p.responsible_unit else None,
                "deadline": p.due_date.isoformat() if p.due_date else None,
                "campaign": p.campaign.name if p.campaign else None,
                "channel": p.channel or None,
                "state": p.state,
            }
        rows.append(row)
    return rows


def token_request(token: str) -> ServiceRequest:
    found = ServiceRequest.objects.filter(token=token.strip()).select_related("problem").first()
    if found is None:
        raise Open311Error(404, _("找不到该 token"))
    return found


# --- updates -----------------------------------------------------------------------------------


def _note_shown(actor: Actor | None, e: ProblemEvent) -> bool:
    """A public step's note, for the public only when its author ticked 公开."""
    return bool(e.note) and e.public and (actor is not None or e.note_public)


def find_updates(actor: Actor | None, unit: Unit, params: Any) -> list[dict[str, Any]]:
    """State changes and public notes since ``start_date`` (until ``end_date``), oldest first:
    without a key only the public events of public problems."""
    start, end = window(params.get("start_date"), params.get("end_date"))
    page, size = paging(params.get("page"), params.get("page_size"))
    problems = _visible(actor, unit)
    events = ProblemEvent.objects.filter(problem__in=problems, at__gte=start, at__lte=end)
    if actor is None:
        events = events.filter(public=True)
    else:
        events = events.filter(Q(public=True) | ~Q(from_state=F("to_state")))
    if params.get("service_request_id"):
        events = events.filter(problem__number__in=_csv(params.get("service_request_id")))
    events = events.select_related("problem").order_by("at", "id")
    offset = (page - 1) * size
    labels = dict(Action.choices)
    page_events = list(events[offset : offset + size])
    media = dict(
        ExternalUpdate.objects.filter(event__in=page_events)
        .exclude(media_url="")
        .values_list("event_id", "media_url")
    )
    rows = []
    for e in page_events:
        rows.append(
            {
                "update_id": str(e.pk),
                "service_request_id": e.problem.number,
                "status": status_of(e.to_state or e.problem.state).upper(),
                "updated_datetime": w3c(e.at),
                "description": (e.note if _note_shown(actor, e) else str(labels.get(e.action, e.action))),
                "media_url": media.get(e.pk),
            }
        )
    return rows

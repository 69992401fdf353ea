"""Reads of the problem ledger.

Every staff read takes the actor and goes through ``minqing.ledger.access``: a problem the actor
may not see raises ``Http404`` exactly as a missing one does. The two list reads that must stay
fast on a 200,000-problem ledger (``problem_queue`` and ``public_problem_list``) filter on
indexed columns of the problem table only, order by ``-registered_at, -id`` (served by the
``registered_at`` index), page by key (``minqing.ledger.keyset``: ``?after=`` / ``?before=``,
no OFFSET), count at most ``COUNT_CAP + 1`` rows (the queue: its counts by state exact for a
tab of at most ``EXACT_MAX`` rows, else each state up to the cap, in one query of bounded
subqueries; no joins), and ``select_related`` exactly what a row shows: a view's cost does not
grow with the ledger.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.core.audit import audit
from minqing.core.models import AuditEvent
from minqing.core.paths import any_prefix_q, prefix_q
from minqing.ledger.access import can_see_problem, problem_scope_q, reporter_feedback_ids, scoped_problems
from minqing.ledger.enums import OPEN_STATES, Action, Channel, Moderation, Source, State
from minqing.ledger.keyset import (
    COUNT_CAP,
    Capped,
    KeysetPage,
    TooMany,
    bounded_counts_by,
    capped_count,
    capped_counts_by,
    keyset_page,
)
from minqing.ledger.models import (
    Extension,
    ExtensionState,
    Feedback,
    FeedbackIdentity,
    Problem,
    ProblemEvent,
    ResidentRating,
)
from minqing.ledger.selectors_work import WorkKey, person_id_of, work_q, work_states
from minqing.orgs import policy
from minqing.orgs.actors import Actor, user_of
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.scoping import actor_prefixes, scoped
from minqing.orgs.selectors import UnitLookup, resolve_unit, units_with_parents

PAGE_SIZE = 50
# above this many rows in the tab, page through the registered_at index (at most COUNT_CAP: the
# counts stop there)
TIME_SCAN_MIN = COUNT_CAP
UNIT_CHOICES_LIMIT = 500
EXACT_MAX = 10 * COUNT_CAP  # a queue tab of up to this many rows has its counts by state exact


class QueuePage(KeysetPage):
    """A page of the staff queue, with the counts per state of the whole (filtered) tab, each
    counted up to ``COUNT_CAP + 1``."""

    state_counts: dict[str, int]
    count_cap: int = COUNT_CAP  # the state counts stop at this plus one
    unit_error: str = ""  # the inline error for a ``unit`` filter that names no unit in scope

    @property
    def state_rows(self) -> list[tuple[str, str, Capped]]:
        return [
            (s.value, str(s.label), Capped(self.state_counts.get(s.value, 0), self.count_cap)) for s in State
        ]


class QueueTab:
    MINE = "mine"
    UNIT = "unit"
    OVERDUE = "overdue"
    CLAIMED = "claimed"
    CHOICES = (
        (MINE, _("我的")),
        (UNIT, _("本单位")),
        (OVERDUE, _("已逾期")),
        (CLAIMED, _("我认领的")),
    )
    VALUES = (MINE, UNIT, OVERDUE, CLAIMED)


def _choice(value: Any, allowed: list[str]) -> str:
    value = str(value or "").strip()
    return value if value in allowed else ""


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    source: str = ""
    channel: str = ""
    unit: str = ""  # unit code: problems of its subtree (所属单位 or 责任单位)
    q: str = ""  # title contains / number starts with
    moderation: str = ""  # 待审核公开 / 已审核公开 / 不公开

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "QueueFilters":
        return cls(
            moderation=_choice(data.get("moderation"), Moderation.values),
            state=_choice(data.get("state"), State.values),
            source=_choice(data.get("source"), Source.values),
            channel=_choice(data.get("channel"), Channel.values),
            unit=str(data.get("unit") or "").strip()[:32],
            q=str(data.get("q") or "").strip()[:100],
        )

    def as_query(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


@dataclass(frozen=True)
class PublicFilters:
    state: str = ""
    source: str = ""
    unit: str = ""  # unit code: problems of its subtree

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "PublicFilters":
        return cls(
            state=_choice(data.get("state"), [s for s in State.values if s != State.MERGED]),
            source=_choice(data.get("source"), Source.values),
            unit=str(data.get("unit") or "").strip()[:32],
        )


def _as_filters(filters: Any, cls: Any) -> Any:
    if filters is None:
        return cls()
    if isinstance(filters, cls):
        return filters
    return cls.from_mapping(filters)


def _nothing() -> Q:
    return Q(pk__in=[])


def _scan_prefix_q(prefixes: list[str], field: str) -> Q:
    q = _nothing()
    for p in prefixes:
        q |= Q(**{f"{field}__startswith": p})
    return q


def _scope_q(actor: Actor, time_scan: bool) -> Q:
    if not time_scan:
        return problem_scope_q(actor)
    prefixes = actor_prefixes(actor)
    if prefixes is None:
        return Q()
    return _scan_prefix_q(prefixes, "path") | _scan_prefix_q(prefixes, "responsible_path")


def _tab_q(actor: Actor, tab: str, time_scan: bool = False) -> Q:
    scope = _scope_q(actor, time_scan)
    if tab == QueueTab.MINE:
        user = user_of(actor)
        if user is None:
            return _nothing()
        return scope & Q(owner=user)
    if tab == QueueTab.OVERDUE:
        return scope & _overdue_q()
    if tab == QueueTab.CLAIMED:
        pid = person_id_of(actor)
        return scope & Q(claimed_by_id=pid) if pid is not None else _nothing()
    return scope


def _overdue_q() -> Q:
    late = Q(overdue=True) | Q(due_date__lt=timezone.localdate())
    return late & Q(state__in=list(OPEN_STATES))


def _filters_q(f: QueueFilters, unit: UnitLookup, time_scan: bool = False) -> Q:
    """The filters as a ``Q``; ``unit`` is ``f.unit`` as ``_unit_lookup`` read it."""
    q = Q()
    if f.moderation:
        q &= Q(moderation=f.moderation)
    if f.source:
        q &= Q(source=f.source)
    if f.channel:
        q &= Q(channel=f.channel)
    if unit.text:
        if unit.unit is None:
            return _nothing()
        path = unit.unit.path
        if time_scan:
            q &= _scan_prefix_q([path], "path") | _scan_prefix_q([path], "responsible_path")
        else:
            q &= prefix_q(path, "path") | prefix_q(path, "responsible_path")
    if f.q:
        q &= Q(title__contains=f.q) | Q(number__startswith=f.q)
    return q


def _count_by_state(qs: Any) -> dict[str, int]:
    return dict(qs.values_list("state").annotate(n=Count("id")).order_by())


def _unit_lookup(actor: Actor, f: QueueFilters) -> UnitLookup:
    """``f.unit`` read once for a page (its Q is built up to three times, and the view shows
    its error)."""
    return resolve_unit(actor, f.unit)


def _split_state_counts(
    actor: Actor, tab: str, f: QueueFilters, unit: UnitLookup | None = None, limit: int | None = None
) -> dict[str, int] | None:
    """Counts by state for a scoped tab as two index-only scans instead of one OR over two paths.

    Problems concerning a unit in scope (index path, state), plus those only assigned into the
    scope (index responsible_path, path, state). None when there is no scope to split, and on
    PostgreSQL, whose planner does the single OR faster (benchmarks/results/ledger.md: 48 ms
    against 87 ms for the city office's 113,581 problems; on SQLite the split is 5x faster).
    ``limit``: each part reads at most that many rows plus one (``TooMany`` beyond), on both
    engines: with a LIMIT, PostgreSQL's plan for the single OR reads the whole resp_path index
    (a township at 40,000 problems: 3.6 ms, against 1.5 ms for the two bounded range scans).
    """
    prefixes = actor_prefixes(actor)
    if (connection.vendor != "sqlite" and limit is None) or not prefixes:
        return None
    if tab not in (QueueTab.UNIT, QueueTab.OVERDUE):
        return None
    unit = unit if unit is not None else _unit_lookup(actor, f)
    extra = (_overdue_q() if tab == QueueTab.OVERDUE else Q()) & _filters_q(f, unit)
    concerns = any_prefix_q(prefixes, "path")
    assigned_in = any_prefix_q(prefixes, "responsible_path") & ~concerns

    def count(qs: Any) -> dict[str, int]:
        return _count_by_state(qs) if limit is None else bounded_counts_by(qs, "state", limit)

    counts = count(Problem.objects.filter(concerns & extra))
    for state, n in count(Problem.objects.filter(assigned_in & extra)).items():
        counts[state] = counts.get(state, 0) + n
    return counts


def problem_queue(
    actor: Actor, *, tab: str = QueueTab.UNIT, filters: Any = None, page: Any = 1, work: str = ""
) -> QueuePage:
    """The staff queue: one tab (mine / my unit / overdue / claimed by me), filtered, 50 a page.

    ``filters`` is a ``QueueFilters`` or a mapping such as ``request.GET``. The page carries
    ``state_counts`` (the tab and filters without the state filter, by state) and ``unit_error``
    (the unit filter's inline error). ``work``, a block
    of the home page (``selectors_work.WorkKey``), replaces the tab: exactly the problems counted
    there.
    """
    f: QueueFilters = _as_filters(filters, QueueFilters)
    unit = _unit_lookup(actor, f)
    if work in WorkKey.VALUES:
        return _work_queue(actor, work, f, unit, page)
    tab = tab if tab in QueueTab.VALUES else QueueTab.UNIT
    # mine / claimed: few rows, found through the owner / claimed_by index; the scope is only checked
    sqlite = connection.vendor == "sqlite"
    by_person = sqlite and tab in (QueueTab.MINE, QueueTab.CLAIMED)
    base = Problem.objects.filter(_tab_q(actor, tab, by_person) & _filters_q(f, unit, by_person))
    wide = None
    if sqlite and not by_person:  # per state through the (state, registered_at) index
        wide = Problem.objects.filter(
            _tab_q(actor, tab, time_scan=True) & _filters_q(f, unit, time_scan=True)
        )
    # the overdue tab holds open problems only (a closed state's capped count would read the whole
    # table to find no row: 2.1 s for a region's 2,000,000 problems on PostgreSQL)
    states = list(OPEN_STATES) if tab == QueueTab.OVERDUE else State.values
    counts, cap = _capped_state_counts(
        base, wide, lambda n: _split_state_counts(actor, tab, f, unit, n), states=states
    )
    if f.state:
        base = base.filter(state=f.state)
    total = _total(counts, f.state, cap)
    if total.n > TIME_SCAN_MIN and sqlite and not by_person:
        # Many rows: walk the registered_at index newest first and test each row, stopping after
        # a page, instead of collecting every row in scope through the path indexes and sorting.
        # SQLite's LIKE (``startswith``) cannot use those BINARY indexes, which forces that plan;
        # PostgreSQL's planner chooses between the two plans itself.
        base = Problem.objects.filter(
            _tab_q(actor, tab, time_scan=True) & _filters_q(f, unit, time_scan=True)
        )
        if f.state:
            base = base.filter(state=f.state)
    return _queue_page(base, counts, total, page, unit)


def _capped_state_counts(
    base: Any, wide: Any = None, split: Any = None, states: Sequence[str] = State.values
) -> tuple[dict[str, int], int]:
    """The tab's rows by state, and the cap they were counted to.

    A tab of at most ``EXACT_MAX`` rows is grouped by state exactly, reading at most that many
    rows plus one (``split``: the SQLite split count, when it applies, bounded likewise). A
    bigger one has each state counted up to ``COUNT_CAP + 1`` in one query of bounded
    subqueries, on SQLite through ``wide`` (the same rows as ``base``, its prefixes as LIKE,
    which the path indexes cannot serve: the ``(state, registered_at)`` index then does, and each
    subquery stops at the cap instead of reading the whole subtree once per state).
    """
    try:
        counts = split(EXACT_MAX) if split is not None else None
        if counts is None:
            counts = bounded_counts_by(base, "state", EXACT_MAX)
        return counts, max(EXACT_MAX, sum(counts.values()))  # exact
    except TooMany:
        by = wide if wide is not None else base
        return {s: c.n for s, c in capped_counts_by(by, "state", states).items()}, COUNT_CAP


def _total(counts: dict[str, int], state: str, cap: int) -> Capped:
    if state:
        return Capped(counts.get(state, 0), cap)
    return Capped(min(sum(counts.values()), cap + 1), cap)


def _work_queue(actor: Actor, work: str, f: QueueFilters, unit: UnitLookup, page: Any) -> QueuePage:
    base = Problem.objects.filter(work_q(actor, work) & _filters_q(f, unit))
    counts, cap = _capped_state_counts(base, states=work_states(work))
    if f.state:
        base = base.filter(state=f.state)
    return _queue_page(base, counts, _total(counts, f.state, cap), page, unit)


def _queue_page(base: Any, counts: dict[str, int], total: Capped, page: Any, unit: UnitLookup) -> QueuePage:
    """One page of ``base``, newest first, with the counts by state already taken."""
    qs = base.select_related("unit", "responsible_unit", "claimed_by", "owner")
    result = keyset_page(qs, PAGE_SIZE, _cursors(page), total)
    out = QueuePage(result.object_list, result.paginator, result.next_key, result.previous_key)
    out.state_counts = counts
    out.count_cap = total.cap
    out.unit_error = unit.error
    return out


def public_problem_list(filters: Any = None, page: Any = None) -> KeysetPage:
    """The published list (晒出来): problems staff checked for it (``services/moderation.py``)
    that are not merged duplicates; no personal data.

    Only the public title and text (never the title and content as registered, unless the
    public title was left empty for a staff-written problem), the unit's name and path, state,
    resolution kind and registration time are loaded. ``page``: the request's ``after`` /
    ``before`` cursors (``minqing.ledger.keyset``); the count stops at ``COUNT_CAP + 1``.
    """
    f: PublicFilters = _as_filters(filters, PublicFilters)
    qs = Problem.objects.filter(is_public=True).exclude(state=State.MERGED)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.source:
        qs = qs.filter(source=f.source)
    unit = public_unit_lookup(f.unit) if f.unit else None
    if f.unit and unit is None:
        qs = qs.none()
    total = capped_count(qs.filter(prefix_q(unit.path, "path")) if unit is not None else qs)
    if unit is not None:
        many = total.n > TIME_SCAN_MIN and connection.vendor == "sqlite"  # see problem_queue
        qs = qs.filter(_scan_prefix_q([unit.path], "path") if many else prefix_q(unit.path, "path"))
    qs = qs.select_related("unit").only(
        "title",
        "public_title",
        "public_text",
        "state",
        "resolution_kind",
        "registered_at",
        "source",
        "unit__name",
        "unit__path",
    )
    return keyset_page(qs, PAGE_SIZE, _cursors(page), total)


def _cursors(page: Any) -> Mapping[str, Any]:
    """The ``after`` / ``before`` cursors of a request's query (anything else: the first page)."""
    return page if isinstance(page, Mapping) else {}


def public_list_rows(page: KeysetPage) -> list[tuple[Problem, str]]:
    """Each problem of a page of the published list with its unit named with its parents
    (``泉山社区 · 新体育场街道 · 集宁区``: namesakes told apart, as everywhere on the public
    pages), in one query."""
    problems = list(page)
    return list(zip(problems, units_with_parents([p.unit for p in problems]), strict=True))


# --- one problem --------------------------------------------------------------------------


def problem_get(actor: Actor, number: str) -> Problem:
    qs = Problem.objects.filter(number=number).select_related(
        "unit",
        "responsible_unit",
        "owner",
        "claimed_by",
        "category",
        "campaign",
        "merged_into",
        "escalated_to",
    )
    problem = scoped_problems(qs, actor).first()
    if problem is None:
        raise Http404
    return problem


def problem_events(actor: Actor, problem: Problem) -> list[ProblemEvent]:
    if not can_see_problem(actor, problem):
        raise Http404
    return list(ProblemEvent.objects.filter(problem=problem).order_by("at", "id"))


def problem_feedback(actor: Actor, problem: Problem) -> list[Feedback]:
    """The feedback items merged into the problem; never their reporters (see ``problem_reporters``)."""
    if not can_see_problem(actor, problem):
        raise Http404
    return list(Feedback.objects.filter(problem=problem).select_related("unit").order_by("received_at", "id"))


def problem_extensions(actor: Actor, problem: Problem) -> list[Extension]:
    if not can_see_problem(actor, problem):
        raise Http404
    return list(Extension.objects.filter(problem=problem).order_by("requested_at", "id"))


def problem_ratings(actor: Actor, problem: Problem) -> list[ResidentRating]:
    """The reporters' ratings of the problem's resolutions (by tracking code), oldest first."""
    if not can_see_problem(actor, problem):
        raise Http404
    return list(ResidentRating.objects.filter(problem=problem).order_by("at", "id"))


def has_pending_extension(problem: Problem) -> bool:
    return Extension.objects.filter(problem=problem, state=ExtensionState.REQUESTED).exists()


@dataclass(frozen=True)
class ReporterRow:
    feedback: Feedback
    identity: FeedbackIdentity | None


def problem_reporters(
    actor: Actor, problem: Problem, request: HttpRequest | None = None
) -> list[ReporterRow]:
    """Who reported the problem's items the actor may see (``reporter_feedback_ids``, per item);
    each identity read is audited.

    Anyone allowed no item, above all the unit an item concerns, gets ``Http404`` and nothing is
    written; items of other units merged into the problem are left out.
    """
    if not can_see_problem(actor, problem):
        raise Http404
    qs = Feedback.objects.filter(problem=problem).select_related("identity", "unit")
    items = list(qs.order_by("received_at", "id"))
    allowed = reporter_feedback_ids(actor, problem, items)
    if not allowed:
        raise Http404
    rows = []
    for fb in items:
        if fb.pk not in allowed:
            continue
        identity = getattr(fb, "identity", None)
        rows.append(ReporterRow(fb, identity))
        if identity is not None:
            audit(
                actor=actor,
                action=AuditEvent.Action.VIEW_PERSONAL,
                obj=identity,
                detail=f"reporter of problem {problem.number}",
                request=request,
            )
    return rows


def problem_for_merge(actor: Actor, number: str) -> Problem | None:
    """A problem the actor may see, by number, that can still take feedback (not itself merged)."""
    number = number.strip()
    if not number:
        return None
    qs = scoped_problems(Problem.objects.filter(number=number), actor).exclude(state=State.MERGED)
    return qs.first()


def intake_units(actor: Actor) -> list[Unit]:
    """Units for the intake form's select: the actor's intake scope without grids, in tree order (capped)."""
    qs = scoped(Unit.objects.exclude(kind=UnitKind.GRID), actor, roles=policy.INTAKE).order_by("path")
    return list(qs.only("pk", "code", "name", "depth")[:UNIT_CHOICES_LIMIT])


# --- public -------------------------------------------------------------------------------


def public_unit_lookup(code: str) -> Unit | None:
    """Any unit by code, for the published list's filter (its subtree)."""
    code = code.strip()
    return Unit.objects.filter(code=code).only("path", "name").first() if code else None


@dataclass(frozen=True)
class PublicEvent:
    at: Any
    label: str
    note: str


@dataclass(frozen=True)
class Tracking:
    code: str
    feedback_id: int
    problem_id: int
    title: str  # as the reporter wrote it
    place: str  # the place they typed, then the unit with its parents
    unit_label: str
    category: str
    responsible_unit: str
    due_date: Any
    state: str
    state_label: str
    registered_at: Any
    resolved_at: Any  # None unless resolved (a reopening clears it)
    resolution: str  # how it was resolved (办结方式), "" unless resolved
    events: list[PublicEvent]


def normalise_tracking_code(code: str) -> str:
    """``ab3d-ef 7h`` -> ``AB3DEF7H``: spaces, dashes (ASCII and full-width) and case do not matter."""
    return "".join(ch for ch in (code or "").upper() if ch not in " \t-_‐‑–—－　")[:32]


def public_tracking(code: str) -> Tracking | None:
    """What the reporter may know of their submission: what they wrote (title, place), where it
    stands (category, responsible unit, deadline, state, how and when it was resolved) and the
    public steps, with the notes their authors ticked 公开 only; never a staff name, an internal
    note or another reporter."""
    code = normalise_tracking_code(code)
    if not code or len(code) > 16:
        return None
    fb = Feedback.objects.filter(tracking_code=code).only("problem_id", "title", "place", "unit_id").first()
    if fb is None or fb.problem_id is None:
        return None
    problem = Problem.objects.select_related("category", "responsible_unit", "unit").get(pk=fb.problem_id)
    unit = Unit.objects.filter(pk=fb.unit_id).first() if fb.unit_id else problem.unit
    events = ProblemEvent.objects.filter(problem_id=problem.pk, public=True).order_by("at", "id")
    labels = dict(Action.choices)
    return Tracking(
        code=code,
        feedback_id=fb.pk,
        problem_id=problem.pk,
        title=fb.title,
        place=fb.place,
        unit_label=units_with_parents([unit])[0] if unit is not None else "",
        category=problem.category.full_name if problem.category is not None else "",
        responsible_unit=problem.responsible_unit.name if problem.responsible_unit is not None else "",
        due_date=problem.due_date,
        state=problem.state,
        state_label=str(State(problem.state).label),
        registered_at=problem.registered_at,
        resolved_at=problem.resolved_at,
        resolution=str(problem.get_resolution_kind_display()) if problem.resolution_kind else "",
        events=[
            PublicEvent(e.at, str(labels.get(e.action, e.action)), e.note if e.note_public else "")
            for e in events.only("at", "action", "note", "note_public")
        ],
    )


# --- the API's list ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemListFilters:
    """The API list's filters, already read: a unit (its subtree, 所属单位 or 责任单位), a category
    (and its subcategories), a campaign, registration times, overdue, a title/number search."""

    state: str = ""
    source: str = ""
    channel: str = ""
    unit: Unit | None = None
    category: Any = None  # a Category
    campaign_id: int | None = None
    registered_after: Any = None  # datetime
    registered_before: Any = None
    overdue: bool | None = None
    q: str = ""


def problem_list(actor: Actor, f: ProblemListFilters) -> Any:
    """The problems the actor sees (as on the queue's 本单位 tab), filtered; a queryset for a
    keyset page. No reporter is ever part of it."""
    qs = scoped_problems(Problem.objects.all(), actor)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.unit is not None:
        qs = qs.filter(prefix_q(f.unit.path, "path") | prefix_q(f.unit.path, "responsible_path"))
    if f.category is not None:
        qs = qs.filter(Q(category=f.category) | Q(category__full_name__startswith=f"{f.category.full_name}/"))
    if f.campaign_id is not None:
        qs = qs.filter(campaign_id=f.campaign_id)
    if f.registered_after is not None:
        qs = qs.filter(registered_at__gte=f.registered_after)
    if f.registered_before is not None:
        qs = qs.filter(registered_at__lt=f.registered_before)
    if f.overdue is True:
        qs = qs.filter(_overdue_q())
    elif f.overdue is False:
        qs = qs.exclude(_overdue_q())
    if f.q:
        qs = qs.filter(Q(title__contains=f.q) | Q(number__startswith=f.q))
    return qs.select_related("unit", "responsible_unit", "category", "owner", "claimed_by", "merged_into")

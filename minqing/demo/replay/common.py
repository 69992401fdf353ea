"""What the two replays share: dates, the campaign, people, activities with rosters, visits, notes.

Every helper here writes through the project's services (the bulk ones for volume) with
``actor=None``, the system. Plans are built from the seed's random streams and from what the
earlier demo stages loaded (the tree, the cadres), never from the clock, so a replay is the same
on every run with the same seed.
"""

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from minqing.activities.models import Activity, ActivityType, CheckInMethod, Visit
from minqing.activities.services.bulk import (
    ActivityRow,
    AttendanceRow,
    activities_bulk_create,
    attendance_bulk_create,
    code_for,
    insert_rows,
)
from minqing.campaigns.models import Campaign
from minqing.campaigns.services import campaign_create, campaign_set_bulletin_notes, note_lines
from minqing.core.batching import chunked
from minqing.core.paths import prefix_q
from minqing.core.workdays import WorkCalendar
from minqing.demo import names
from minqing.demo.context import DemoContext
from minqing.demo.plan import apportion
from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import Person, Unit
from minqing.orgs.services.bulk import UnitRef, ref_of

# --- dates -------------------------------------------------------------------------------


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour:minute``, local time (Asia/Shanghai), aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def days(
    first: dt.date, last: dt.date, *, workdays: bool = False, cal: WorkCalendar | None = None
) -> list[dt.date]:
    """The days from ``first`` to ``last`` (both included); only working days with ``workdays``
    (the statutory holidays and make-up days of ``cal``; a loop passes one calendar, which is a
    query to build, rather than building one per call)."""
    out = []
    if workdays and cal is None:
        cal = WorkCalendar()
    if not workdays:
        cal = None
    d = first
    while d <= last:
        if cal is None or cal.is_workday(d):
            out.append(d)
        d += dt.timedelta(days=1)
    return out


# --- notes -------------------------------------------------------------------------------


@dataclass
class Notes:
    """What the replay could not make equal to the article, and why; printed after the stage."""

    title: str
    lines: list[str] = field(default_factory=list)
    demo_only: set[str] = field(default_factory=set)  # about the run itself, not the figures

    def add(self, line: str, *, bulletin: bool = True) -> None:
        self.lines.append(line)
        if not bulletin:
            self.demo_only.add(line)

    def write(self, ctx: DemoContext) -> None:
        if not self.lines:
            return
        ctx.out.write(f"  {self.title}:\n")
        for line in self.lines:
            ctx.out.write(f"    - {line}\n")
        ctx.cache.setdefault("notes", []).extend(f"{self.title}:{line}" for line in self.lines)

    def print_in_bulletins(self, campaign: Campaign) -> None:
        """Add the notes on figures to the campaign's bulletin notes, so each bulletin states
        where and why it differs from the article; notes already there are kept, none repeated."""
        have = note_lines(campaign)
        new = [line for line in self.lines if line not in have and line not in self.demo_only]
        if new:
            campaign_set_bulletin_notes(actor=SYSTEM, campaign=campaign, notes="\n".join(have + new))


# --- the campaign ------------------------------------------------------------------------


def campaign_get_or_create(
    *, name: str, kind: str, scope: Unit, start: dt.date, end: dt.date | None, notes: Notes
) -> Campaign:
    """The campaign named ``name``: created over ``scope`` if missing, else reused as it is."""
    found = Campaign.objects.filter(name=name).select_related("scope").first()
    if found is None:
        return campaign_create(
            actor=SYSTEM, name=name, scope=scope, start_date=start, end_date=end, kind=kind
        )
    if (found.scope_id, found.start_date, found.end_date, found.kind) != (scope.pk, start, end, kind):
        notes.add(
            f"专题“{name}”已存在(范围{found.scope.name},{found.start_date}至{found.end_date or '—'}),"
            f"沿用该专题;本次回放的记录均在{start}之后",
            bulletin=False,
        )
    return found


# --- units and people --------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    """A person as the replay needs them: id, number, unit, path, duties, rank."""

    id: int
    number: str
    unit_id: int
    path: str
    duties: str
    rank: str


def people_under(path: str) -> list[Who]:
    """Everyone of the subtree, by number."""
    qs = Person.objects.filter(prefix_q(path)).order_by("number")
    return [Who(*r) for r in qs.values_list("id", "number", "unit_id", "path", "duties", "rank")]


def units_under(path: str, *kinds: str) -> list[Unit]:
    return list(Unit.objects.filter(prefix_q(path), kind__in=kinds).order_by("code"))


def by_path(people: Iterable[Who]) -> dict[str, list[Who]]:
    out: dict[str, list[Who]] = {}
    for p in people:
        out.setdefault(p.path, []).append(p)
    return out


def pool_under(people_by_path: dict[str, list[Who]], path: str) -> list[Who]:
    """The people of the unit at ``path`` and of every unit below it."""
    return [p for k, ps in people_by_path.items() if k.startswith(path) for p in ps]


def identity(rng: random.Random, area: str, lo: int, hi: int) -> tuple[str, bool, str, str]:
    """(name, male, phone, ID number) of a new person of the county ``area`` born in [lo, hi]."""
    male = rng.random() < 0.6
    name = names.person_name(rng, 0.15, male)
    return name, male, names.phone(rng), names.id_number(rng, area, rng.randint(lo, hi), male)


def area_of(code: str) -> str:
    """The county code for an ID number: the unit's own county (or the city's first district)."""
    area = code[:6]
    return area if area[4:6] != "00" else area[:4] + "02"


# --- activities --------------------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    """One activity of a replay: a roster (person ids) or a headcount, and its lecturers."""

    number: str
    type_code: str
    organiser: Unit
    title: str
    start: dt.datetime
    end: dt.datetime
    headcount: int | None = None
    roster: tuple[int, ...] = ()
    lecturers: tuple[int, ...] = ()
    place: str = ""

    @property
    def attendance(self) -> int:
        return self.headcount if self.headcount is not None else len(self.roster)


HOURS = ((8, 30), (9, 0), (9, 30), (14, 30), (15, 0))


class Planner:
    """Builds a replay's activities in order, numbering them ``<prefix>HD00001`` …"""

    def __init__(self, ctx: DemoContext, stream: str, prefix: str, people: Iterable[Who]) -> None:
        self.ctx = ctx
        self.stream = stream
        self.prefix = prefix
        self.people = by_path(people)
        self.acts: list[Act] = []
        self._n = itertools.count(1)

    def rng(self, *parts: object) -> random.Random:
        return self.ctx.rng(self.stream, "study", *parts)

    def number(self) -> str:
        return f"{self.prefix}HD{next(self._n):05d}"

    def add(
        self,
        rng: random.Random,
        code: str,
        org: Unit,
        day: dt.date,
        title: str,
        *,
        headcount: int | None = None,
        roster: tuple[int, ...] = (),
        lecturers: tuple[int, ...] = (),
        place: str = "",
        hour: tuple[int, int] | None = None,
    ) -> Act:
        h, m = hour or rng.choice(HOURS)
        start = at(day, h, m)
        end = start + dt.timedelta(hours=rng.choice((2, 2, 3)))
        act = Act(self.number(), code, org, title, start, end, headcount, roster, lecturers, place)
        self.acts.append(act)
        return act


def organisers(
    rng: random.Random, total: int, fixed: Sequence[tuple[Sequence[Unit], int]], rest: Sequence[Unit]
) -> list[Unit]:
    """``k`` sessions for each unit of each fixed group; the rest spread over ``rest``, each once
    before any twice."""
    out = [u for units, k in fixed for u in units for _ in range(k)]
    left = total - len(out)
    if left < 0:
        raise ValueError(f"{len(out)} fixed sessions exceed {total}")
    while left > 0:
        take = rng.sample(list(rest), min(left, len(rest)))
        out += take
        left -= len(take)
    return out


def sized(
    p: Planner,
    rng: random.Random,
    code: str,
    orgs: Sequence[Unit],
    total: int,
    window: Sequence[dt.date],
    *,
    minimum: int,
    roster_share: float,
    title: Callable[[random.Random, Unit], tuple[str, str]],
    weight: Callable[[Unit], float] | None = None,
) -> None:
    """Sessions of ``code`` by ``orgs`` whose attendance adds up to exactly ``total`` person-times."""
    weights = [weight(o) if weight else rng.uniform(0.6, 1.4) for o in orgs]
    for o, size in zip(orgs, apportion(total, weights, minimum), strict=True):
        headcount, roster = roster_or_headcount(rng, size, pool_under(p.people, o.path), roster_share)
        text, place = title(rng, o)
        p.add(rng, code, o, rng.choice(window), text, headcount=headcount, roster=roster, place=place)


def roster_or_headcount(
    rng: random.Random, size: int, pool: Sequence[Who], roster_share: float
) -> tuple[int | None, tuple[int, ...]]:
    """``size`` people: a roster drawn from ``pool`` (when it is large enough), else a headcount."""
    if size <= len(pool) and rng.random() < roster_share:
        return None, tuple(sorted(p.id for p in rng.sample(list(pool), size)))
    return size, ()


def write_activities(acts: Sequence[Act], campaign: Campaign, *, code_offset: int) -> tuple[int, int]:
    """Create the activities (bulk), their rosters and their lecturers; returns (activities, rows)."""
    types = dict(ActivityType.objects.values_list("code", "pk"))
    rows = [
        ActivityRow(
            number=a.number,
            type_id=types[a.type_code],
            organiser=ref_of(a.organiser),
            title=a.title,
            start=a.start,
            end=a.end,
            campaign_id=campaign.pk,
            headcount=a.headcount,
            place=a.place,
            short_code=code_for(code_offset + i),
        )
        for i, a in enumerate(acts)
    ]
    created = activities_bulk_create(rows, seed=code_offset).created
    ids: dict[str, int] = {}
    for chunk in chunked([a.number for a in acts]):
        ids.update(Activity.objects.filter(number__in=chunk).values_list("number", "id"))
    offsets = random.Random(f"checkin:{code_offset}")
    attendance = [
        AttendanceRow(
            ids[a.number],
            person,
            a.start - dt.timedelta(minutes=offsets.randrange(5, 40)),
            CheckInMethod.LIST,
        )
        for a in acts
        for person in a.roster
    ]
    rows_created = attendance_bulk_create(attendance).created
    through = Activity.lecturers.through
    through.objects.bulk_create(
        [through(activity_id=ids[a.number], person_id=p) for a in acts for p in a.lecturers],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return created, rows_created


# --- visits ------------------------------------------------------------------------------

VISIT_FIELDS = [f for f in Visit._meta.concrete_fields if not f.primary_key]


@dataclass(frozen=True)
class VisitRow:
    """A cadre's visit to a contact point (a unit), as ``visit_record`` would write it."""

    cadre_id: int
    unit: UnitRef
    date: dt.date
    notes: str = ""


def visits_bulk_insert(rows: Iterable[VisitRow]) -> int:
    """Visits to contact points in bulk: the rows ``visit_record`` writes (the unit's path copied,
    exactly one target), without a problem. ``minqing.activities`` has no bulk writer for visits yet;
    this uses its bulk insert helper."""
    names_ = [f.attname for f in VISIT_FIELDS]
    adapt = connections[DEFAULT_DB_ALIAS].ops.adapt_datefield_value
    n = 0
    for chunk in chunked(rows, 20_000):
        values: list[list[Any]] = []
        for r in chunk:
            v = {
                "cadre_id": r.cadre_id,
                "household_id": None,
                "unit_id": r.unit.id,
                "path": r.unit.path,
                "date": adapt(r.date),
                "notes": r.notes,
                "problem_id": None,
            }
            values.append([v[k] for k in names_])
        insert_rows(Visit, VISIT_FIELDS, values)
        n += len(values)
    return n

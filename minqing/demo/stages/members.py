"""The party members stage (region tier): the people who are not cadres, so that attendance has a
population to draw from.

A real league or province has about one party member in twenty residents, registered with the
branch of their village or community, of their agency, or of a non-public organisation. The
cadres stage creates only the cadres (85,000 at the region tier); this stage adds
``targets["members"]`` party members under those units, so that the region tier holds about
1,000,000 people and its 20,000,000 attendance rows (drawn by county from everyone there, see
``activities.load_attendance``) reach most of them.

Members are spread over the units by weight (a village 1, an agency 2, an enterprise or social
organisation 0.3, each times a factor drawn for the unit), the total allocated exactly by
largest remainder. A member's number is the unit's code, ``-D`` and a serial (``-D0001``), so it
never meets a cadre's (``-01``). Deterministic for the seed: unit ``u``'s members use
``ctx.rng("members", u.code)``. Written in blocks of units, each block one transaction with
:func:`~minqing.orgs.services.people.people_bulk_create`; a block whose last member exists is
skipped, so a re-run continues where the last one stopped.
"""

import random
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from minqing.core.paths import any_prefix_q
from minqing.demo.context import DemoContext
from minqing.demo.names import id_number, person_name, phone
from minqing.demo.registry import register_stage
from minqing.demo.rosters import id_area
from minqing.demo.stages.activities import _scope_paths
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Person, Unit
from minqing.orgs.services.bulk import UnitRef
from minqing.orgs.services.people import PersonRow, people_bulk_create

MARK = "-D"  # 党员: a member's number is <unit code>-D0001
WEIGHTS = {
    UnitKind.VILLAGE: 1.0,
    UnitKind.AGENCY: 2.0,
    UnitKind.ENTERPRISE: 0.3,
    UnitKind.SOCIAL_ORG: 0.3,
}
UNITS_PER_BLOCK = 200  # about 13,000 members per transaction at the region tier
BIRTH_YEARS = (1945, 2000)


def member_number(unit_code: str, i: int) -> str:
    return f"{unit_code}{MARK}{i:04d}"


def _units(tier: str) -> list[UnitRef]:
    """The units that register members, in path order (the tier's scope, as for the activities)."""
    qs = Unit.objects.filter(any_prefix_q(_scope_paths(tier)), kind__in=list(WEIGHTS)).order_by("path")
    return [UnitRef(*r) for r in qs.values_list("id", "code", "path", "kind", "subkind").iterator(20_000)]


def allocate(ctx: DemoContext, units: list[UnitRef], total: int) -> list[int]:
    """How many members each unit gets: ``total`` in all, by weight, largest remainder first."""
    if not units or total <= 0:
        return [0] * len(units)
    weights = [WEIGHTS[UnitKind(u.kind)] * ctx.rng("members", u.code).uniform(0.5, 1.5) for u in units]
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(units)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def unit_members(ctx: DemoContext, unit: UnitRef, n: int) -> Iterator[PersonRow]:
    rng: random.Random = ctx.rng("members", unit.code)
    rng.random()  # the draw `allocate` used for the unit's weight
    mongolian = 0.2 if unit.code.startswith("15") else 0.1
    for i in range(1, n + 1):
        male = rng.random() < 0.7
        yield PersonRow(
            number=member_number(unit.code, i),
            name=person_name(rng, mongolian, male),
            unit=unit,
            is_party_member=True,
            duties="党员",  # data, in the ledger's language (as the cadres' duties)
            phone=phone(rng),
            id_number=id_number(rng, id_area(unit.code), rng.randint(*BIRTH_YEARS), male),
        )


@register_stage("members", label=_("党员"), tiers=("mini", "region"), order=290)
def load_members(ctx: DemoContext) -> dict[str, int]:
    total = ctx.tier.targets.get("members", 0)
    if not total:
        return {"members": 0}
    units = _units(ctx.tier.name)
    counts = allocate(ctx, units, total)
    created = 0
    with ctx.bar(total, str(_("党员"))) as bar:
        for lo in range(0, len(units), UNITS_PER_BLOCK):
            block = [(u, n) for u, n in zip(units[lo : lo + UNITS_PER_BLOCK], counts[lo:], strict=False) if n]
            if not block:
                continue
            size = sum(n for _u, n in block)
            last_unit, last_n = block[-1]
            if Person.objects.filter(number=member_number(last_unit.code, last_n)).exists():
                bar.update(size)
                continue  # written by an earlier run (each block is one transaction)
            rows = (row for u, n in block for row in unit_members(ctx, u, n))
            created += people_bulk_create(actor=SYSTEM, rows=rows, source="demo").created
            bar.update(size)
    return {"members": created}

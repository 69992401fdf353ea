"""Ulanhot 2019: the campaign's constants, the units and people the replay works on, new party members."""

import datetime as dt
from dataclasses import dataclass, field

from minqing.activities.models import Activity
from minqing.campaigns.models import Campaign
from minqing.demo.context import DemoContext
from minqing.demo.replay.common import (
    Who,
    area_of,
    identity,
    people_under,
    units_under,
)
from minqing.orgs.enums import Rank, UnitKind, UnitSubkind
from minqing.orgs.models import Unit
from minqing.orgs.services.bulk import ref_of
from minqing.orgs.services.people import PersonRow

NAME = "第二批“不忘初心、牢记使命”主题教育"  # scope: 乌兰浩特市
START, END = dt.date(2019, 9, 1), dt.date(2020, 1, 31)
AS_OF = dt.date(2019, 12, 20)
PREFIX = "WLHT19-"  # numbers of the replay's activities (…HD), problems (…WT) and findings (…DD)
CODE_OFFSET = 500_000_000  # check-in codes: a range of code_for() no other loader uses
STREAM = "replay-ulanhot2019"

# party members added per unit (the cadres stage loaded the leaders and staff only)
MEMBERS = {
    UnitKind.AGENCY: (20, 35, "党员干部", Rank.STAFF, 1968, 1996),
    UnitKind.TOWNSHIP: (8, 15, "机关党员", Rank.STAFF, 1970, 1996),
    UnitKind.VILLAGE: (15, 30, "党员", Rank.NONE, 1945, 1998),
    UnitKind.ENTERPRISE: (3, 8, "党员", Rank.NONE, 1965, 1998),
    UnitKind.SOCIAL_ORG: (3, 8, "党员", Rank.NONE, 1955, 1998),
}


@dataclass
class World:
    """Ulanhot's units and people, as the earlier stages loaded them."""

    city: Unit
    towns: list[Unit]  # the 14 towns and streets
    others: list[Unit]  # other township-level units: the farm, the industrial parks
    villages: dict[int, list[Unit]]  # villages and communities of each town or street, by its id
    agencies: list[Unit]
    non_public: list[Unit]
    people: list[Who] = field(default_factory=list)

    @property
    def all_villages(self) -> list[Unit]:
        return [v for t in self.towns for v in self.villages[t.pk]]

    @property
    def following(self) -> list[Unit]:
        """The party organisations the replay has follow the campaign closely."""
        return self.agencies + self.towns + self.all_villages + self.non_public


def load_world(city: Unit) -> World:
    townships = units_under(city.path, UnitKind.TOWNSHIP)
    towns = [t for t in townships if t.subkind in (UnitSubkind.STREET, UnitSubkind.TOWN)]
    villages = units_under(city.path, UnitKind.VILLAGE)
    return World(
        city=city,
        towns=towns,
        others=[t for t in townships if t not in towns],
        villages={t.pk: [v for v in villages if v.path.startswith(t.path)] for t in towns},
        agencies=units_under(city.path, UnitKind.AGENCY),
        non_public=units_under(city.path, UnitKind.ENTERPRISE, UnitKind.SOCIAL_ORG),
        people=people_under(city.path),
    )


def member_rows(ctx: DemoContext, city: Unit) -> list[PersonRow]:
    """Party members of every agency, township, village and non-public organisation of the city."""
    rows = []
    units = units_under(city.path, *MEMBERS)
    for u in units:
        lo, hi, duties, rank, born_lo, born_hi = MEMBERS[UnitKind(u.kind)]
        rng = ctx.rng(STREAM, "members", u.code)
        ref = ref_of(u)
        for i in range(1, rng.randint(lo, hi) + 1):
            name, _male, phone, id_number = identity(rng, area_of(u.code), born_lo, born_hi)
            rows.append(
                PersonRow(
                    number=f"{u.code}-D{i:03d}",
                    name=name,
                    unit=ref,
                    rank=rank,
                    is_party_member=True,
                    duties=duties,
                    phone=phone,
                    id_number=id_number,
                )
            )
    return rows


def done(campaign: Campaign | None) -> bool:
    return (
        campaign is not None
        and Activity.objects.filter(number__startswith=PREFIX, campaign=campaign).exists()
    )

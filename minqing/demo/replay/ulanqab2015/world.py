"""Ulanqab 2015: the campaign's constants and the units and people the replay works on."""

import datetime as dt
from dataclasses import dataclass, field

from minqing.activities.models import Activity
from minqing.campaigns.models import Campaign
from minqing.demo.replay.common import (
    Who,
    people_under,
    units_under,
)
from minqing.demo.stages.activities import CAMPAIGNS
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit

NAME = CAMPAIGNS[0][0]  # “三严三实”专题教育: the name the programmes and supervision stages look up
START, END = dt.date(2015, 5, 11), dt.date(2015, 12, 31)
AS_OF = dt.date(2015, 6, 30)
PREFIX = "WLCB15-"  # numbers of the replay's activities (…HD)
CODE_OFFSET = 600_000_000  # check-in codes: a range of code_for() no other loader uses
STREAM = "replay-ulanqab2015"


@dataclass
class World:
    """Ulanqab's units and people, as the earlier stages (and this one) loaded them."""

    city: Unit
    counties: list[Unit]
    townships: list[Unit]
    villages: list[Unit]
    departments: list[Unit]  # the agencies right under the city (市直部门单位)
    county_agencies: list[Unit] = field(default_factory=list)
    enterprises: list[Unit] = field(default_factory=list)
    people: list[Who] = field(default_factory=list)

    @property
    def agencies(self) -> list[Unit]:
        return self.departments + self.county_agencies


def load_world(city: Unit) -> World:
    agencies = units_under(city.path, UnitKind.AGENCY)
    return World(
        city=city,
        counties=units_under(city.path, UnitKind.COUNTY),
        townships=units_under(city.path, UnitKind.TOWNSHIP),
        villages=units_under(city.path, UnitKind.VILLAGE),
        departments=[a for a in agencies if a.depth == city.depth + 1],
        county_agencies=[a for a in agencies if a.depth != city.depth + 1],
        enterprises=units_under(city.path, UnitKind.ENTERPRISE),
        people=people_under(city.path),
    )


def done(campaign: Campaign | None) -> bool:
    return (
        campaign is not None
        and Activity.objects.filter(number__startswith=PREFIX, campaign=campaign).exists()
    )

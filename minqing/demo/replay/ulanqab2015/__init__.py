"""Ulanqab (乌兰察布市, 150900), the “三严三实” special education for county-level leaders, 2015.

The campaign starts 2015-05-11 with the city party secretary's themed party lecture; the seed
article (``shared/seeds/003_…txt``) gives its figures as of 2015-06-30. This package replays it as
raw records through the services, in one transaction:

- units and people (``orgs``): the county agencies and the enterprises and parks the
  “four-level demonstration” (四级示范抓引领) reaches, their people, the cadres of the village work
  teams; demonstration contacts on every county, township, agency, enterprise, village and grid;
  visits to the contact points;
- work plans, themed party lectures and the study sessions (``study``);
- the power list, reform measures and commendations (``catalogues``, words in ``vocab``).

The campaign is created here (scope 乌兰察布市, 2015-05-11 to 2015-12-31) under the name the
other stages look up (“三严三实”专题教育), so the programmes stage's “十个全覆盖” progress and the
supervision stage's guidance groups belong to it: this stage runs before them.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign, CampaignKind
from minqing.demo.context import DemoContext
from minqing.demo.registry import register_stage
from minqing.demo.replay.common import Notes, campaign_get_or_create, write_activities
from minqing.demo.replay.figures import ULANQAB_CODE
from minqing.demo.replay.ulanqab2015 import catalogues, orgs, study
from minqing.demo.replay.ulanqab2015.world import CODE_OFFSET, END, NAME, START, done, load_world
from minqing.orgs.models import Unit


@register_stage(
    "seed_ulanqab2015", label=_("乌兰察布市专题教育回放"), tiers=("seed", "city", "region"), order=150
)
@transaction.atomic
def load_ulanqab2015(ctx: DemoContext) -> dict[str, int]:
    city = Unit.objects.filter(code=ULANQAB_CODE).first()
    if city is None or done(Campaign.objects.filter(name=NAME).first()):
        return {"activities": 0}
    notes = Notes(str(_("乌兰察布市专题教育回放说明")))
    kind = CampaignKind.SPECIAL
    campaign = campaign_get_or_create(name=NAME, kind=kind, scope=city, start=START, end=END, notes=notes)
    counts = orgs.load_units(ctx, city)
    world = load_world(city)
    counts |= orgs.load_demonstration(ctx, world, notes)
    world = load_world(city)  # with the work teams' cadres
    counts |= orgs.load_visits(ctx, world)
    counts |= study.load_plans(ctx, world, campaign)
    acts = study.plan(ctx, world, notes)
    activities, attendance = write_activities(acts, campaign, code_offset=CODE_OFFSET)
    counts |= {"activities": activities, "attendance": attendance}
    counts |= catalogues.load(ctx, world, campaign, notes)
    notes.write(ctx)
    notes.print_in_bulletins(campaign)
    return counts

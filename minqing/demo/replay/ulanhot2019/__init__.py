"""Ulanhot (乌兰浩特市, 152201), the second batch of the “不忘初心、牢记使命” campaign, 2019.

The campaign runs 2019-09-01 to 2020-01-31; the seed article is its bulletin as of 2019-12-20
(``shared/seeds/000_…txt``). This package replays it as raw records through the services:

- people (``world``): party members of the agencies, towns and streets, villages and communities and
  non-public organisations (the cadres stage gave only their leaders and staff);
- study (``study``): reading classes with rosters, seminars, exemplar education and
  tutorial lectures (rosters or headcounts), party lectures, branch study, volunteer service;
  every party organisation of the 14 towns and streets, their villages and communities, the 66
  agencies and the 97 non-public organisations holds at least one activity (紧密跟进);
- research and supervision (``work``); problems and the leaders' claims (``problems``).

Records dated after 2019-12-20 (in the campaign's last weeks) are added too, so a bulletin as
of the article's date must leave them out. All in one transaction; a second run adds nothing.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign, CampaignKind
from minqing.core.paths import any_prefix_q
from minqing.demo.context import DemoContext
from minqing.demo.registry import register_stage
from minqing.demo.replay.common import Notes, campaign_get_or_create, write_activities
from minqing.demo.replay.figures import ARTICLE_ULANHOT, ULANHOT_CODE
from minqing.demo.replay.ulanhot2019 import study, work
from minqing.demo.replay.ulanhot2019.world import (
    CODE_OFFSET,
    END,
    NAME,
    START,
    World,
    done,
    load_world,
    member_rows,
)
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import UnitKind
from minqing.orgs.models import Unit
from minqing.orgs.services.people import people_bulk_create


@register_stage(
    "seed_ulanhot2019", label=_("乌兰浩特市主题教育回放"), tiers=("seed", "city", "region"), order=160
)
@transaction.atomic
def load_ulanhot2019(ctx: DemoContext) -> dict[str, int]:
    city = Unit.objects.filter(code=ULANHOT_CODE).first()
    if city is None or done(Campaign.objects.filter(name=NAME).first()):
        return {"activities": 0}
    notes = Notes(str(_("乌兰浩特市主题教育回放说明")))
    campaign = campaign_get_or_create(
        name=NAME, kind=CampaignKind.THEMED, scope=city, start=START, end=END, notes=notes
    )
    people = people_bulk_create(actor=SYSTEM, rows=member_rows(ctx, city), source="demo-replay").created
    world = load_world(city)
    acts = study.plan(ctx, world)
    activities, attendance = write_activities(acts, campaign, code_offset=CODE_OFFSET)
    counts = work.load(ctx, world, campaign)
    notes_for(world, notes)
    notes.write(ctx)
    notes.print_in_bulletins(campaign)
    return {"people": people, "activities": activities, "attendance": attendance, **counts}


def notes_for(world: World, notes: Notes) -> None:
    villages = len(world.all_villages)
    article = ARTICLE_ULANHOT["orgs.following.village"]
    if villages != article:
        notes.add(
            f"嘎查村和社区党组织紧密跟进:原文 {article} 个;现行区划(2023)中 "
            f"{len(world.towns)} 个镇和街道下有 {villages} 个嘎查村和社区,"
            f"回放中全部开展了活动,故为 {villages} 个"
        )
    if world.others:
        names = "、".join(u.name for u in world.others)
        n = Unit.objects.filter(any_prefix_q([o.path for o in world.others]), kind=UnitKind.VILLAGE).count()
        notes.add(
            f"{names}是镇和街道以外的乡级单位(其下 {n} 个村级单位),"
            "不在原文“14个镇和街道”之列,回放中未组织活动;"
            "它们若组织活动,指标会把其党组织按乡级单位计入“镇和街道”"
        )

"""The registry: every metric id of SEED_FIGURES.md, its definition, evaluation and the default campaign."""

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from django.http import Http404

from minqing.campaigns.services import campaign_create
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import UserFactory, grant
from minqing.reports.metrics import (
    METRICS,
    MODULES,
    MetricContext,
    compute,
    compute_all,
    default_campaign,
    load_all,
)
from minqing.reports.tests.test_metrics_world import AS_OF, MetricWorld, day, make_world

# every id of SEED_FIGURES.md (the bulletin's JSON keys)
SEED_IDS = [
    "research.topics.key",
    "research.interviews.person_times",
    "problems.public_self.count",
    "problems.public_self.on_the_spot",
    "problems.petition_backlog.resolved",
    "problems.prominent.resolved",
    "supervision.groups",
    "supervision.rounds.min_per_group",
    "orgs.following.agency",
    "orgs.following.township",
    "orgs.following.village",
    "orgs.following.non_public",
    "study.reading_class.sessions",
    "study.reading_class.people",
    "study.seminar.sessions",
    "study.seminar.person_times",
    "study.exemplar.sessions",
    "study.exemplar.person_times",
    "study.tutorial_lecture.sessions",
    "study.tutorial_lecture.person_times",
    "problems.public.count",
    "problems.public.on_the_spot",
    "problems.public.rectifying",
    "research.leaders_without_report",
    "plans.reviewed.county",
    "plans.reviewed.department",
    "lectures.secretaries_without_lecture",
    "lectures.other_members.people",
    "study.special_seminar.sessions",
    "study.central_group.sessions",
    "study.weekend_lecture.person_times",
    "study.branch_study.person_times",
    "programme.funds",
    "programme.target.housing.quantity",
    "programme.target.housing.share",
    "programme.target.village_cleanup.quantity",
    "programme.target.village_cleanup.share",
    "programme.target.road_paving.quantity",
    "programme.target.road_paving.share",
    "programme.target.clinic.quantity",
    "programme.target.clinic.share",
    "programme.target.culture_room.quantity",
    "programme.target.culture_room.share",
    "programme.target.shop.quantity",
    "programme.target.shop.share",
    "demonstration.covered.county",
    "demonstration.covered.township",
    "demonstration.covered.agency",
    "demonstration.covered.enterprise",
    "demonstration.covered.village",
    "demonstration.covered.grid",
    "demonstration.households",
    "plans.filed",
    "study.mobilisation.sessions",
    "demonstration.cadres",
    "visits.contact_points.person_times",
    "catalogue.power.departments",
    "catalogue.power.categories",
    "catalogue.power.items",
    "reforms.measures",
    "reforms.results",
    "reforms.key",
    "reforms.key_with_staged_result",
    "commendations.count",
]


def test_every_seed_figure_is_registered_with_its_words() -> None:
    load_all()
    assert len(SEED_IDS) == len(set(SEED_IDS)) == 64
    assert set(SEED_IDS) <= set(METRICS)
    for mid in SEED_IDS:
        m = METRICS[mid]
        assert str(m.label) and str(m.definition).endswith("。"), mid
        assert m.kind in ("count", "share", "amount"), mid
        assert bool(str(m.word)) == (m.kind != "share"), mid  # a share has no counting word
        assert m.group == mid.split(".")[0]
    assert (
        METRICS["study.seminar.sessions"].word == "场"
        and METRICS["study.reading_class.sessions"].word == "次"
    )
    assert METRICS["programme.funds"].kind == "amount" and str(METRICS["programme.funds"].word) == "亿元"
    assert len(MODULES) == 11


@pytest.mark.django_db
def test_compute_all_on_an_empty_world_gives_zeros() -> None:
    mw = make_world()
    values = compute_all(mw.u["county"], AS_OF, mw.campaign, actor=SYSTEM)
    assert list(values) == list(METRICS)
    for mid, v in values.items():
        assert v.value == 0, mid
        assert isinstance(v.value, Decimal if v.metric.kind != "count" else int), mid


@pytest.mark.django_db
def test_compute_refuses_unknown_ids_and_units_out_of_the_actor_scope() -> None:
    mw = make_world()
    ctx = MetricContext(unit=mw.u["county"], as_of=AS_OF, campaign=mw.campaign, actor=SYSTEM)
    with pytest.raises(KeyError):
        compute(ctx, ["study.nope.sessions"])
    staff = cast(User, UserFactory(username="a_staff"))
    grant(staff, Role.UNIT_STAFF, mw.u["town_a"])
    mine = MetricContext(unit=mw.u["town_a"], as_of=AS_OF, campaign=mw.campaign, actor=staff)
    assert compute(mine, ["problems.public.count"])["problems.public.count"].value == 0
    for unit in ("county", "town_b"):  # above the actor's unit, and a sibling
        ctx = MetricContext(unit=mw.u[unit], as_of=AS_OF, campaign=mw.campaign, actor=staff)
        with pytest.raises(Http404):
            compute(ctx, ["problems.public.count"])


@pytest.fixture
def campaigns(db: Any) -> MetricWorld:
    return make_world()  # 主题教育 (the city, 2019-09-01 .. 2020-01-31), 其他专题 (the county, open)


def test_default_campaign_is_the_most_specific_running_one(campaigns: MetricWorld) -> None:
    mw = campaigns
    u = mw.u
    # the county's own (其他专题, open-ended) beats the city's; below the county, the county's too
    assert default_campaign(u["county"], AS_OF) == mw.other
    assert default_campaign(u["village_a"], AS_OF) == mw.other
    # the city: its own campaign; the sibling county: the city's (the nearest scope above it)
    assert default_campaign(u["prefecture"], AS_OF) == mw.campaign
    assert default_campaign(u["sibling"], AS_OF) == mw.campaign
    # after the city's campaign ended only the county's runs; the province sees the shallowest below
    assert default_campaign(u["sibling"], day(2, 1, 2020)) is None
    assert default_campaign(u["province"], day(2, 1, 2020)) == mw.other
    assert default_campaign(u["province"], AS_OF) == mw.campaign
    # not started yet
    assert default_campaign(u["sibling"], day(8, 31)) is None
    # of two running at the same scope, the one started later
    later = campaign_create(actor=SYSTEM, name="新专题", scope=u["prefecture"], start_date=day(10, 1))
    assert default_campaign(u["sibling"], AS_OF) == later
    assert default_campaign(u["sibling"], dt.date(2019, 9, 30)) == mw.campaign

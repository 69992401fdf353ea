"""The two default templates seeded by the migration: their placeholders are exactly the seed
articles' figures (SEED_FIGURES.md), every one a registered metric, and they render with the
real metrics on a small world."""

import datetime as dt
import json
import re

import pytest

from minqing.campaigns.models import CampaignKind
from minqing.campaigns.services import campaign_create
from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import Unit
from minqing.orgs.tests.factories import small_tree
from minqing.reports.bulletins.renderers import render
from minqing.reports.bulletins.services import bulletin_generate, template_errors
from minqing.reports.bulletins.templating import metric_ids, placeholders
from minqing.reports.metrics.registry import METRICS, load_all
from minqing.reports.models import BulletinTemplate

pytestmark = pytest.mark.django_db

TARGETS = ("housing", "village_cleanup", "road_paving", "clinic", "culture_room", "shop")
ULANHOT = {
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
}
ULANQAB = {
    "plans.reviewed.county",
    "plans.reviewed.department",
    "lectures.secretaries_without_lecture",
    "lectures.other_members.people",
    "study.special_seminar.sessions",
    "study.central_group.sessions",
    "study.weekend_lecture.person_times",
    "study.branch_study.person_times",
    "programme.funds",
    *(f"programme.target.{t}.{part}" for t in TARGETS for part in ("quantity", "share")),
    *(
        f"demonstration.covered.{k}"
        for k in ("county", "township", "agency", "enterprise", "village", "grid")
    ),
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
}


def seeded(kind: str) -> BulletinTemplate:
    return BulletinTemplate.objects.get(kind=kind)


@pytest.mark.parametrize(
    ("kind", "expected"), [(CampaignKind.THEMED, ULANHOT), (CampaignKind.SPECIAL, ULANQAB)]
)
def test_seeded_templates_print_exactly_the_seed_figures(kind, expected):
    t = seeded(kind)
    assert set(metric_ids([t.title, t.body])) == expected
    # no typed figure: once the placeholders are taken out, no digit is left
    bare = re.sub(r"\{[^{}]*\}", "", t.title + t.body)
    assert not re.search(r"[0-9]", bare), bare
    assert {p.name for p in placeholders([t.title]) if p.is_fact} == {"unit", "campaign"}


def test_seeded_templates_copy_the_articles_sentences():
    ulanhot, ulanqab = seeded(CampaignKind.THEMED).body, seeded(CampaignKind.SPECIAL).body
    assert (
        "{whole}各级共举办读书班{study.reading_class.sessions}次,参学{study.reading_class.people}人;"
        "举办研讨{study.seminar.sessions}场、{study.seminar.person_times}人次;" in ulanhot
    )
    assert (
        "共收到群众反映问题{problems.public.count}条,{problems.public.on_the_spot}条已经立行立改,"
        "{problems.public.rectifying}条正在整改中。" in ulanhot
    )
    assert (
        "街巷硬化在建及完工{programme.target.road_paving.quantity}公里,占计划的{programme.target.road_paving.share};"
        in (ulanqab)
    )
    assert "联系城乡居民{demonstration.households:万}万户" in ulanqab
    # the articles' words when nobody is left (migration 0002)
    assert "书记讲专题党课{lectures.secretaries_without_lecture|全部结束|尚未讲完,还有#人未讲}," in ulanqab
    assert "{research.leaders_without_report|每名处级领导干部均形成了调研报告|" in ulanhot


@pytest.mark.parametrize("kind", [CampaignKind.THEMED, CampaignKind.SPECIAL])
def test_every_placeholder_is_a_registered_metric(kind):
    load_all()
    t = seeded(kind)
    assert template_errors(t.title, t.body) == []
    assert all(mid in METRICS for mid in metric_ids([t.body]))


def test_the_real_metrics_render_the_seeded_templates():
    u = small_tree()
    campaign = campaign_create(
        actor=SYSTEM,
        name="“三严三实”专题教育",
        scope=u["prefecture"],
        start_date=dt.date(2015, 5, 11),
        kind=CampaignKind.SPECIAL,
    )
    doc = bulletin_generate(actor=SYSTEM, unit=u["prefecture"], as_of=dt.date(2015, 6, 30), campaign=campaign)
    assert doc.title == "乌兰察布市开展“三严三实”专题教育情况简报"
    assert doc.paragraphs[0] == "对0个旗县市区和0个市直部门单位的“三严三实”专题教育工作方案进行了审核把关。"
    assert "全市各级党委已开展专题研讨0次，" in doc.text  # {whole}: 全市 for 乌兰察布市, full-width comma
    assert "{" not in doc.text and "}" not in doc.text
    data = json.loads(render(doc, "json"))
    load_all()
    assert set(METRICS) <= set(data)
    assert all(isinstance(data[mid], int | float) for mid in METRICS)


# the seeded templates name the area by the unit (issue 15, item 7), never always 全市
COUNTIES = [
    ("150929000000", "四子王旗", "全旗", "旗委派出"),
    ("150922000000", "化德县", "全县", "县委派出"),
    ("150902000000", "集宁区", "全区", "区委派出"),
    ("152201000000", "乌兰浩特市", "全市", "市委派出"),
]


@pytest.mark.parametrize(("code", "name", "whole", "party"), COUNTIES)
def test_a_county_level_bulletin_names_its_area(code, name, whole, party):
    from minqing.orgs.enums import UnitKind
    from minqing.orgs.tests.factories import UnitRow, make_units

    small_tree()  # 集宁区 is in it; the others join it (乌兰浩特市 under the province, for brevity)
    parent = "150000000000" if code.startswith("1522") else "150900000000"
    make_units([UnitRow(code, name, UnitKind.COUNTY, parent, division_code=code)])
    county = Unit.objects.get(code=code)
    themed = campaign_create(
        actor=SYSTEM, name="主题教育", scope=county, start_date=dt.date(2019, 9, 1), kind=CampaignKind.THEMED
    )
    doc = bulletin_generate(actor=SYSTEM, unit=county, as_of=dt.date(2019, 12, 20), campaign=themed)
    text = doc.text
    assert f"{whole}66" not in text  # no typed figure anywhere
    assert f"{party}0个指导组" in text
    assert f"{whole}0个机关及直属单位" in text and f"目前，{whole}共确定重点调研课题0个" in text
    others = {"全旗", "全县", "全区", "全市"} - {whole}
    assert not any(w in text for w in others), text
    # full-width Chinese punctuation throughout, half-width nowhere next to Chinese text
    assert "，" in text and "；" in text and "。" in text
    assert not re.search(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]", text), text

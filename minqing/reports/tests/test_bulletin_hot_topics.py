"""``{hot_topics}`` in a bulletin template: the top hot topics of the unit's subtree over the 30
days up to the as-of date, in one sentence; worked out only when a template prints it."""

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from minqing.campaigns.models import Campaign
from minqing.core.errors import ErrorCode
from minqing.ledger.tests.conftest import LedgerWorld, fast_hasher, lw  # noqa: F401 (fixtures)
from minqing.nlp.tests.test_hot_topics_ledger import LAMP, WATER, submit
from minqing.orgs.actors import SYSTEM
from minqing.reports.bulletins import services
from minqing.reports.bulletins.services import bulletin_generate, template_errors
from minqing.reports.models import BulletinTemplate

BODY = "截至{as_of},{whole}情况如下。\n{hot_topics}"


@pytest.fixture(autouse=True)
def _no_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(lw: LedgerWorld) -> LedgerWorld:  # noqa: F811 (the fixture imported above)
    for t in LAMP:
        submit(lw, "village_a", t, days_ago=2)
    for t in WATER[:2]:
        submit(lw, "village_b", t, days_ago=3)
    submit(lw, "village_b", WATER[2], days_ago=45)  # before the 30 days
    submit(lw, "village_a", "学校食堂饭菜质量差", days_ago=2)
    return lw


def generate(w: LedgerWorld, unit: str, body: str = BODY, as_of: dt.date | None = None) -> Any:
    campaign = Campaign.objects.create(
        name=f"专题{unit}", scope=w.u["county"], path=w.u["county"].path, start_date=dt.date(2019, 1, 1)
    )
    template = BulletinTemplate(kind=campaign.kind, title="{unit}简报", body=body)
    return bulletin_generate(
        unit=w.u[unit],
        as_of=as_of or timezone.localdate(),
        campaign=campaign,
        template=template,
        actor=SYSTEM,
    )


def test_the_sentence_cites_the_top_topics_of_the_last_30_days(world: LedgerWorld) -> None:
    doc = generate(world, "county")
    cited = doc.paragraphs[-1]
    first = timezone.localdate() - dt.timedelta(days=29)
    assert cited.startswith(f"近30日（{first.year}年{first.month}月{first.day}日至")
    assert "群众反映较集中的问题有2个：一是“" in cited and "；二是“" in cited and "三是" not in cited
    # the lamp: three messages in village A; the water main: the two of the period in village B
    assert "路灯" in cited and world.u["village_a"].name in cited
    assert "自来水" in cited and world.u["village_b"].name in cited
    assert "3条反映、3人" in cited and "2条反映、2人" in cited
    assert cited.index("路灯") < cited.index("自来水")  # hotter first
    assert "食堂" not in cited  # one message is not a topic
    assert cited.endswith("。")


def test_a_units_bulletin_cites_its_own_subtree_only(world: LedgerWorld) -> None:
    cited = generate(world, "town_a").paragraphs[-1]
    assert "有1个：一是“" in cited and "路灯" in cited and "自来水" not in cited


def test_no_topic_in_the_period_is_said_so(world: LedgerWorld) -> None:
    cited = generate(world, "county", as_of=timezone.localdate() - dt.timedelta(days=200)).paragraphs[-1]
    assert cited.endswith("没有多人集中反映同一问题的情况。")


def test_a_template_without_it_never_groups_messages(world: LedgerWorld, monkeypatch: Any) -> None:
    def refuse(*args: Any) -> str:
        raise AssertionError("hot topics worked out for a template that does not print them")

    monkeypatch.setattr(services, "hot_topics_sentence", refuse)
    doc = generate(world, "county", body="截至{as_of},{whole}情况如下。")
    assert doc.paragraphs[0].startswith("截至")
    with pytest.raises(AssertionError):
        generate(world, "town_a")


def test_templates_may_use_it_as_a_fact_without_modifiers() -> None:
    assert template_errors("{unit}", BODY) == []
    (error,) = template_errors("{unit}", "{hot_topics:万}")
    assert error.code is ErrorCode.BULLETIN_BAD_PLACEHOLDER


def test_a_label_with_quotes_of_its_own_takes_single_ones_inside() -> None:
    from minqing.nlp.topics.cluster import Topic
    from minqing.reports.bulletins.topics import sentence

    t0 = dt.datetime(2019, 12, 1)
    topic = Topic(1, 3.0, "卫星村“两不愁三保障”台账不一致", "新桥社区", t0, t0, 6, 6, [])
    cited = sentence([topic], dt.date(2019, 11, 21), dt.date(2019, 12, 20))
    assert cited == (
        "近30日（2019年11月21日至2019年12月20日）群众反映较集中的问题有1个："
        "一是“卫星村‘两不愁三保障’台账不一致”（新桥社区，6条反映、6人）。"
    )

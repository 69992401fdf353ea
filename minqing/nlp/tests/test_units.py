"""The gazetteer of unit names and ``suggest_units``: short forms, longest match, ambiguity resolved
by the place and the clerk's scope, past routing, the actor's scope, rebuilds when units change."""

from typing import Any

import pytest

from minqing.ledger.enums import Channel
from minqing.ledger.models import Category, Problem
from minqing.ledger.services.intake import feedback_submit
from minqing.nlp import units as gz
from minqing.nlp.units import aliases, suggest_units
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role, UnitKind
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import UserFactory, grant, make_units, small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    gz.invalidate()
    u = small_tree()
    K = UnitKind
    more = make_units(
        [
            # a second 红旗村, in another township of the same county: an ambiguous name
            UnitRow("150902102000", "马莲渠乡", K.TOWNSHIP, "150902000000", "township", "150902102000"),
            UnitRow("150902102201", "红旗村民委员会", K.VILLAGE, "150902102000", "village", "150902102201"),
            UnitRow(
                "150902102202", "黄花嘎查村民委员会", K.VILLAGE, "150902102000", "village", "150902102202"
            ),
            UnitRow("150902001002", "新华居民委员会", K.VILLAGE, "150902001000", "community", "150902001002"),
        ]
    )
    u["town_c"] = more["150902102000"]
    u["village_c"] = more["150902102201"]
    u["gacha"] = more["150902102202"]
    u["xinhua"] = more["150902001002"]
    yield u
    gz.invalidate()


def test_aliases_of_committees_and_levels():
    assert {"黄花嘎查", "黄花村", "黄花嘎查村民委员会"} <= aliases("黄花嘎查村民委员会")
    assert {"新华社区", "新华居委会"} <= aliases("新华居民委员会")
    assert "新华" not in aliases("新华居民委员会")  # two characters alone: too common a word
    assert {"和平街道", "和平街道办", "和平街道办事处"} <= aliases("和平街道办事处")
    assert {"白海子镇", "白海子"} <= aliases("白海子镇")
    assert "集宁" in aliases("集宁区", UnitKind.COUNTY)
    assert "集宁" not in aliases("集宁区")  # only a county's or prefecture's base stands alone


def test_banners_short_forms() -> None:
    """察哈尔右翼前旗 is 察右前旗 in most letters; 土默特左旗 土左旗; a few by custom."""
    banner = UnitKind.COUNTY
    assert {"察右前旗", "察右前"} <= aliases("察哈尔右翼前旗", banner)
    assert {"科右中旗", "科右中"} <= aliases("科尔沁右翼中旗", banner)
    assert {"科左后旗"} <= aliases("科尔沁左翼后旗", banner)
    assert "土左旗" in aliases("土默特左旗", banner) and "巴左旗" in aliases("巴林左旗", banner)
    assert {"达茂旗", "达茂"} <= aliases("达尔罕茂明安联合旗", banner)
    assert aliases("镶黄旗", banner) == {"镶黄旗", "镶黄"}  # no wing, no position: nothing shorter
    assert "察右前旗" not in aliases("察哈尔右翼前旗")  # a banner's forms are for banners (counties) only
    g = gz.Gazetteer.build([(7, "150926", "察哈尔右翼前旗", "150926000000", UnitKind.COUNTY)])
    assert g.find("察右前旗土贵乌拉镇的路灯坏了") == [("察右前旗", 0)]
    assert [e.name for e in g.units["察右前旗"]] == ["察哈尔右翼前旗"]


def test_short_forms_found_in_text(tree):
    def names(text):
        return [s.name for s in suggest_units(SYSTEM, text, k=5)]

    assert names("新体育场街道办门口的下水道堵了")[0] == "新体育场街道"
    assert names("泉山居委会不管小区垃圾")[0] == "泉山社区"
    assert names("白海子那边的路坏了")[0] == "白海子镇"
    assert names("黄花村的牧道被占")[0] == "黄花嘎查村民委员会"
    assert names("新华社区停水")[0] == "新华居民委员会"
    assert names("今天天气不错") == []


def test_longest_match_wins(tree):
    g = gz.gazetteer()
    assert [n for n, _i in g.find("新体育场街道办事处")] == ["新体育场街道办事处"]
    assert [n for n, _i in g.find("白海子镇红旗村")] == ["白海子镇", "红旗村"]


def test_reason_names_the_mention(tree):
    (first, *_rest) = suggest_units(SYSTEM, "泉山社区路灯不亮")
    assert first.unit_id == tree["village_a"].pk
    assert "文中提到 泉山社区" in first.reasons


def test_ambiguous_name_resolved_by_place(tree):
    text = "红旗村的自来水三天没来了"
    near_b = suggest_units(SYSTEM, text, place_unit=tree["town_b"])
    near_c = suggest_units(SYSTEM, text, place_unit=tree["town_c"])
    assert near_b[0].unit_id == tree["village_b"].pk
    assert near_c[0].unit_id == tree["village_c"].pk
    assert "反映人选择的地点 白海子镇" in next(s for s in near_b if s.unit_id == tree["town_b"].pk).reasons
    # no place, the whole county in scope: the name stays unresolved, nothing guessed
    assert all(
        s.unit_id not in (tree["village_b"].pk, tree["village_c"].pk) for s in suggest_units(SYSTEM, text)
    )


def test_ambiguous_name_resolved_by_other_mention(tree):
    got = suggest_units(SYSTEM, "马莲渠乡红旗村的自来水三天没来了")
    assert tree["village_c"].pk in [s.unit_id for s in got]
    assert tree["village_b"].pk not in [s.unit_id for s in got]


def test_ambiguous_name_resolved_by_clerk_scope_and_scope_limits(tree):
    clerk: Any = UserFactory(username="b_clerk")
    grant(clerk, Role.INTAKE, tree["town_b"])
    got = suggest_units(clerk, "红旗村的自来水三天没来了,马莲渠乡也不管")
    ids = [s.unit_id for s in got]
    assert ids[0] == tree["village_b"].pk  # the only 红旗村 in the clerk's subtree
    assert tree["town_c"].pk not in ids  # named, but outside the clerk's scope


def test_past_routing_of_same_category(tree):
    cat = Category.objects.get(level=1, name="城乡建设")
    for i in range(3):
        p = feedback_submit(
            actor=SYSTEM, channel=Channel.ONLINE, title=f"路灯{i}", content="路灯坏了", unit=tree["village_a"]
        ).problem
        assert p is not None
        Problem.objects.filter(pk=p.pk).update(
            category=cat, responsible_unit=tree["town_a"], responsible_path=tree["town_a"].path
        )
    got = suggest_units(SYSTEM, "路灯又坏了", place_unit=tree["town_b"], category=cat.pk)
    routed = next(s for s in got if s.unit_id == tree["town_a"].pk)
    assert "以往同类问题多交办给 新体育场街道(3 件)" in routed.reasons
    other = Category.objects.get(level=1, name="教育文体")
    assert tree["town_a"].pk not in [s.unit_id for s in suggest_units(SYSTEM, "路灯", category=other.pk)]


def test_past_routing_in_the_clerks_county_when_nothing_is_named(tree):
    cat = Category.objects.get(level=1, name="城乡建设")
    p = feedback_submit(
        actor=SYSTEM, channel=Channel.ONLINE, title="路灯", content="路灯坏了", unit=tree["village_b"]
    ).problem
    assert p is not None
    Problem.objects.filter(pk=p.pk).update(
        category=cat, responsible_unit=tree["town_b"], responsible_path=tree["town_b"].path
    )
    clerk: Any = UserFactory(username="county_clerk")
    grant(clerk, Role.INTAKE, tree["county"])
    got = suggest_units(clerk, "路灯又坏了", category=cat.pk)
    assert [s.unit_id for s in got] == [tree["town_b"].pk]
    assert suggest_units(SYSTEM, "路灯又坏了", category=cat.pk) == []  # everywhere: no one county


def test_rebuilt_when_units_are_added_in_bulk(tree, settings):
    settings.NLP_GAZETTEER_CHECK = 0
    assert suggest_units(SYSTEM, "幸福里社区路灯") == []
    make_units([UnitRow("150902001003", "幸福里社区", UnitKind.VILLAGE, "150902001000", "community")])
    assert [s.name for s in suggest_units(SYSTEM, "幸福里社区路灯")] == ["幸福里社区"]


def test_rebuilt_when_a_unit_is_saved(tree):
    v = tree["village_a"]
    v.name = "泉水社区"
    v.save()
    assert [s.name for s in suggest_units(SYSTEM, "泉水社区路灯")] == ["泉水社区"]


def test_rebuilt_after_ttl(tree, settings):
    g = gz.gazetteer()
    assert gz.gazetteer() is g
    settings.NLP_GAZETTEER_TTL = 0
    assert gz.gazetteer() is not g

"""Duplicates at intake (issue 13, part 3): the registered problem's page lists the most similar
open problems within the clerk's reach, with the score and the differing words, and merges with
one click through the workflow; the intake page lists them before registering; a request never
waits for a large index build."""

from typing import Any

import pytest
from django.urls import reverse

from minqing.ledger.enums import Channel, State
from minqing.ledger.models import Feedback, Problem
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.nlp import units as gz
from minqing.nlp.duplicates import service
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Role
from minqing.orgs.models import Unit
from minqing.orgs.tests.factories import UserFactory, grant, small_tree

pytestmark = pytest.mark.django_db

URL = reverse("ledger:intake") + f"?channel={Channel.CALL}"
LAMP = "泉山社区东门路灯坏了三个月,晚上出行很不方便,老人摔倒过两次"
CALL = {
    "title": "泉山社区东门的路灯不亮",
    "content": "来电人称泉山社区东门那几盏路灯坏了好几个月没人修,天黑以后老人出门摔倒过两次",
}


@pytest.fixture(autouse=True)
def _fresh() -> Any:
    gz.invalidate()
    service.reset_index()
    yield
    service.reset_index()
    gz.invalidate()


def posted(unit: Unit, title: str, content: str) -> Problem:
    fb = feedback_submit(
        actor=SYSTEM,
        channel=Channel.ONLINE,
        title=title,
        content=content,
        unit=unit,
        reporter=Reporter(name="张三", phone="13900002222"),
    )
    assert fb.problem is not None
    return fb.problem


@pytest.fixture
def world() -> Any:
    u = small_tree()
    clerk = UserFactory(username="clerk")
    grant(clerk, Role.INTAKE, u["town_a"])  # 新体育场街道 and below: not 红旗村
    staff = UserFactory(username="staff")
    grant(staff, Role.UNIT_STAFF, u["town_a"])  # registers, but does not dispatch or merge
    lamp_a = posted(u["village_a"], "泉山社区东门路灯不亮", LAMP)
    lamp_b = posted(u["village_b"], "红旗村东门路灯不亮", LAMP.replace("泉山社区", "红旗村"))
    posted(u["village_a"], "小区垃圾没人清运", "泉山社区3号楼旁垃圾堆了一周没人清运,气味很大")
    closed = posted(u["village_a"], "泉山社区东门路灯坏了", LAMP + "。")
    Problem.objects.filter(pk=closed.pk).update(state=State.CLOSED)
    return {"u": u, "clerk": clerk, "staff": staff, "a": lamp_a, "b": lamp_b, "closed": closed}


def register(client: Any, unit: Unit) -> Problem:
    r = client.post(URL, {"urgency": "normal", "caller": "0474-8888888", "unit_code": unit.code, **CALL})
    assert r.status_code == 302, r.content.decode()[:2000]
    return Problem.objects.latest("pk")


def test_the_registered_problem_lists_similar_open_problems_in_reach(client: Any, world: Any) -> None:
    client.force_login(world["clerk"])
    new = register(client, world["u"]["village_a"])
    r = client.get(reverse("ledger:detail", args=[new.number]))
    dups = r.context["duplicates"]
    assert dups.ready
    # the same matter in 红旗村 is outside the clerk's subtree; the closed one is not open
    assert [d.similar.problem.pk for d in dups.items] == [world["a"].pk]
    d = dups.items[0]
    assert 0.3 <= d.similar.score <= 1 and d.likely == (d.similar.score >= 0.54)
    assert d.merge_from.pk == new.pk and d.merge_into.pk == world["a"].pk and d.merges_this
    assert "来电人称" in d.similar.only_in_message
    page = r.content.decode()
    assert f"相似度 {d.similar.percent}%" in page and "来电人称" in page
    assert world["b"].number not in page and world["closed"].number not in page
    assert f'action="{reverse("ledger:act", args=[new.number, "merge"])}"' in page
    assert f'name="merge-into" value="{world["a"].number}"' in page


def test_one_click_merges_the_later_into_the_earlier(client: Any, world: Any) -> None:
    client.force_login(world["clerk"])
    new = register(client, world["u"]["village_a"])
    url = reverse("ledger:act", args=[new.number, "merge"])
    r = client.post(
        url, {"merge-expected_version": new.version, "merge-into": world["a"].number}, follow=True
    )
    assert r.status_code == 200
    new.refresh_from_db()
    assert new.state == State.MERGED and new.merged_into == world["a"]
    assert Feedback.objects.filter(problem=world["a"]).count() == 2  # the call now under the old one
    page = r.content.decode()
    assert "已完成:合并" in page and "已合并" in page and world["a"].number in page
    assert r.context["duplicates"] is None  # a merged problem offers no more merges


def test_on_the_earlier_problem_the_later_is_merged_into_it(client: Any, world: Any) -> None:
    client.force_login(world["clerk"])
    new = register(client, world["u"]["village_a"])
    r = client.get(reverse("ledger:detail", args=[world["a"].number]))
    d = r.context["duplicates"].items[0]
    assert d.similar.problem.pk == new.pk and d.merge_from.pk == new.pk and not d.merges_this
    assert f'action="{reverse("ledger:act", args=[new.number, "merge"])}"' in r.content.decode()


def test_no_merge_without_the_dispatcher_role(client: Any, world: Any) -> None:
    client.force_login(world["staff"])
    new = register(client, world["u"]["village_a"])
    r = client.get(reverse("ledger:detail", args=[new.number]))
    assert r.status_code == 200 and r.context["duplicates"] is None
    assert "相似的未办结问题" not in r.content.decode()
    before = (new.state, new.version)
    url = reverse("ledger:act", args=[new.number, "merge"])
    r = client.post(url, {"merge-expected_version": new.version, "merge-into": world["a"].number})
    assert r.status_code == 403
    new.refresh_from_db()
    assert (new.state, new.version) == before and new.merged_into is None
    assert Feedback.objects.filter(problem=new).count() == 1


def test_no_merge_into_a_problem_outside_the_subtree(client: Any, world: Any) -> None:
    client.force_login(world["clerk"])
    new = register(client, world["u"]["village_a"])
    url = reverse("ledger:act", args=[new.number, "merge"])
    r = client.post(url, {"merge-expected_version": new.version, "merge-into": world["b"].number})
    assert "找不到该问题编号" in r.content.decode()
    new.refresh_from_db()
    assert new.state == State.REGISTERED and new.merged_into is None
    assert Feedback.objects.filter(problem=world["b"]).count() == 1


def test_the_intake_page_lists_them_and_fills_the_number(client: Any, world: Any) -> None:
    client.force_login(world["clerk"])
    data = {"urgency": "normal", "caller": "0474-8888888", **CALL}
    r = client.post(URL, {**data, "suggest": "1"})
    assert [d.similar.problem.pk for d in r.context["duplicates"].items] == [world["a"].pk]
    page = r.content.decode()
    assert f'name="accept_merge" value="{world["a"].number}"' in page
    assert world["b"].number not in page
    r = client.post(URL, {**data, "accept_merge": world["a"].number})
    assert r.context["form"].initial["merge_number"] == world["a"].number
    # registering without a unit: the form again, with the similar problems still listed
    r = client.post(URL, data)
    assert r.status_code == 200 and r.context["form"].errors
    assert [d.similar.problem.pk for d in r.context["duplicates"].items] == [world["a"].pk]
    assert Problem.objects.count() == 4  # nothing registered yet


def test_a_large_first_build_is_not_done_in_the_request(
    client: Any, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    spawned: list[int] = []
    monkeypatch.setattr(service, "SYNC_ROWS", 2)  # more open problems than a request may index
    monkeypatch.setattr(service._LedgerIndex, "_spawn", lambda self: spawned.append(1))
    client.force_login(world["clerk"])
    new = register(client, world["u"]["village_a"])
    r = client.get(reverse("ledger:detail", args=[new.number]))
    assert r.status_code == 200 and spawned
    assert not r.context["duplicates"].ready and r.context["duplicates"].items == []
    assert "相似问题索引正在建立" in r.content.decode()
    r = client.post(URL, {"urgency": "normal", "caller": "0474-8888888", "suggest": "1", **CALL})
    assert "相似问题索引正在建立" in r.content.decode()

"""``similar_problems``: open problems only, scoped to the actor, kept up to date as problems come."""

from typing import Any

import pytest

from minqing.ledger.enums import Channel, State
from minqing.ledger.models import Problem
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.ledger.tests.conftest import LedgerWorld
from minqing.nlp.duplicates import similar_problems
from minqing.nlp.duplicates.service import reset_index
from minqing.orgs.actors import SYSTEM

LAMP = "泉山社区东门路灯坏了三个月,晚上出行很不方便,老人摔倒过两次"


@pytest.fixture(autouse=True)
def _fresh_index() -> Any:
    reset_index()
    yield
    reset_index()


def register(w: LedgerWorld, unit: str, title: str, content: str, channel: str = Channel.ONLINE) -> Problem:
    fb = feedback_submit(
        actor=SYSTEM,
        channel=channel,
        title=title,
        content=content,
        unit=w.u[unit],
        reporter=Reporter(name="张三", phone="13900002222"),
    )
    assert fb.problem is not None
    return fb.problem


def test_the_matter_posted_online_is_found_for_the_phone_call(lw: LedgerWorld) -> None:
    posted = register(lw, "village_a", "泉山社区东门路灯不亮", LAMP)
    register(lw, "village_a", "小区垃圾没人清运", "泉山社区3号楼旁垃圾堆了一周没人清运,气味很大")
    hits = similar_problems(lw.users["county_office"], "来电人称泉山社区东门的路灯坏了好几个月没人修", k=5)
    assert hits[0].problem.pk == posted.pk
    assert all(h.score < hits[0].score for h in hits[1:])
    assert hits[0].only_in_message  # the differing words are given


def test_scoped_to_the_actor(lw: LedgerWorld) -> None:
    a = register(lw, "village_a", "泉山社区东门路灯不亮", LAMP)
    b = register(lw, "village_b", "红旗村东门路灯不亮", LAMP.replace("泉山社区", "红旗村"))
    query = "东门路灯坏了三个月,晚上出行很不方便"
    seen_by_county = {h.problem.pk for h in similar_problems(lw.users["county_office"], query)}
    assert seen_by_county == {a.pk, b.pk}
    assert {h.problem.pk for h in similar_problems(lw.users["a_staff"], query)} == {a.pk}
    assert {h.problem.pk for h in similar_problems(lw.users["b_staff"], query)} == {b.pk}


def test_only_open_problems_and_new_ones_are_picked_up(lw: LedgerWorld) -> None:
    first = register(lw, "village_a", "泉山社区东门路灯不亮", LAMP)
    office = lw.users["county_office"]
    assert [h.problem.pk for h in similar_problems(office, LAMP)] == [first.pk]
    second = register(lw, "village_a", "泉山社区东门路灯坏了", LAMP + "。")  # after the index was built
    assert {h.problem.pk for h in similar_problems(office, LAMP)} == {first.pk, second.pk}
    Problem.objects.filter(pk=first.pk).update(state=State.CLOSED)
    assert [h.problem.pk for h in similar_problems(office, LAMP)] == [second.pk]


def test_nothing_alike_gives_nothing(lw: LedgerWorld) -> None:
    register(lw, "village_a", "泉山社区东门路灯不亮", LAMP)
    assert similar_problems(lw.users["county_office"], "学校食堂饭菜质量差", min_score=0.54) == []


@pytest.mark.django_db(transaction=True)  # the background build reads on its own connection
def test_a_large_build_runs_in_the_background(lw: LedgerWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    from minqing.nlp.duplicates import find_similar, service

    first = register(lw, "village_a", "泉山社区东门路灯不亮", LAMP)
    register(lw, "village_a", "小区垃圾没人清运", "泉山社区3号楼旁垃圾堆了一周没人清运,气味很大")
    monkeypatch.setattr(service, "SYNC_ROWS", 1)  # more open problems than a request may index
    monkeypatch.setattr(service, "BUILD_CHUNK", 1)  # read one row at a time
    office = lw.users["county_office"]
    answer = find_similar(office, LAMP, min_score=0.3)
    assert not answer.ready and answer.items == []
    assert service._LEDGER.wait(timeout=60)
    assert [h.problem.pk for h in find_similar(office, LAMP, min_score=0.3).items] == [first.pk]
    # a stale index is rebuilt in the background while the current one keeps answering
    second = register(lw, "village_a", "泉山社区东门路灯坏了", LAMP + "。")
    monkeypatch.setattr(service, "REBUILD_SECONDS", -1)
    answer = find_similar(office, LAMP, min_score=0.3)
    assert answer.ready and {h.problem.pk for h in answer.items} == {first.pk, second.pk}
    assert service._LEDGER.wait(timeout=60)
    monkeypatch.setattr(service, "REBUILD_SECONDS", 600)
    assert {h.problem.pk for h in find_similar(office, LAMP, min_score=0.3).items} == {first.pk, second.pk}


@pytest.mark.django_db(transaction=True)
def test_warm_index_builds_ahead_of_the_first_lookup(
    lw: LedgerWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minqing.nlp.duplicates import find_similar, service, warm_index

    first = register(lw, "village_a", "泉山社区东门路灯不亮", LAMP)
    monkeypatch.setattr(service, "SYNC_ROWS", 0)
    assert warm_index(wait=True)
    answer = find_similar(lw.users["county_office"], LAMP, min_score=0.3)
    assert answer.ready and [h.problem.pk for h in answer.items] == [first.pk]

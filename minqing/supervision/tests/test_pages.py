"""Supervision pages: allowed, denied (nothing changed), out of subtree (404 / refused), exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minqing.ledger.enums import Source
from minqing.ledger.models import Problem
from minqing.orgs.actors import SYSTEM
from minqing.supervision.enums import InspectionKind
from minqing.supervision.models import GuidanceGroup, Inspection
from minqing.supervision.tests.conftest import DAY
from minqing.supervision.tests.helpers import snapshot

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def _inspection_post(w, group, unit="town_a", findings=("村务公开栏内容未更新",), **extra):
    data = {
        "group": group.pk,
        "unit_code": w.u[unit].code,
        "date": DAY.isoformat(),
        "kind": InspectionKind.SPOT_CHECK,
        "round": "",
        "notes": "抽查了学习记录",
        "finding-TOTAL_FORMS": "3",
        "finding-INITIAL_FORMS": "0",
        "finding-MIN_NUM_FORMS": "0",
        "finding-MAX_NUM_FORMS": "50",
    }
    for n, text in enumerate(findings):
        data[f"finding-{n}-text"] = text
    data.update(extra)
    return data


def _group_post(w, **extra):
    data = {
        "name": "县委第二指导组",
        "campaign": w.campaign.pk,
        "unit_code": w.u["county"].code,
        "units": f"{w.u['town_a'].code}, {w.u['town_b'].code}",
        "leader": "PC001",
        "deputies": "王副组长",
        "members": "PC002\n退休干部老周",
    }
    data.update(extra)
    return data


def test_anonymous_is_sent_to_login(client, w):
    g = w.group()
    i = w.inspect(g, actor=SYSTEM)
    urls = [
        reverse("supervision:groups"),
        reverse("supervision:group_new"),
        reverse("supervision:group", args=[g.pk]),
        reverse("supervision:group_edit", args=[g.pk]),
        reverse("supervision:inspections"),
        reverse("supervision:inspection_new"),
        reverse("supervision:inspection", args=[i.pk]),
        reverse("supervision:unit_rounds"),
        reverse("supervision:never_inspected"),
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 302 and reverse("login") in r["Location"], url
    before = snapshot()
    r = client.post(reverse("supervision:inspection_new"), _inspection_post(w, g))
    assert r.status_code == 302 and snapshot() == before


def test_menu_and_group_list(client, w):
    g = w.group()
    w.inspect(g, findings=("问题",), actor=SYSTEM)
    html = login(client, w.users["county_office"]).get(reverse("supervision:groups")).content.decode()
    for url in ("groups", "inspection_new", "inspections", "unit_rounds", "never_inspected"):
        assert reverse(f"supervision:{url}") in html
    assert reverse("supervision:group", args=[g.pk]) in html
    assert reverse("supervision:group_new") in html
    assert "共 1 个指导组" in html and "李组长" in html


def test_group_list_is_scoped(client, w):
    g = w.group(units=("town_a",))
    html = login(client, w.users["b_office"]).get(reverse("supervision:groups")).content.decode()
    assert reverse("supervision:group", args=[g.pk]) not in html
    assert client.get(reverse("supervision:group", args=[g.pk])).status_code == 404
    html = login(client, w.users["a_inspector"]).get(reverse("supervision:groups")).content.decode()
    assert reverse("supervision:group", args=[g.pk]) in html
    assert reverse("supervision:group_new") not in html  # not the office


def test_office_creates_a_group_through_the_form(client, w):
    c = login(client, w.users["county_office"])
    assert c.get(reverse("supervision:group_new")).status_code == 200
    r = c.post(reverse("supervision:group_new"), _group_post(w))
    g = GuidanceGroup.objects.get(name="县委第二指导组")
    assert r.status_code == 302 and r["Location"] == reverse("supervision:group", args=[g.pk])
    assert sorted(g.units.values_list("code", flat=True)) == sorted([w.u["town_a"].code, w.u["town_b"].code])
    assert list(g.members.values_list("name", "role")) == [
        ("李组长", "leader"),
        ("王副组长", "deputy"),
        ("赵成员", "member"),
        ("退休干部老周", "member"),
    ]
    html = c.get(r["Location"]).content.decode()
    assert "李组长(组长)" in html and "退休干部老周" in html


@pytest.mark.parametrize("user", ["a_staff", "a_inspector", "viewer", "nobody"])
def test_group_form_is_denied_to_others(client, w, user):
    c = login(client, w.users[user])
    before = snapshot()
    assert c.get(reverse("supervision:group_new")).status_code == 403
    assert c.post(reverse("supervision:group_new"), _group_post(w)).status_code == 403
    assert snapshot() == before


def test_group_form_out_of_subtree_is_refused(client, w):
    c = login(client, w.users["a_office"])
    before = snapshot()
    # the county is above a_office: not a unit of theirs to send a group from
    r = c.post(
        reverse("supervision:group_new"), _group_post(w, units=w.u["town_a"].code, leader="", members="")
    )
    assert r.status_code == 200 and "不在您的管辖范围内" in r.content.decode()
    r = c.post(
        reverse("supervision:group_new"),
        _group_post(w, unit_code=w.u["town_a"].code, units=w.u["town_b"].code, leader="", members=""),
    )
    assert r.status_code == 200 and "找不到这些单位代码" in r.content.decode()
    assert snapshot() == before


def test_group_edit(client, w):
    g = w.group()
    c = login(client, w.users["county_office"])
    r = c.get(reverse("supervision:group_edit", args=[g.pk]))
    assert r.status_code == 200 and "PC001" in r.content.decode()
    data = {
        "name": "改名后的组",
        "units": w.u["town_b"].code,
        "leader": "新组长",
        "deputies": "",
        "members": "",
    }
    r = c.post(reverse("supervision:group_edit", args=[g.pk]), data)
    assert r.status_code == 302
    g.refresh_from_db()
    assert g.name == "改名后的组" and list(g.units.all()) == [w.u["town_b"]]
    # denied: an inspector sees the group but may not edit it; b_office cannot even see another's
    before = snapshot()
    c = login(client, w.users["county_inspector"])
    assert c.get(reverse("supervision:group_edit", args=[g.pk])).status_code == 403
    assert c.post(reverse("supervision:group_edit", args=[g.pk]), data | {"name": "x"}).status_code == 403
    c = login(client, w.users["a_office"])  # sees nothing of a group assigned to town_b only
    assert c.post(reverse("supervision:group_edit", args=[g.pk]), data | {"name": "x"}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("user", ["county_office", "a_inspector", "a_office"])
def test_recording_an_inspection_registers_its_findings(client, w, user):
    g = w.group()
    c = login(client, w.users[user])
    r = c.get(reverse("supervision:inspection_new"), {"group": g.pk, "unit": w.u["town_a"].code})
    assert r.status_code == 200
    html = r.content.decode()
    assert f'value="{w.u["town_a"].code}"' in html and "finding-2-text" in html
    r = c.post(
        reverse("supervision:inspection_new"), _inspection_post(w, g, findings=("问题一", "", "问题三"))
    )
    i = Inspection.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("supervision:inspection", args=[i.pk])
    problems = [f.problem for f in i.findings.all()]
    assert [p.title for p in problems] == ["问题一", "问题三"]
    assert all(p.source == Source.SUPERVISION and p.unit == w.u["town_a"] for p in problems)
    page = c.get(r["Location"])
    html = page.content.decode()
    assert "已记录督导,2 个问题已登记到问题台账" in html
    for p in problems:
        assert reverse("ledger:detail", args=[p.number]) in html
    # the recorder opens the problem in the ledger and sees where it came from
    detail = c.get(reverse("ledger:detail", args=[problems[0].number]))
    assert detail.status_code == 200 and "督导发现" in detail.content.decode()


@pytest.mark.parametrize("user", ["a_staff", "viewer", "nobody"])
def test_recording_is_denied_to_others(client, w, user):
    g = w.group()
    c = login(client, w.users[user])
    before = snapshot()
    assert c.get(reverse("supervision:inspection_new")).status_code == 403
    assert c.post(reverse("supervision:inspection_new"), _inspection_post(w, g)).status_code == 403
    assert snapshot() == before


def test_recording_out_of_subtree_changes_nothing(client, w):
    g = w.group()
    before = snapshot()
    c = login(client, w.users["a_inspector"])
    r = c.post(reverse("supervision:inspection_new"), _inspection_post(w, g, unit="town_b"))
    assert r.status_code == 200 and "不在您的管辖范围内" in r.content.decode()
    # a unit outside the group's assigned units: the service refuses it
    c = login(client, w.users["county_office"])
    g_small = w.group(name="小组", units=("town_a",))
    before = snapshot()
    r = c.post(reverse("supervision:inspection_new"), _inspection_post(w, g_small, unit="town_b"))
    assert r.status_code == 200 and "不在指导组“小组”的联系范围内" in r.content.decode()
    assert snapshot() == before


def test_a_permission_error_from_the_service_is_a_403(client, w):
    g = w.group()
    grant_user = w.users["a_staff"]
    from minqing.orgs.enums import Role
    from minqing.orgs.tests.factories import grant

    grant(grant_user, Role.INSPECTOR, w.u["village_a"])  # may record at village_a, not at town_a
    before = snapshot()
    r = login(client, grant_user).post(
        reverse("supervision:inspection_new"), _inspection_post(w, g, unit="town_a")
    )
    assert r.status_code == 403 and "无权操作" in r.content.decode()
    assert snapshot() == before


def test_more_rows_without_javascript(client, w):
    g = w.group()
    c = login(client, w.users["county_office"])
    data = _inspection_post(w, g, findings=("已填写的问题",)) | {"more": "1"}
    before = snapshot()
    r = c.post(reverse("supervision:inspection_new"), data)
    html = r.content.decode()
    assert r.status_code == 200 and "finding-5-text" in html and "已填写的问题" in html
    assert f'value="{w.u["town_a"].code}"' in html and "抽查了学习记录" in html
    # nothing typed yet: more rows, and no "required" errors
    r = c.post(
        reverse("supervision:inspection_new"),
        _inspection_post(w, g, findings=(), unit_code="") | {"group": "", "more": "1"},
    )
    html = r.content.decode()
    assert r.status_code == 200 and "finding-5-text" in html and "errorlist" not in html
    assert snapshot() == before


def test_form_errors_keep_the_input(client, w):
    g = w.group()
    c = login(client, w.users["county_office"])
    before = snapshot()
    r = c.post(
        reverse("supervision:inspection_new"),
        _inspection_post(w, g, kind=InspectionKind.RECORDS_CHECK, findings=("保留的内容",)),
    )
    html = r.content.decode()
    assert r.status_code == 200 and "调阅时请至少选择一类资料" in html and "保留的内容" in html
    assert snapshot() == before
    r = c.post(
        reverse("supervision:inspection_new"),
        _inspection_post(w, g, kind=InspectionKind.RECORDS_CHECK, checked_scripts="on", round="1"),
    )
    assert r.status_code == 302
    assert Inspection.objects.get().records_checked() == ["讲稿"]


def test_inspection_pages_are_scoped(client, w):
    g = w.group()
    i = w.inspect(g, "town_a", findings=("甲镇问题",), actor=SYSTEM)
    j = w.inspect(g, "town_b", findings=("乙镇问题",), actor=SYSTEM)
    c = login(client, w.users["b_office"])
    assert c.get(reverse("supervision:inspection", args=[i.pk])).status_code == 404
    assert c.get(reverse("supervision:inspection", args=[j.pk])).status_code == 200
    html = c.get(reverse("supervision:inspections")).content.decode()
    assert reverse("supervision:inspection", args=[j.pk]) in html
    assert reverse("supervision:inspection", args=[i.pk]) not in html
    r = c.get(reverse("supervision:inspections"), {"unit": w.u["town_a"].code})
    assert r.status_code == 200 and r.context["unit"] != w.u["town_a"]
    assert [m.level_tag for m in r.context["messages"]] == ["error"]
    html = c.get(reverse("supervision:group", args=[g.pk])).content.decode()
    assert "第 1 轮" in html and w.u["town_b"].name in html and w.u["town_a"].name not in html
    assert login(client, w.users["nobody"]).get(reverse("supervision:inspections")).status_code == 404


def test_unit_rounds_and_never_inspected_pages(client, w):
    g = w.group()
    w.inspect(g, "town_a", actor=SYSTEM)
    w.inspect(g, "village_a", actor=SYSTEM)
    c = login(client, w.users["county_office"])
    html = c.get(reverse("supervision:unit_rounds")).content.decode()
    assert "共 2 个单位接受过督导,合计 2 次" in html
    r = c.get(reverse("supervision:never_inspected"))
    assert r.status_code == 200 and "请选择专题" in r.content.decode()
    r = c.get(reverse("supervision:never_inspected"), {"campaign": w.campaign.pk, "level": "village"})
    html = r.content.decode()
    assert "2 个单位中,共 1 个从未接受督导" in html and w.u["village_b"].code in html
    c = login(client, w.users["b_office"])
    r = c.get(reverse("supervision:unit_rounds"), {"unit": w.u["town_a"].code})
    assert r.status_code == 200 and r.context["unit"] != w.u["town_a"]
    assert [m.level_tag for m in r.context["messages"]] == ["error"]
    r = c.get(reverse("supervision:never_inspected"), {"unit": w.u["county"].code})
    assert r.status_code == 200 and r.context["unit"] != w.u["county"]
    assert [m.level_tag for m in r.context["messages"]] == ["error"]
    c = login(client, w.users["nobody"])  # no role: no unit to start from
    for name in ("unit_rounds", "never_inspected", "inspections"):
        assert c.get(reverse(f"supervision:{name}")).status_code == 404, name
    assert c.get(reverse("supervision:group", args=[g.pk])).status_code == 404
    html = c.get(reverse("supervision:groups")).content.decode()
    assert "共 0 个指导组" in html


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_exports(client, w):
    g = w.group()
    w.inspect(g, "town_a", findings=("问题",), actor=SYSTEM)
    c = login(client, w.users["county_office"])
    rows = _csv(c.get(reverse("supervision:groups"), {"format": "csv"}))
    assert (
        rows[0][:2] == ["指导组名称", "专题"]
        and rows[1][0] == g.name
        and rows[1][-3:] == ["1", "1", "2019-10-08"]
    )
    rows = _csv(c.get(reverse("supervision:inspections"), {"format": "csv"}))
    assert rows[1][:5] == [g.name, "主题教育", "1", "2019-10-08", w.u["town_a"].code] and rows[1][-1] == "1"
    rows = _csv(c.get(reverse("supervision:unit_rounds"), {"format": "csv"}))
    assert rows == [
        ["单位代码", "单位名称", "类别", "督导次数", "轮次", "最近督导日期", "督导方式"],
        [w.u["town_a"].code, w.u["town_a"].name, "乡级(镇/乡/苏木/街道)", "1", "1", "2019-10-08", "随机抽查"],
    ]
    r = c.get(
        reverse("supervision:never_inspected"),
        {"campaign": w.campaign.pk, "level": "township", "format": "xlsx"},
    )
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["单位代码", "单位名称", "类别", "细类"],
        [w.u["town_b"].code, w.u["town_b"].name, "乡级(镇/乡/苏木/街道)", "镇"],
    ]
    assert c.get(reverse("supervision:groups"), {"format": "pdf"}).status_code == 400
    # exports are scoped like the pages
    rows = _csv(login(client, w.users["b_office"]).get(reverse("supervision:inspections"), {"format": "csv"}))
    assert len(rows) == 1
    assert Problem.objects.count() == 1


def test_exports_in_english(client, w):
    g = w.group()
    w.inspect(g, "town_a", findings=("问题",), actor=SYSTEM)
    c = login(client, w.users["county_office"])
    c.cookies["django_language"] = "en"
    rows = _csv(c.get(reverse("supervision:unit_rounds"), {"format": "csv"}))
    assert rows[0][:2] == ["Unit code", "Unit name"]
    r = c.get(reverse("supervision:inspections"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["Supervision records"]
    assert [c.value for c in next(book.active.iter_rows())][:2] == ["Guidance group", "Campaign"]

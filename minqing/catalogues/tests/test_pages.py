"""Catalogue pages: allowed, denied (nothing changed), out of subtree (404), anonymous (login),
the upload pages (office only; row errors listed, nothing imported) and the export buttons."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minqing.activities.tests.importing import write
from minqing.catalogues.models import Commendation, PowerItem, ReformMeasure, ReformResult
from minqing.catalogues.services.commendations import commendation_create
from minqing.catalogues.services.powers import power_item_create
from minqing.catalogues.services.reforms import reform_create, reform_result_add
from minqing.catalogues.tests.conftest import snapshot
from minqing.catalogues.tests.test_importers import PH, PROWS
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def _records(cw):
    county_item = power_item_create(
        actor=SYSTEM, unit=cw.u["county_market"], category="licensing", name="食品经营许可"
    )
    city_item = power_item_create(actor=SYSTEM, unit=cw.u["city_police"], category="penalty", name="治安处罚")
    county_reform = reform_create(actor=SYSTEM, unit=cw.u["county_market"], title="商事制度改革", is_key=True)
    city_reform = reform_create(actor=SYSTEM, unit=cw.u["city_police"], title="户籍制度改革")
    reform_result_add(actor=SYSTEM, measure=county_reform, date=dt.date(2015, 6, 1), text="先照后证")
    honour = commendation_create(
        actor=SYSTEM, unit=cw.u["village_a"], person=cw.people["zhang"], title="优秀基层党组织带头人",
        date=dt.date(2015, 7, 1),
    )  # fmt: skip
    city_honour = commendation_create(
        actor=SYSTEM, unit=cw.u["city_police"], name="李四", title="优秀共产党员", date=dt.date(2016, 7, 1)
    )
    return {
        "county_item": county_item,
        "city_item": city_item,
        "county_reform": county_reform,
        "city_reform": city_reform,
        "honour": honour,
        "city_honour": city_honour,
    }


def test_anonymous_is_sent_to_login(client, cw) -> None:
    r = _records(cw)
    urls = [reverse(f"catalogues:{n}") for n in ("index", "powers", "reforms", "commendations")]
    urls += [reverse(f"catalogues:{n}") for n in ("power_new", "reform_new", "commendation_new")]
    urls += [reverse(f"catalogues:{n}") for n in ("power_export", "reform_export", "commendation_export")]
    urls += [reverse(f"catalogues:{n}") for n in ("power_import", "reform_import", "commendation_import")]
    urls += [
        reverse("catalogues:power", args=[r["county_item"].pk]),
        reverse("catalogues:reform", args=[r["county_reform"].pk]),
        reverse("catalogues:commendation", args=[r["honour"].pk]),
    ]
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 302 and reverse("login") in resp["Location"], url
    before = snapshot()
    resp = client.post(
        reverse("catalogues:reform_result_new", args=[r["county_reform"].pk]),
        {"result-date": "2015-07-01", "result-text": "x"},
    )
    assert resp.status_code == 302 and snapshot() == before


def test_index_and_lists_are_scoped_with_counts(client, cw) -> None:
    r = _records(cw)
    c = login(client, cw.users["county_viewer"])
    resp = c.get(reverse("catalogues:index"))
    assert resp.status_code == 200
    ctx = resp.context
    assert (
        ctx["powers"].items,
        ctx["reforms"].measures,
        ctx["reforms"].results,
        ctx["commendations"].count,
    ) == (
        1,
        1,
        1,
        1,
    )
    html = c.get(reverse("catalogues:powers")).content.decode()
    assert "食品经营许可" in html and "治安处罚" not in html
    html = c.get(reverse("catalogues:reforms")).content.decode()
    assert "商事制度改革" in html and "户籍制度改革" not in html
    html = c.get(reverse("catalogues:commendations")).content.decode()
    assert "张三" in html and "李四" not in html
    # another unit's records and a unit filter outside the scope: 404
    assert c.get(reverse("catalogues:power", args=[r["city_item"].pk])).status_code == 404
    assert c.get(reverse("catalogues:reform", args=[r["city_reform"].pk])).status_code == 404
    assert c.get(reverse("catalogues:commendation", args=[r["city_honour"].pk])).status_code == 404
    for name in ("index", "powers", "reforms", "commendations"):  # an inline error, the scope kept
        resp = c.get(reverse(f"catalogues:{name}"), {"unit": "150900-D001"})
        assert resp.status_code == 200 and "治安处罚" not in resp.content.decode(), name
        assert [m.level_tag for m in resp.context["messages"]] == ["error"], name
    assert c.get(reverse("catalogues:power_export"), {"unit": "150900-D001"}).status_code == 404
    # the city office sees both, with filters
    c = login(client, cw.users["city_office"])
    resp = c.get(reverse("catalogues:powers"), {"category": "penalty"})
    assert resp.context["summary"].items == 1 and "治安处罚" in resp.content.decode()
    resp = c.get(reverse("catalogues:reforms"), {"key": "yes"})
    assert [m.title for m in resp.context["page_obj"]] == ["商事制度改革"]
    resp = c.get(reverse("catalogues:commendations"), {"year": "2016"})
    assert [x.name for x in resp.context["page_obj"]] == ["李四"]
    assert resp.context["titles"] == ["优秀共产党员", "优秀基层党组织带头人"]


def test_commendation_pages_show_the_name_never_phone_or_id(client, cw) -> None:
    r = _records(cw)
    c = login(client, cw.users["county_office"])
    for url in (
        reverse("catalogues:commendations"),
        reverse("catalogues:commendation", args=[r["honour"].pk]),
    ):
        html = c.get(url).content.decode()
        assert "张三" in html
        assert "13912345678" not in html and "150902199001011234" not in html and "1391234" not in html


def test_power_create_edit_allowed_denied_out_of_subtree(client, cw) -> None:
    data = {"unit_code": "150900-D001", "category": "licensing", "name": "新许可", "is_active": "on"}
    c = login(client, cw.users["police_staff"])
    resp = c.post(reverse("catalogues:power_new"), data)
    item = PowerItem.objects.get(name="新许可")
    assert resp.status_code == 302 and item.unit == cw.u["city_police"]
    resp = c.post(
        reverse("catalogues:power", args=[item.pk]),
        {"category": "licensing", "name": "新许可", "legal_basis": "依据", "published_on": "2015-06-30"},
    )
    item.refresh_from_db()
    assert resp.status_code == 302 and (item.legal_basis, item.is_active) == ("依据", False)
    before = snapshot()
    # a viewer may not create or edit (403); the county's office gets a 404 for the city's item
    c = login(client, cw.users["county_viewer"])
    assert c.get(reverse("catalogues:power_new")).status_code == 403
    assert c.post(reverse("catalogues:power_new"), {**data, "unit_code": "150902-D001"}).status_code == 403
    c = login(client, cw.users["county_office"])
    resp = c.post(reverse("catalogues:power", args=[item.pk]), {"category": "penalty", "name": "x"})
    assert resp.status_code == 404
    resp = c.post(reverse("catalogues:power_new"), data)  # the city's department: not in the county's scope
    assert resp.status_code == 200 and "不在您的管辖范围内" in resp.content.decode()
    # county staff see the county's department but write only the county itself
    c = login(client, cw.users["county_staff"])
    resp = c.post(reverse("catalogues:power_new"), {**data, "unit_code": "150902-D001"})
    assert resp.status_code == 403
    assert snapshot() == before


def test_reform_detail_results_and_edit(client, cw) -> None:
    r = _records(cw)
    m = r["county_reform"]
    url = reverse("catalogues:reform", args=[m.pk])
    add = reverse("catalogues:reform_result_new", args=[m.pk])
    c = login(client, cw.users["county_office"])
    html = c.get(url).content.decode()
    assert "先照后证" in html and "记录改革成果" in html
    resp = c.post(add, {"result-date": "2015-07-01", "result-text": "注册资本认缴"})
    assert resp.status_code == 302 and m.results.count() == 2
    resp = c.post(add, {"result-date": "2015-07-01", "result-text": "注册资本认缴"})  # the same again
    assert resp.status_code == 200 and "已记录相同的改革成果" in resp.content.decode()
    resp = c.post(url, {"title": m.title, "status": "completed", "is_key": "on"})
    m.refresh_from_db()
    assert resp.status_code == 302 and m.status == "completed"
    c = login(client, cw.users["county_viewer"])
    html = c.get(url).content.decode()
    assert "注册资本认缴" in html and "记录改革成果" not in html
    before = snapshot()
    assert c.post(add, {"result-date": "2015-07-02", "result-text": "越权"}).status_code == 403
    assert c.post(url, {"title": "越权", "status": "not_started"}).status_code == 403
    c = login(client, cw.users["b_office"])
    assert c.post(add, {"result-date": "2015-07-02", "result-text": "越权"}).status_code == 404
    assert snapshot() == before
    c = login(client, cw.users["city_office"])
    resp = c.post(
        reverse("catalogues:reform_new"),
        {"unit_code": "150900-D002", "title": "新举措", "status": "in_progress"},
    )
    assert resp.status_code == 302 and ReformMeasure.objects.filter(title="新举措").exists()


def test_commendation_create_and_edit(client, cw) -> None:
    c = login(client, cw.users["county_office"])
    data = {
        "person_number": "PA001",
        "unit_code": "150902001001",
        "title": "优秀共产党员",
        "date": "2016-07-01",
    }
    resp = c.post(reverse("catalogues:commendation_new"), data)
    row = Commendation.objects.get()
    assert resp.status_code == 302 and (row.name, row.person) == ("张三", cw.people["zhang"])
    resp = c.post(reverse("catalogues:commendation_new"), {**data, "person_number": ""})
    assert resp.status_code == 200 and "请填写姓名或人员编号" in resp.content.decode()
    resp = c.post(
        reverse("catalogues:commendation", args=[row.pk]),
        {"person_number": "PA001", "title": "优秀共产党员", "date": "2016-07-01", "awarded_by": "市委"},
    )
    row.refresh_from_db()
    assert resp.status_code == 302 and row.awarded_by == "市委"
    before = snapshot()
    c = login(client, cw.users["county_viewer"])
    assert (
        c.post(reverse("catalogues:commendation", args=[row.pk]), {**data, "title": "x"}).status_code == 403
    )
    c = login(client, cw.users["b_office"])
    assert (
        c.post(reverse("catalogues:commendation", args=[row.pk]), {**data, "title": "x"}).status_code == 404
    )
    assert snapshot() == before


def test_commendation_decision_date_shown_and_edited(client, cw) -> None:
    c = login(client, cw.users["county_office"])
    data = {
        "name": "赵六",
        "unit_code": "150902001001",
        "title": "优秀基层党组织带头人",
        "date": "2015-07-01",
        "decided_on": "2015-06-29",
    }
    html = c.get(reverse("catalogues:commendation_new")).content.decode()
    assert 'name="decided_on"' in html and "表彰决定日期" in html
    resp = c.post(reverse("catalogues:commendation_new"), data)
    row = Commendation.objects.get()
    assert resp.status_code == 302 and row.decided_on == dt.date(2015, 6, 29)
    html = c.get(reverse("catalogues:commendation", args=[row.pk])).content.decode()
    assert "2015-06-29" in html and 'value="2015-06-29"' in html  # the facts and the edit form
    assert "2015-06-29" in c.get(reverse("catalogues:commendations")).content.decode()
    # a decision after the 表彰日期: the form says so on the field, nothing changes
    before = snapshot()
    resp = c.post(reverse("catalogues:commendation", args=[row.pk]), {**data, "decided_on": "2015-07-02"})
    assert resp.status_code == 200 and "晚于表彰日期 2015-07-01" in resp.content.decode()
    assert resp.context["form"].errors["decided_on"]
    late = {**data, "name": "钱七", "decided_on": "2015-07-02"}
    resp = c.post(reverse("catalogues:commendation_new"), late)
    assert resp.status_code == 200 and snapshot() == before
    # cleared on edit
    resp = c.post(reverse("catalogues:commendation", args=[row.pk]), {**data, "decided_on": ""})
    row.refresh_from_db()
    assert resp.status_code == 302 and row.decided_on is None


def _upload(c, name, path):
    with path.open("rb") as f:
        return c.post(reverse(f"catalogues:{name}"), {"file": SimpleUploadedFile(path.name, f.read())})


def test_upload_pages_office_only(client, cw, tmp_path) -> None:
    path = write(tmp_path / "p.xlsx", PH, PROWS)
    before = snapshot()
    for user in ("county_viewer", "police_staff", "nobody"):
        c = login(client, cw.users[user])
        for name in ("power_import", "reform_import", "commendation_import"):
            assert c.get(reverse(f"catalogues:{name}")).status_code == 403, (user, name)
        assert _upload(c, "power_import", path).status_code == 403
    assert snapshot() == before
    c = login(client, cw.users["city_office"])
    resp = c.get(reverse("catalogues:power_import"))
    assert resp.status_code == 200 and "部门代码" in resp.content.decode()
    resp = _upload(c, "power_import", path)
    assert resp.status_code == 200 and "新增 3 条" in resp.content.decode()
    assert PowerItem.objects.count() == 3
    resp = _upload(c, "power_import", path)
    assert "新增 0 条" in resp.content.decode() and "未变 3 条" in resp.content.decode()


def test_upload_page_lists_row_errors_and_imports_nothing(client, cw, tmp_path) -> None:
    rows = [PROWS[0], ["150900-D001", "", "行政许愿", "甲", "", "", "", ""], PROWS[2]]
    c = login(client, cw.users["county_office"])  # the city's departments are not the county's
    resp = _upload(c, "power_import", write(tmp_path / "bad.csv", PH, rows))
    html = resp.content.decode()
    assert resp.status_code == 200 and "未导入任何数据" in html
    assert (
        "第 2 行,列“部门代码”" in html and "第 3 行,列“权力类别”" in html and "第 4 行,列“部门代码”" in html
    )
    assert PowerItem.objects.count() == 0
    bad = tmp_path / "notes.txt"
    bad.write_text("x")
    resp = _upload(c, "power_import", bad)
    assert "不支持的文件类型" in resp.content.decode() and PowerItem.objects.count() == 0
    resp = c.post(reverse("catalogues:reform_import"), {})
    assert resp.status_code == 200 and ReformResult.objects.count() == 0


def test_export_buttons(client, cw) -> None:
    _records(cw)
    c = login(client, cw.users["county_viewer"])
    html = c.get(reverse("catalogues:powers"), {"category": "licensing"}).content.decode()
    assert f"{reverse('catalogues:power_export')}?category=licensing&amp;format=xlsx" in html
    resp = c.get(reverse("catalogues:power_export"), {"format": "csv"})
    text = resp.content.decode("utf-8-sig")
    assert resp["Content-Type"].startswith("text/csv") and "attachment" in resp["Content-Disposition"]
    assert "食品经营许可" in text and "治安处罚" not in text
    resp = c.get(reverse("catalogues:reform_export"))
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    resp = c.get(reverse("catalogues:commendation_export"), {"format": "csv"})
    assert "张三" in resp.content.decode("utf-8-sig")
    assert c.get(reverse("catalogues:power_export"), {"format": "pdf"}).status_code == 400
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, actor=cw.users["county_viewer"]).count()
        == 3
    )

"""The pages: each endpoint allowed, denied (nothing changed) and out of subtree (404); the upload
page rejects a file with one bad row whole, naming the row; charts, exports and the template."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minqing.activities.tests.importing import write
from minqing.core.models import AuditEvent
from minqing.orgs.actors import SYSTEM
from minqing.programmes.models import Programme, ProgressReport, Target, TargetPlan
from minqing.programmes.tests.test_upload import GOOD, HEADERS
from minqing.programmes.tests.world import World, day, snapshot

pytestmark = pytest.mark.django_db


def login(client, w: World, who: str):
    client.force_login(w.users[who])
    return client


def url(name: str, w: World, *args) -> str:
    return reverse(f"programmes:{name}", args=[w.programme.pk, *args])


def upload_file(tmp_path, rows, name="progress.xlsx"):
    path = write(tmp_path / name, HEADERS, rows)
    return SimpleUploadedFile(name, path.read_bytes())


def test_anonymous_is_sent_to_login(client, w: World):
    urls = [reverse("programmes:list"), reverse("programmes:new")]
    urls += [url(n, w) for n in ("detail", "export", "targets", "report", "upload", "template", "reports")]
    urls.append(url("target", w, "housing"))
    for u in urls:
        r = client.get(u)
        assert r.status_code == 302 and reverse("login") in r["Location"], u


def test_list_is_scoped_and_exports(client, w: World):
    html = login(client, w, "a_staff").get(reverse("programmes:list")).content.decode()
    assert "集宁区十个全覆盖" in html and "共 1 个项目" in html
    html = login(client, w, "z_office").get(reverse("programmes:list")).content.decode()
    assert "集宁区十个全覆盖" not in html and "共 0 个项目" in html
    r = login(client, w, "county_office").get(reverse("programmes:list"), {"format": "csv"})
    lines = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert lines[0][0] == "项目名称" and lines[1][:2] == ["集宁区十个全覆盖", "150902000000"]


def test_detail_prints_shares_drill_down_and_a_chart(client, w: World):
    w.plan("town_a", "road_paving", 60)
    w.plan("town_b", "road_paving", 40)
    w.report("town_a", "road_paving", day(5, 31), 10, 10, 100, actor=SYSTEM)
    w.report("town_a", "road_paving", day(6, 30), "12.5", 30, 300, actor=SYSTEM)
    w.report("town_b", "road_paving", day(6, 30), 0, 32, 200, actor=SYSTEM)
    c = login(client, w, "county_office")
    r = c.get(url("detail", w), {"as_of": "2015-06-30"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "74.5%" in html  # (12.5 + 30 + 32) / 100
    assert (
        "<svg" in html and "街巷硬化进度变化图" in html and "<script>" not in html
    )  # no inline script (the page's scripts are static files)
    assert "as_of=2015-06-30&amp;unit=150902001000#t-road_paving" in html  # drill-down link
    # drill down: town_a's page with its own figures
    html = c.get(url("detail", w), {"unit": "150902001000", "as_of": "2015-06-30"}).content.decode()
    assert "70.8%" in html  # 42.5 / 60
    # a past date sees the past
    html = c.get(url("detail", w), {"as_of": "2015-06-01"}).content.decode()
    assert "20%" in html


def test_detail_is_scoped(client, w: World):
    c = login(client, w, "a_staff")
    r = c.get(url("detail", w))
    assert r.status_code == 200 and "新体育场街道" in r.content.decode()
    assert c.get(url("detail", w), {"unit": w.u["town_b"].code}).status_code == 404
    assert c.get(url("detail", w), {"unit": w.u["county"].code}).status_code == 404
    for name in ("detail", "export", "targets", "reports", "report", "upload"):
        assert login(client, w, "z_office").get(url(name, w)).status_code == 404, name
    assert login(client, w, "norole").get(url("detail", w)).status_code == 404
    assert login(client, w, "z_office").get(url("target", w, "housing")).status_code == 404
    assert login(client, w, "county_office").get(url("target", w, "nothing")).status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_progress_export(client, w: World, fmt):
    w.report("town_a", "shop", day(6, 30), 1, 4, actor=SYSTEM)
    r = login(client, w, "county_office").get(url("export", w), {"format": fmt, "as_of": "2015-06-30"})
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["单位代码", "单位名称", "指标"]
        shop = next(row for row in rows if row[2] == "便民连锁超市" and row[0] == "150902000000")
        assert shop[5:11] == ["20", "1", "4", "5", "25%", "20%"]
    else:
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
        assert ws.cell(1, 1).value == "单位代码"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    assert login(client, w, "county_office").get(url("export", w), {"format": "pdf"}).status_code == 400


def test_programme_new_allowed_denied_out_of_subtree(client, w: World):
    data = {"name": "村村通", "unit_code": "150902000000", "start_date": "2015-01-01"}
    before = snapshot()
    assert login(client, w, "a_staff").post(reverse("programmes:new"), data).status_code == 403
    assert login(client, w, "viewer").get(reverse("programmes:new")).status_code == 403
    r = login(client, w, "z_office").post(reverse("programmes:new"), data)  # another county
    assert r.status_code == 200 and "不在您的管辖范围内" in r.content.decode()
    assert snapshot() == before
    r = login(client, w, "county_office").post(reverse("programmes:new"), data)
    p = Programme.objects.get(name="村村通")
    assert r.status_code == 302 and r["Location"] == reverse("programmes:targets", args=[p.pk])


def test_targets_and_plans(client, w: World):
    data = {
        "key": "clinic",
        "name": "卫生室",
        "measure": "个",
        "plan_quantity": "30",
        "share_basis": "completed",
    }
    before = snapshot()
    assert login(client, w, "a_office").post(url("targets", w), data).status_code == 403
    assert (
        login(client, w, "a_staff").post(url("target", w, "housing"), {"plan-unit_code": "x"}).status_code
        == 403
    )
    assert login(client, w, "z_office").post(url("targets", w), data).status_code == 404
    assert snapshot() == before
    html = login(client, w, "a_staff").get(url("targets", w)).content.decode()
    assert "危房改造" in html and "新增指标" not in html.split("</table>")[1]
    c = login(client, w, "county_office")
    assert c.post(url("targets", w), data).status_code == 302
    assert Target.objects.get(key="clinic").share_basis == "completed"
    r = c.post(url("target", w, "housing"), {"plan-unit_code": "150902001000", "plan-quantity": "600"})
    assert r.status_code == 302
    r = c.post(url("target", w, "housing"), {"plan-unit_code": "150902101000", "plan-quantity": "500"})
    assert r.status_code == 200 and "超过其计划数 1,000" in r.content.decode()
    r = c.post(url("target", w, "housing"), {"plan-unit_code": "150921000000", "plan-quantity": "5"})
    assert "不在本项目" in r.content.decode()
    assert list(TargetPlan.objects.values_list("quantity", flat=True)) == [600]
    html = c.get(url("target", w, "housing")).content.decode()
    assert "新体育场街道" in html and "600" in html
    edit = {
        "name": "危房改造",
        "measure": "户",
        "plan_quantity": "1200",
        "share_basis": "in_progress_plus_completed",
        "modes": "新建、维修加固、转移置换",
    }
    assert c.post(url("target", w, "housing"), edit).status_code == 302
    assert Target.objects.get(key="housing").plan_quantity == 1200


def test_report_form(client, w: World):
    form = {"unit_code": "150902001000", "target": "housing|新建", "date": "2015-06-30",
            "in_progress": "3", "completed": "4", "funds": "5.5"}  # fmt: skip
    before = snapshot()
    assert login(client, w, "viewer").post(url("report", w), form).status_code == 403
    r = login(client, w, "b_staff").post(url("report", w), form)  # another township
    assert r.status_code == 200 and "不在本项目及您的管辖范围内" in r.content.decode()
    assert snapshot() == before
    c = login(client, w, "a_staff")
    assert 'value="150902001000"' in c.get(url("report", w)).content.decode()
    r = c.post(url("report", w), form)
    assert r.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.mode, report.completed, report.reported_by) == ("新建", 4, w.users["a_staff"])
    r = c.post(url("report", w), {**form, "completed": "-1"})
    assert r.status_code == 200 and ProgressReport.objects.get().completed == 4


def test_upload_page_rejects_a_file_with_one_bad_row_whole(client, w: World, tmp_path):
    """Done when: an Excel progress upload with one bad row is rejected whole, with the row named."""
    rows = [*GOOD[:2], ["150902101000", "街巷硬化", "", "2015-06-30", "2.5", "七", "800"], GOOD[3]]
    c = login(client, w, "county_office")
    before = snapshot()
    r = c.post(url("upload", w), {"file": upload_file(tmp_path, rows)})
    html = r.content.decode()
    assert r.status_code == 200
    assert "progress.xlsx 中有 1 处错误,未导入任何数据" in html
    assert "第 4 行,列“完工”:“七”应为不小于 0 的数,最多 2 位小数" in html
    assert snapshot() == before and not ProgressReport.objects.exists()


def test_upload_page_writes_a_good_file_and_shows_a_summary(client, w: World, tmp_path):
    c = login(client, w, "county_office")
    r = c.post(url("upload", w), {"file": upload_file(tmp_path, GOOD, "good.csv")})
    html = r.content.decode()
    assert "导入完成:新增 4 条,更新 0 条,未变 0 条" in html
    assert ProgressReport.objects.count() == 4
    r = c.post(url("upload", w), {"file": SimpleUploadedFile("notes.txt", b"x")})
    assert "请上传 .xlsx 或 .csv 文件" in r.content.decode()


def test_upload_page_denied(client, w: World, tmp_path):
    before = snapshot()
    r = login(client, w, "viewer").post(url("upload", w), {"file": upload_file(tmp_path, GOOD)})
    assert r.status_code == 403
    r = login(client, w, "z_office").post(url("upload", w), {"file": upload_file(tmp_path, GOOD)})
    assert r.status_code == 404
    r = login(client, w, "a_staff").post(url("upload", w), {"file": upload_file(tmp_path, GOOD)})
    assert "无权操作该单位" in r.content.decode()  # town_b's rows
    assert snapshot() == before


def test_template_download_uploads_back(client, w: World, tmp_path):
    from openpyxl import load_workbook

    w.plan("town_a", "road_paving", 60)
    c = login(client, w, "county_office")
    r = c.get(url("template", w))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == [
        "项目名称",
        "单位代码",
        "单位名称",
        "指标",
        "方式",
        "日期",
        "在建",
        "完工",
        "投入资金(万元)",
    ]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == ["150902001000"] * 5  # the one child with a plan; 3 housing modes
    # filled in and uploaded: rows without figures are skipped
    ws.cell(2, 7).value, ws.cell(2, 8).value, ws.cell(2, 9).value = 1, 2, 3
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    r = c.post(url("upload", w), {"file": SimpleUploadedFile("filled.xlsx", path.read_bytes())})
    assert "新增 1 条" in r.content.decode() and "跳过 4 行" in r.content.decode()
    assert login(client, w, "viewer").get(url("template", w)).status_code == 403


def test_reports_list_filters_and_exports(client, w: World):
    w.report("town_a", "road_paving", day(6, 30), 1, 1, actor=SYSTEM)
    w.report("town_b", "road_paving", day(6, 30), 2, 2, actor=SYSTEM)
    w.report("town_b", "shop", day(5, 30), 2, 2, actor=SYSTEM)
    html = login(client, w, "a_staff").get(url("reports", w)).content.decode()
    assert "共 1 条进度报告" in html
    c = login(client, w, "county_office")
    assert "共 3 条进度报告" in c.get(url("reports", w)).content.decode()
    assert "共 2 条进度报告" in c.get(url("reports", w), {"target": "road_paving"}).content.decode()
    assert "共 1 条进度报告" in c.get(url("reports", w), {"end": "2015-06-01"}).content.decode()
    r = c.get(url("reports", w), {"format": "csv", "target": "shop"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows == [
        ["项目名称", "单位代码", "指标", "方式", "日期", "在建", "完工", "投入资金(万元)"],
        ["集宁区十个全覆盖", "150902101000", "便民连锁超市", "", "2015-05-30", "2", "2", "0"],
    ]

"""专题 import: good csv/xlsx, bad rows, idempotent re-import, changed rows refused."""

import datetime as dt

import pytest

from minqing.activities.tests.importing import fails, run, where, write
from minqing.campaigns.models import Campaign, CampaignKind
from minqing.core.models import AuditEvent
from minqing.orgs.tests.factories import small_tree

pytestmark = pytest.mark.django_db
H = ["专题名称", "类型", "范围单位代码", "开始日期", "结束日期"]
ROWS = [
    ["主题教育2019", "主题教育", "150900", "2019-06-01", "2019-11-30"],
    ["专题教育2015", "专题教育", "150902000000", "2015/5/1", ""],
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_good_file_imports_and_reimports_unchanged(tmp_path, suffix) -> None:
    u = small_tree()
    path = write(tmp_path / f"c{suffix}", H, ROWS)
    res = run("campaigns", path)
    assert (res.created, res.unchanged) == (2, 0)
    c = Campaign.objects.get(name="主题教育2019")
    assert (c.kind, c.scope, c.path) == (CampaignKind.THEMED, u["prefecture"], u["prefecture"].path)
    assert (c.start_date, c.end_date) == (dt.date(2019, 6, 1), dt.date(2019, 11, 30))
    assert Campaign.objects.get(name="专题教育2015").end_date is None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.IMPORT, object_type="campaigns.campaign"
    ).exists()
    res = run("campaigns", path)
    assert (res.created, res.unchanged) == (0, 2)
    assert Campaign.objects.count() == 2


def test_english_headers(tmp_path) -> None:
    small_tree()
    path = write(tmp_path / "c.csv", ["name", "kind", "scope_code", "start_date", "end_date"], ROWS[:1])
    assert run("campaigns", path).created == 1


def test_bad_rows_name_row_column_and_nothing_is_written(tmp_path) -> None:
    small_tree()
    rows = [
        ROWS[0],
        ["坏专题", "大学习", "999999", "2019-13-01", ""],
        ["倒序", "其他", "150900", "2019-06-01", "2019-05-01"],
        ["主题教育2019", "主题教育", "150900", "2019-06-01", "2019-11-30"],
    ]
    issues = fails("campaigns", write(tmp_path / "c.csv", H, rows))
    assert where(issues) == [
        (3, "类型"),
        (3, "范围单位代码"),
        (3, "开始日期"),
        (4, "结束日期"),
        (5, "专题名称"),
    ]
    assert "第 2 行" in str(issues[-1])
    assert Campaign.objects.count() == 0


def test_changed_row_is_refused(tmp_path) -> None:
    small_tree()
    run("campaigns", write(tmp_path / "c.csv", H, ROWS))
    changed = [["主题教育2019", "主题教育", "150900", "2019-06-02", "2019-11-30"]]
    issues = fails("campaigns", write(tmp_path / "d.csv", H, changed))
    assert where(issues) == [(2, "专题名称")] and "已存在且内容不同" in str(issues[0])
    assert "开始日期" in str(issues[0])

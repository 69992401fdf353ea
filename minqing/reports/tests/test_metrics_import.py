"""A small campaign brought in with ``minqing import`` (units, campaigns, people, activities,
attendance, problems): the metrics count the imported records, figures worked out by hand.

Units: 乌兰察布市 > 集宁区 (> 新体育场街道 > 泉山社区; > 白海子镇 > 红旗村; > 区委宣传部, an agency;
新体育场街道 > 某某公司, an enterprise), and 卓资县 > 卓资山镇 (another county). Townships and
villages get a party organisation by default; the agency and the enterprise are given one.
Campaign 主题教育 (the city, 2019-09-01 .. 2020-01-31); the bulletin is for 集宁区 as of 2019-12-20.

Activities (roster or 参加人数):

====  ==========  ============  ================  ===============================
no.   type        organiser     start             roster / headcount
====  ==========  ============  ================  ===============================
A1    读书班       新体育场街道  2019-10-10 09:00  P01 P02 P03
A2    读书班       泉山社区      2019-11-01 09:00  P02 P04
A3    研讨         白海子镇      2019-10-15 09:00  30
A4    研讨         区委宣传部    2019-10-16 09:00  P01 P06
A5    典型教育     红旗村        2019-12-21 09:00  40 (after the as-of date)
A6    辅导讲座     卓资山镇      2019-10-20 09:00  100 (another county)
A7    动员安排会   集宁区        2019-09-02 09:00  200
A8    支部学习会   某某公司      2019-10-05 09:00  P03
A9    读书班       新体育场街道  2019-08-30 09:00  P01 (before the campaign began)
====  ==========  ============  ================  ===============================

读书班 A1 A2: 2 sessions, people P01 P02 P03 P04 = 4; 研讨 A3 A4: 2 sessions, 30 + 2 = 32
person-times; 动员安排会 1; 支部学习会 1 person-time; 典型教育 and 辅导讲座 0 in the county.
Following: 区委宣传部 (agency) 1; 新体育场街道, 白海子镇 (townships) 2; 泉山社区 (village) 1 (红旗村
only after the date); 某某公司 (non-public) 1. The county itself has no bulletin category.

Problems (状态 with 办结时间: the events are dated as the row says):

====  ==========  ====  ==========  ==========  ===========================================
no.   来源         渠道   unit        登记         状态
====  ==========  ====  ==========  ==========  ===========================================
Q1    群众反映      来信   泉山社区     09-10       已办结 09-12 立行立改
Q2    群众反映      来访   新体育场街道 10-01       整改中
Q3    群众反映      网络   红旗村       11-01       已办结 12-21 立行立改 (整改中 until then)
Q4    群众反映      来电   集宁区       11-05       已销号 11-20 限期整改, 满意
Q5    自我检视            白海子镇     09-20       已办结 09-25 立行立改
Q6    自我检视            新体育场街道 12-21       已登记 (after the as-of date)
Q7    信访积案            集宁区       09-05       已办结 10-10 解释说明
Q8    信访积案            新体育场街道 09-06       已交办
Q9    督导发现 *          白海子镇     10-01       已办结 11-01 限期整改 (* 突出问题)
Q10   群众反映 *    来信   红旗村       10-02       已办结 10-03 立行立改 (* 突出问题)
Q11   群众反映      网络   卓资山镇     10-01       已办结 10-02 立行立改 (another county)
Q12   群众反映      网络   泉山社区     08-25       已登记 (before the campaign began)
Q13   群众反映      网络   泉山社区     10-01       已登记, no campaign
Q14   群众反映      网络   泉山社区     10-05       已合并
====  ==========  ====  ==========  ==========  ===========================================

Public: Q1 Q2 Q3 Q4 Q10 = 5; 立行立改 by 12-20: Q1 Q10 = 2; 整改中: Q2 Q3 = 2. With
self-inspection: + Q5 = 6, 立行立改 3. Backlog resolved: Q7 = 1. Prominent resolved: Q9 Q10 = 2.
People: P04 (白海子镇) and P06 (区委宣传部) are 处级 without a report: 2; P01 is 党工委书记 of a
unit with a party organisation and gave no party lecture: 1.
"""

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minqing.orgs.actors import SYSTEM
from minqing.orgs.models import Unit
from minqing.reports.metrics import METRICS, MetricContext, compute, default_campaign, lanes

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2019, 12, 20)

UNITS = (
    ["单位代码", "名称", "类别", "上级单位代码", "是否有党组织", "党组织类别"],
    ["150900000000", "乌兰察布市", "市", "150000000000", "", ""],
    ["150902000000", "集宁区", "区", "150900000000", "", ""],
    ["150902001000", "新体育场街道", "街道", "150902000000", "", ""],
    ["150902001001", "泉山社区", "社区", "150902001000", "", ""],
    ["150902101000", "白海子镇", "镇", "150902000000", "", ""],
    ["150902101201", "红旗村", "村", "150902101000", "", ""],
    ["JN-XCB", "区委宣传部", "机关事业单位", "150902000000", "是", "机关及直属单位"],
    ["JN-QY", "某某公司", "企业", "150902001000", "是", "非公经济和社会组织"],
    ["150921000000", "卓资县", "县", "150900000000", "", ""],
    ["150921100000", "卓资山镇", "镇", "150921000000", "", ""],
)
CAMPAIGNS = (
    ["专题名称", "类型", "范围单位代码", "开始日期", "结束日期"],
    ["主题教育", "主题教育", "150900000000", "2019-09-01", "2020-01-31"],
)
PEOPLE = (
    ["人员编号", "姓名", "所属单位代码", "职级", "是否党员", "职务"],
    ["P01", "张一", "150902001000", "科级", "是", "党工委书记"],
    ["P02", "王二", "150902001001", "无职级", "是", ""],
    ["P03", "李三", "150902001001", "无职级", "是", ""],
    ["P04", "赵四", "150902101000", "处级", "是", "副镇长"],
    ["P05", "钱五", "150921100000", "科级", "是", ""],
    ["P06", "孙六", "JN-XCB", "处级", "是", "部长"],
)
ACTIVITIES = (
    ["活动编号", "专题名称", "活动类型", "组织单位代码", "开始时间", "结束时间", "标题", "参加人数"],
    ["A1", "主题教育", "读书班", "150902001000", "2019-10-10 09:00", "", "读书班一", ""],
    ["A2", "主题教育", "读书班", "150902001001", "2019-11-01 09:00", "", "读书班二", ""],
    ["A3", "主题教育", "研讨", "150902101000", "2019-10-15 09:00", "", "研讨一", "30"],
    ["A4", "主题教育", "研讨", "JN-XCB", "2019-10-16 09:00", "", "研讨二", ""],
    ["A5", "主题教育", "典型教育", "150902101201", "2019-12-21 09:00", "", "典型教育", "40"],
    ["A6", "主题教育", "辅导讲座", "150921100000", "2019-10-20 09:00", "", "辅导讲座", "100"],
    ["A7", "主题教育", "动员安排会", "150902000000", "2019-09-02 09:00", "", "动员会", "200"],
    ["A8", "主题教育", "支部学习会", "JN-QY", "2019-10-05 09:00", "", "支部学习", ""],
    ["A9", "主题教育", "读书班", "150902001000", "2019-08-30 09:00", "", "提前", ""],
)
ATTENDANCE = (
    ["活动编号", "人员编号", "签到时间"],
    *[[a, p, ""] for a, p in (("A1", "P01"), ("A1", "P02"), ("A1", "P03"), ("A2", "P02"), ("A2", "P04"),
                              ("A4", "P01"), ("A4", "P06"), ("A8", "P03"), ("A9", "P01"))],
)  # fmt: skip
PH = ["问题编号", "专题名称", "来源", "渠道", "标题", "内容", "所属单位代码", "责任单位代码", "登记时间",
      "是否突出问题", "认领人员编号", "是否必解问题", "状态", "办结时间", "办结方式", "整改措施",
      "满意度"]  # fmt: skip
T = "主题教育"
JN, A, AV = "150902000000", "150902001000", "150902001001"
B, BV, Z = "150902101000", "150902101201", "150921100000"


def q(
    number: str,
    source: str,
    channel: str,
    unit: str,
    resp: str,
    registered: str,
    state: str,
    resolved: str = "",
    kind: str = "",
    *,
    prominent: str = "否",
    campaign: str = T,
    satisfaction: str = "",
) -> list[str]:
    return [
        number,
        campaign,
        source,
        channel,
        number,
        "",
        unit,
        resp,
        registered,
        prominent,
        "",
        "否",
        state,
        resolved,
        kind,
        "",
        satisfaction,
    ]


PUB, SELF, BACK, SUP = "群众反映", "自我检视", "信访积案", "督导发现"
PROBLEMS = (
    PH,
    q("Q1", PUB, "来信", AV, A, "2019-09-10", "已办结", "2019-09-12", "立行立改"),
    q("Q2", PUB, "来访", A, A, "2019-10-01", "整改中"),
    q("Q3", PUB, "网络", BV, B, "2019-11-01", "已办结", "2019-12-21", "立行立改"),
    q("Q4", PUB, "来电", JN, JN, "2019-11-05", "已销号", "2019-11-20", "限期整改", satisfaction="满意"),
    q("Q5", SELF, "", B, B, "2019-09-20", "已办结", "2019-09-25", "立行立改"),
    q("Q6", SELF, "", A, "", "2019-12-21", "已登记"),
    q("Q7", BACK, "", JN, JN, "2019-09-05", "已办结", "2019-10-10", "解释说明"),
    q("Q8", BACK, "", A, A, "2019-09-06", "已交办"),
    q("Q9", SUP, "", B, B, "2019-10-01", "已办结", "2019-11-01", "限期整改", prominent="是"),
    q("Q10", PUB, "来信", BV, B, "2019-10-02", "已办结", "2019-10-03", "立行立改", prominent="是"),
    q("Q11", PUB, "网络", Z, Z, "2019-10-01", "已办结", "2019-10-02", "立行立改"),
    q("Q12", PUB, "网络", AV, "", "2019-08-25", "已登记"),
    q("Q13", PUB, "网络", AV, "", "2019-10-01", "已登记", campaign=""),
    q("Q14", PUB, "网络", AV, "", "2019-10-05", "已合并"),
)

EXPECTED = {
    "study.reading_class.sessions": 2,
    "study.reading_class.people": 4,
    "study.seminar.sessions": 2,
    "study.seminar.person_times": 32,
    "study.exemplar.sessions": 0,
    "study.exemplar.person_times": 0,
    "study.tutorial_lecture.sessions": 0,
    "study.tutorial_lecture.person_times": 0,
    "study.mobilisation.sessions": 1,
    "study.branch_study.person_times": 1,
    "orgs.following.agency": 1,
    "orgs.following.township": 2,
    "orgs.following.village": 1,
    "orgs.following.non_public": 1,
    "problems.public_self.count": 6,
    "problems.public_self.on_the_spot": 3,
    "problems.petition_backlog.resolved": 1,
    "problems.prominent.resolved": 2,
    "problems.public.count": 5,
    "problems.public.on_the_spot": 2,
    "problems.public.rectifying": 2,
    "research.leaders_without_report": 2,
    "lectures.secretaries_without_lecture": 1,
    "research.topics.key": 0,
    "supervision.groups": 0,
    "programme.funds": 0,
}


def _write(path: Path, rows: tuple[list[str], ...]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def imported(tmp_path: Path) -> Unit:
    for kind, rows in (
        ("units", UNITS),
        ("campaigns", CAMPAIGNS),
        ("people", PEOPLE),
        ("activities", ACTIVITIES),
        ("attendance", ATTENDANCE),
        ("problems", PROBLEMS),
    ):
        path = _write(tmp_path / f"{kind}.csv", rows)
        call_command("import_data", kind, str(path), "--no-progress")
    return Unit.objects.get(code="150902000000")


def test_an_imported_campaign_counts_as_worked_out_by_hand(imported: Unit) -> None:
    campaign = default_campaign(imported, AS_OF)
    assert campaign is not None and campaign.name == "主题教育"
    values = {k: v.value for k, v in compute(MetricContext(imported, AS_OF, campaign, actor=SYSTEM)).items()}
    assert list(values) == list(METRICS)  # every metric id, as ``--format json`` lists them
    assert {k: values[k] for k in EXPECTED} == EXPECTED


def test_the_imported_problems_a_day_later(imported: Unit) -> None:
    campaign = default_campaign(imported, AS_OF)
    later = compute(MetricContext(imported, dt.date(2019, 12, 21), campaign, actor=SYSTEM))
    assert later["problems.public.on_the_spot"].value == 3  # Q3 resolved on 12-21
    assert later["problems.public.rectifying"].value == 1
    assert later["problems.public_self.count"].value == 7  # Q6 registered on 12-21
    assert later["study.exemplar.sessions"].value == 1  # A5
    city = compute(MetricContext(Unit.objects.get(code="150900000000"), AS_OF, campaign, actor=SYSTEM))
    assert city["study.tutorial_lecture.person_times"].value == 100  # A6 in 卓资县
    assert city["problems.public.count"].value == 6  # + Q11
    assert city["orgs.following.township"].value == 3  # + 卓资山镇


def _second_lane_sql(sql: str) -> bool:
    return "orgs_assignment" in sql or "activities_activity_lecturers" in sql


def _values_and_sql(unit: Unit) -> tuple[dict[str, Any], list[str]]:
    """The figures, and the statements this thread's connection ran to count them."""
    ctx = MetricContext(unit, AS_OF, default_campaign(unit, AS_OF), actor=SYSTEM)
    with CaptureQueriesContext(connection) as here:
        values = {k: v.value for k, v in compute(ctx).items()}
    return values, [q["sql"] for q in here.captured_queries]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the second lane runs on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_heaviest_figures_run_on_a_second_connection(
    imported: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    submitted: list[object] = []
    submit = lanes.submit

    def spy(fn: Any) -> Any:
        submitted.append(fn)
        return submit(fn)

    monkeypatch.setattr(lanes, "submit", spy)
    values, here = _values_and_sql(imported)
    assert len(submitted) == 1
    assert {k: values[k] for k in EXPECTED} == EXPECTED  # the same figures as in one lane
    assert list(values) == list(METRICS)  # in registry order
    assert here and not [sql for sql in here if _second_lane_sql(sql)]  # read on the other connection


def test_inside_a_transaction_every_figure_runs_on_the_callers_connection(
    imported: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lanes, "submit", lambda fn: pytest.fail("a second lane inside a transaction"))
    values, here = _values_and_sql(imported)
    assert {k: values[k] for k in EXPECTED} == EXPECTED
    assert [sql for sql in here if _second_lane_sql(sql)]  # the lectures and demonstration read here

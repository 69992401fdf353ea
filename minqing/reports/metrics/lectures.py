"""Themed party lectures (专题党课): secretaries who gave none, and the other members who lectured.

A secretary is who the coverage rule says (``minqing.activities.coverage_rules``): a person
whose 职务 contains 书记 (so 副书记 too), of a unit with a party organisation. A party lecture is
an activity of a type marked 专题党课 starting in the period (with a campaign: of the campaign).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minqing.activities.coverage_rules import SECRETARY, Period, secretaries_without_party_lecture
from minqing.activities.models import Activity, ActivityType
from minqing.core.paths import prefix_q
from minqing.reports.metrics.registry import MetricContext, metric


@metric(
    "lectures.secretaries_without_lecture",
    label=_("没有讲专题党课的党委(党组)书记"),
    word=_("人"),
    definition=_(
        "本单位及下级单位有党组织的单位中职务含“书记”的人员,统计期内(有专题时为该专题)"
        "没有作为主讲人讲过专题党课的人数;为 0 即书记全部讲了专题党课。"
    ),
)
def secretaries_without_lecture(ctx: MetricContext) -> int:
    n, _page = secretaries_without_party_lecture(
        ctx.actor, ctx.unit, campaign=ctx.campaign, period=Period(ctx.first_day, ctx.as_of)
    )
    return n


@metric(
    "lectures.other_members.people",
    label=_("讲党课的班子其他成员"),
    word=_("人"),
    definition=_(
        "组织单位为本单位或下级单位、统计期内(有专题时为该专题)的专题党课的主讲人中,"
        "不是书记(职务不含“书记”或所在单位没有党组织)的不同人数。"
    ),
)
def other_members_people(ctx: MetricContext) -> int:
    # the ids, not a subquery: the planner then reads the period's lectures by (type, start)
    types = list(ActivityType.objects.filter(is_party_lecture=True).values_list("pk", flat=True))
    lectures = Activity.objects.filter(
        prefix_q(ctx.unit.path), ctx.of_campaign(), type__in=types, start__gte=ctx.start, start__lt=ctx.end
    )
    secretary = Q(person__duties__contains=SECRETARY, person__unit__has_party_org=True)
    rows = Activity.lecturers.through.objects.filter(activity__in=lectures.values("pk")).exclude(secretary)
    return rows.values("person_id").distinct().count()

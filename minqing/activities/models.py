"""Study and outreach: activities with attendance, research, household visits, work plans.

Counting rules (DESIGN.md): 次/场 = activities of a type whose organiser is in the scope
subtree and whose start falls in the period; 人次 = the sum of their attendance (roster rows
where a roster exists, else the recorded headcount); 人 = distinct persons on those rosters.
Every row that is counted by subtree carries a copy of its unit's path.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.core.paths import COUNTY_PATH
from minqing.orgs.models import PATH_OPS, Household, Person, Unit


class CountingWord(models.TextChoices):
    CI = "次", _("次")
    CHANG = "场", _("场")


class ActivityType(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)  # reading_class, seminar, ...
    name = models.CharField(_("名称"), max_length=50, unique=True)
    counting_word = models.CharField(_("计数单位"), max_length=2, choices=CountingWord.choices)
    is_public_service = models.BooleanField(_("群众服务类"), default=False)
    is_party_lecture = models.BooleanField(_("专题党课"), default=False)

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    number = models.CharField(_("活动编号"), max_length=40, unique=True)
    type = models.ForeignKey(
        ActivityType, verbose_name=_("活动类型"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(max_length=255, editable=False)  # copy of organiser.path
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专题"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    lecturers = models.ManyToManyField(Person, verbose_name=_("主讲人"), blank=True, related_name="lectures")
    headcount = models.PositiveIntegerField(_("参加人数(无签到名单时)"), null=True, blank=True)
    short_code = models.CharField(_("签到码"), max_length=8, unique=True)
    script_ref = models.CharField(_("讲稿"), max_length=300, blank=True)
    minutes_ref = models.CharField(_("会议记录"), max_length=300, blank=True)
    media_ref = models.CharField(_("音视频资料"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        indexes = [
            models.Index(
                fields=["path", "start"],
                name="act_activity_path_start",
                opclasses=[*PATH_OPS, "timestamptz_ops"],
            ),
            # a period's activities, covering what the bulletin's per-unit check reads (which units
            # held one: campaign and organiser's path), so no table row is visited
            models.Index(fields=["start", "campaign", "type", "path"], name="act_activity_start_cover"),
            models.Index(fields=["campaign", "path"], name="act_activity_campaign"),
            # the few activities of one type in a period (party lectures for the bulletin), covering
            # the campaign and the organiser's path it checks, so no table row is visited
            models.Index(fields=["type", "start", "campaign", "path"], name="act_activity_type_cover"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CheckInMethod(models.TextChoices):
    LIST = "list", _("名单签到")
    PHONE = "phone", _("手机签到")
    IMPORT = "import", _("导入")


class Attendance(models.Model):
    """One row per person per activity; carries copies of the activity's path, start and type so
    that sessions, person-times and distinct people are counted from one covering index."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    # PROTECT: a person who attended cannot vanish from the counts (and their rollups)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    path = models.CharField(max_length=255, editable=False)  # copy of activity.path
    start = models.DateTimeField(editable=False)  # copy of activity.start
    type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+", editable=False)
    checked_in_at = models.DateTimeField(_("签到时间"))
    method = models.CharField(_("签到方式"), max_length=10, choices=CheckInMethod.choices)

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="act_attendance_once")]
        indexes = [
            models.Index(fields=["person", "activity"], name="act_attendance_person"),
            models.Index(
                fields=["path", "start", "type", "person"],
                name="act_attendance_count",
                opclasses=[*PATH_OPS, "timestamptz_ops", "int8_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.person_id}"


class ResearchTopic(models.Model):
    title = models.CharField(_("课题"), max_length=200)
    leader = models.ForeignKey(Person, verbose_name=_("牵头领导"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, editable=False)
    is_key = models.BooleanField(_("重点课题"), default=False)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专题"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("确定时间"))

    class Meta:
        verbose_name = _("调研课题")
        verbose_name_plural = _("调研课题")
        indexes = [models.Index(fields=["path"], name="act_topic_path", opclasses=PATH_OPS)]

    def __str__(self) -> str:
        return self.title


class Interview(models.Model):
    """Research interviews: a session with a number of person-times."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="interviews")
    date = models.DateField(_("日期"))
    person_times = models.PositiveIntegerField(_("访谈人次"))
    notes = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("调研访谈")
        verbose_name_plural = _("调研访谈")

    def __str__(self) -> str:
        return f"{self.topic_id} {self.date} {self.person_times}"


class ResearchReport(models.Model):
    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        Person, verbose_name=_("作者"), on_delete=models.PROTECT, related_name="reports"
    )
    title = models.CharField(_("标题"), max_length=200)
    submitted_on = models.DateField(_("提交日期"))

    class Meta:
        verbose_name = _("调研报告")
        verbose_name_plural = _("调研报告")

    def __str__(self) -> str:
        return self.title


class Visit(models.Model):
    """A cadre's visit to a household or a contact point (a unit)."""

    cadre = models.ForeignKey(Person, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="visits")
    household = models.ForeignKey(
        Household,
        verbose_name=_("户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("联系点"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    path = models.CharField(max_length=255, editable=False)  # copy of the target's path
    date = models.DateField(_("日期"))
    notes = models.TextField(_("走访情况"), blank=True)
    problem = models.ForeignKey(
        "ledger.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(household__isnull=False, unit__isnull=True)
                    | models.Q(household__isnull=True, unit__isnull=False)
                ),
                name="act_visit_one_target",
            )
        ]
        indexes = [
            # covering for the bulletin's counts (a subtree's visits to units or households in a period)
            models.Index(
                fields=["path", "date", "unit"],
                name="act_visit_path_date_unit",
                opclasses=[*PATH_OPS, "date_ops", "int8_ops"],
            ),
            models.Index(fields=["household", "date"], name="act_visit_household"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.date}"


class VisitDayCount(models.Model):
    """Visits to contact points (a unit, not a household) under one county per day: ``path`` is
    the visits' copied path cut to the county (``core.paths.COUNTY_PATH`` characters; a unit above
    the counties keeps its own, shorter path). Written only by the database's triggers on ``activities_visit``
    (insert, delete, and an update that moves a visit to another key or target: migration
    ``0005_visit_day_counts``), so every write path keeps it right; a city's bulletin sums a few
    hundred counters instead of counting tens of thousands of visits."""

    path = models.CharField(max_length=COUNTY_PATH)
    date = models.DateField()
    visits = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("走访联系点日计数")
        verbose_name_plural = _("走访联系点日计数")
        default_permissions = ("view",)
        # the triggers' upsert key, and a subtree's days (PostgreSQL reads a prefix by LIKE: the
        # pattern opclass)
        constraints = [
            models.UniqueConstraint(
                fields=["path", "date"], name="act_visitday_key", opclasses=[*PATH_OPS, "date_ops"]
            )
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.date}: {self.visits}"


class WorkPlanState(models.TextChoices):
    FILED = "filed", _("已报送")
    PASSED = "passed", _("审核通过")
    RETURNED = "returned", _("退回修改")


class WorkPlan(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, editable=False)
    campaign = models.ForeignKey(Campaign, verbose_name=_("专题"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    filed_at = models.DateTimeField(_("报送时间"))
    state = models.CharField(
        _("状态"), max_length=10, choices=WorkPlanState.choices, default=WorkPlanState.FILED
    )
    comments = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作方案")
        verbose_name_plural = _("工作方案")
        indexes = [models.Index(fields=["campaign", "path"], name="act_workplan_campaign")]

    def __str__(self) -> str:
        return self.title


class RollupLevel(models.TextChoices):
    DAY = "d", _("日")
    MONTH = "m", _("月")


class ActivityRollup(models.Model):
    """Counts of one activity type under one unit (``path``, the whole subtree) for one local day
    or month and one campaign (``campaign_key`` 0 = none): derived from activities and attendance
    by ``services.rollups`` and never edited by hand. ``people`` is a serialized roaring bitmap of
    the person ids on the rosters, so distinct people over several buckets is a bitmap union."""

    level = models.CharField(max_length=1, choices=RollupLevel.choices)
    path = models.CharField(max_length=255)
    type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, related_name="+")
    campaign_key = models.BigIntegerField(default=0)
    bucket = models.DateField()  # the day, or the first day of the month
    sessions = models.IntegerField(default=0)
    headcount = models.IntegerField(default=0)  # sum of headcounts of activities without a roster
    headcount_only = models.IntegerField(default=0)  # how many activities were counted by headcount
    roster_rows = models.IntegerField(default=0)  # attendance rows (person-times on rosters)
    people = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("活动统计汇总")
        verbose_name_plural = _("活动统计汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["path", "level", "bucket", "type", "campaign_key"], name="act_rollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.level} {self.bucket} {self.type_id}/{self.campaign_key}"


class RollupState(models.Model):
    """How far the rollups have read: every activity and attendance row with an id up to the
    marks is folded in; rows above them are counted from the tables directly."""

    name = models.CharField(max_length=40, primary_key=True)
    activity_mark = models.BigIntegerField(default=0)
    attendance_mark = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.activity_mark}/{self.attendance_mark}"

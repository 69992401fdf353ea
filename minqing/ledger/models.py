"""The problem ledger: feedback on four channels, problems, their append-only events.

A problem carries two copied paths: ``path`` (the unit it concerns, 所属单位) and
``responsible_path`` (the unit that must handle it, 责任单位); a user sees it when either
lies in their subtree. The identity of whoever reported it lives in ``FeedbackIdentity``,
apart from the feedback, and is never shown to the unit the problem concerns.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.core.fields import EncryptedCharField
from minqing.ledger.enums import (
    Action,
    Channel,
    Moderation,
    ResolutionKind,
    Satisfaction,
    Source,
    State,
    Urgency,
)
from minqing.orgs.models import PATH_OPS, Person, Unit


class Category(models.Model):
    """The configurable taxonomy (一级 / 二级 / 三级分类)."""

    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("级别"), default=1)
    full_name = models.CharField(_("完整名称"), max_length=160, unique=True)  # 城乡建设/安全生产/事故处理

    class Meta:
        verbose_name = _("问题分类")
        verbose_name_plural = _("问题分类")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class Problem(models.Model):
    number = models.CharField(_("问题编号"), max_length=32, unique=True)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("专题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, blank=True, default="")
    category = models.ForeignKey(
        Category,
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="problems"
    )
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems_responsible",
    )
    responsible_path = models.CharField(max_length=255, blank=True, default="", editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_problems",
    )
    claimed_by = models.ForeignKey(
        Person,
        verbose_name=_("认领领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_problems",
    )
    must_solve = models.BooleanField(_("必解问题"), default=False)
    prominent = models.BooleanField(_("突出问题"), default=False)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    registered_at = models.DateTimeField(_("登记时间"), db_index=True)
    accept_due = models.DateField(_("受理期限"), null=True, blank=True)
    due_date = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.REGISTERED)
    resolution_kind = models.CharField(
        _("办结方式"), max_length=12, choices=ResolutionKind.choices, blank=True, default=""
    )
    measures = models.TextField(_("整改措施"), blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=20, choices=Satisfaction.choices, blank=True, default=""
    )
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    overdue = models.BooleanField(_("已逾期"), default=False)
    # the time of the problem's latest event, kept by the database's triggers on the event log
    # (migration 0010): before it, the log must be read for a past state; after it, the state is
    # the row's own (``minqing.ledger.asof``). Never lower than the latest event's time.
    last_event_at = models.DateTimeField(null=True, blank=True, editable=False)
    # the latest judgement in the log (a 回访 or 重新整改 event carrying 满意 / 基本满意 / 不满意): its
    # time and value, kept by triggers like ``last_event_at`` (migration 0012). 满意率 as of an
    # instant after ``judged_at`` is ``judgement``; before it, the log is read (``satisfaction.py``)
    judged_at = models.DateTimeField(null=True, blank=True, editable=False)
    judgement = models.CharField(max_length=20, null=True, blank=True, editable=False)  # noqa: DJ001
    escalated_to = models.ForeignKey(
        Unit, verbose_name=_("已上报至"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the deadline a warning was sent for: one warning per deadline (a granted extension warns again)
    warned_due = models.DateField(_("已预警的期限"), null=True, blank=True, editable=False)
    # the published list (晒出来): only what staff checked (``services/moderation.py``); on it the
    # public title (the list's own, personal details masked) and the public text, never the raw ones
    is_public = models.BooleanField(_("公开晒出"), default=False)
    moderation = models.CharField(
        _("公开审核"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderation_at = models.DateTimeField(_("审核时间"), null=True, blank=True)  # pending: since when
    public_title = models.CharField(_("公开标题"), max_length=200, blank=True)
    public_text = models.TextField(_("公开内容"), blank=True)
    public_note = models.CharField(_("公开说明"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=0)  # optimistic lock for transitions

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        indexes = [
            # (path, state) and (responsible_path, path, state): the subtree filters, and covering
            # indexes for the queue's counts by state (see selectors.problem_state_counts)
            models.Index(fields=["path", "state"], name="ledger_problem_path", opclasses=PATH_OPS * 2),
            # a subtree's problems registered in a period (the dashboard, the bulletins): without
            # it SQLite reads a small unit's year through the date index, every problem of the year
            models.Index(
                fields=["path", "registered_at"],
                name="ledger_problem_path_reg",
                opclasses=[*PATH_OPS, "timestamptz_ops"],
            ),
            # a prefecture's (or larger) problems registered in a period, grouped for the figures
            # (ledger/figures.py, satisfaction.py): every column the grouped counts read, so they
            # are answered from the index without reading the wide rows (a city's year: 1.26 s to
            # 0.32 s on SQLite)
            models.Index(
                fields=[
                    "registered_at",
                    "path",
                    "campaign",
                    "source",
                    "channel",
                    "prominent",
                    "due_date",
                    "overdue",
                    "last_event_at",
                    "state",
                    "resolution_kind",
                    "judged_at",
                    "judgement",
                    "id",
                ],
                name="ledger_problem_reg_figures",
            ),
            models.Index(
                fields=["responsible_path", "path", "state"],
                name="ledger_problem_resp_path",
                opclasses=PATH_OPS * 3,
            ),
            models.Index(fields=["state", "registered_at"], name="ledger_problem_state_reg"),
            models.Index(fields=["is_public", "registered_at"], name="ledger_problem_public"),
            models.Index(fields=["owner", "state"], name="ledger_problem_owner"),
            # the moderation queue (待审核公开) and the delayed publication job
            models.Index(fields=["moderation", "moderation_at"], name="ledger_problem_moderation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(moderation=Moderation.APPROVED),
                name="ledger_problem_public_checked",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def list_title(self) -> str:
        """The title the published list shows: the public title, else the title as registered."""
        return self.public_title or self.title


class Feedback(models.Model):
    """One submission on one channel; several may merge into one problem."""

    problem = models.ForeignKey(
        Problem,
        verbose_name=_("问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("收到时间"))
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    # the unit this item concerns as submitted; it stays when the item is merged into another
    # problem or the problem moves, and decides who may see its reporter (ledger/access.py)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("反映对象单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("地点"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("匿名"), default=False)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    letter_date = models.DateField(_("来信日期"), null=True, blank=True)
    visitors = models.PositiveSmallIntegerField(_("来访人数"), null=True, blank=True)
    group_visit = models.BooleanField(_("集体访"), default=False)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("群众反映")
        verbose_name_plural = _("群众反映")

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"


class FeedbackIdentity(models.Model):
    """Who reported: stored apart, shown only to those allowed, every read audited."""

    feedback = models.OneToOneField(
        Feedback, on_delete=models.CASCADE, primary_key=True, related_name="identity"
    )
    # encrypted at rest (minqing.core.fields): never filter on them
    name = EncryptedCharField(_("姓名"), max_length=50, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True)  # the caller number for calls
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True)
    address = EncryptedCharField(_("来信地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("反映人信息")
        verbose_name_plural = _("反映人信息")

    def __str__(self) -> str:
        return f"identity of feedback #{self.pk}"


class ProblemEvent(models.Model):
    """Append-only: who did what, when, from which state to which."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=State.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    public = models.BooleanField(_("公开"), default=False)  # shown on the public tracking page
    # its note too: only when the author ticked 公开 (a state change may show without its note)
    note_public = models.BooleanField(_("说明公开"), default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["problem", "at"], name="ledger_event_problem_at")]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.action} {self.from_state}->{self.to_state}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("problem events are append-only")
        super().save(*args, **kwargs)


class ExtensionState(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    GRANTED = "granted", _("已批准")
    DENIED = "denied", _("未批准")


class Extension(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="extensions")
    requested_at = models.DateTimeField(_("申请时间"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField(_("延期工作日"))
    reason = models.CharField(_("理由"), max_length=500)
    state = models.CharField(
        _("状态"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.REQUESTED
    )
    old_due = models.DateField(_("原期限"), null=True, blank=True)
    new_due = models.DateField(_("新期限"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return f"{self.problem_id} +{self.days} {self.state}"


class DeadlineRule(models.Model):
    """Deadlines by source, channel and urgency; the most specific matching rule wins."""

    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, blank=True, default="")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, blank=True, default="")
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, blank=True, default="")
    accept_days = models.PositiveSmallIntegerField(_("受理期限(工作日)"))
    handle_days = models.PositiveSmallIntegerField(_("办理期限(工作日)"))
    max_extension_days = models.PositiveSmallIntegerField(_("最多延期(工作日)"), default=0)
    warning_days = models.PositiveSmallIntegerField(_("提前预警(工作日)"), default=3)

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "channel", "urgency"], name="ledger_deadline_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source or '*'}/{self.channel or '*'}/{self.urgency or '*'}"


class NotificationKind(models.TextChoices):
    INFO = "info", _("消息")
    WARNING = "warning", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    ESCALATED = "escalated", _("逾期上报")


class Notification(models.Model):
    """The in-app notification list."""

    kind = models.CharField(
        _("类型"), max_length=10, choices=NotificationKind.choices, default=NotificationKind.INFO
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    problem = models.ForeignKey(Problem, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    text = models.CharField(_("内容"), max_length=300)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="ledger_notification_unread")]

    def __str__(self) -> str:
        return self.text


class ResidentRating(models.Model):
    """A reporter's judgement of one resolution of their problem (by tracking code): was it fixed,
    and 满意 / 基本满意 / 不满意. The problem's own ``satisfaction`` and the 回访 event are written
    by the same callback transition the staff use (``services/rating.py``)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="ratings")
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="resident_ratings")
    resolved_at = models.DateTimeField(_("办结时间"))  # the resolution judged: one rating each
    fixed = models.BooleanField(_("问题已解决"))
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("群众评价")
        verbose_name_plural = _("群众评价")
        constraints = [models.UniqueConstraint(fields=["feedback", "resolved_at"], name="ledger_rating_once")]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.satisfaction}"


class ProblemRollup(models.Model):
    """How many problems share one set of the figures' values, under one unit down to the county
    (``path``: the problem's path cut to ``rollup.CUT`` characters) and registered in one local
    month: derived from the problems by ``minqing.ledger.rollup`` and never edited by hand.
    ``kind`` is set only while resolved, ``due_date`` and ``overdue`` only while open (the only
    states whose figures read them)."""

    path = models.CharField(max_length=255)
    month = models.DateField()  # the first day of the local month of registration
    campaign_key = models.BigIntegerField(default=0)  # 0: no campaign
    source = models.CharField(max_length=20)
    channel = models.CharField(max_length=10)
    prominent = models.BooleanField()
    state = models.CharField(max_length=12)
    kind = models.CharField(max_length=20)
    due_date = models.DateField(null=True)
    overdue = models.BooleanField()
    n = models.IntegerField()
    # of those, how many are judged (满意率) and how, by their latest judgement
    satisfied = models.IntegerField(default=0)
    basically = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("问题统计汇总")
        verbose_name_plural = _("问题统计汇总")
        indexes = [
            models.Index(
                fields=["path", "month"], name="ledger_rollup_path_month", opclasses=[*PATH_OPS, "date_ops"]
            ),
            models.Index(fields=["month", "path"], name="ledger_rollup_month_path"),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m} {self.state}: {self.n}"


class ProblemRollupBucket(models.Model):
    """One (cut path, month) of the rollup and the latest event of its problems (``latest``; a
    problem without an event counts as the latest of all): a figure as of an earlier instant
    reads the buckets changed since from the problems."""

    path = models.CharField(max_length=255)
    month = models.DateField()
    latest = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["path", "month"], name="ledger_rollup_bucket", opclasses=[*PATH_OPS, "date_ops"]
            )
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m}"


class ProblemRollupChange(models.Model):
    """A (path, registration time) whose month's rollup is out of date: written by triggers on
    ``ledger_problem`` (migration 0013) for every new, deleted or changed problem (its old and its
    new place), removed by the refresh that folds it in."""

    path = models.CharField(max_length=255)
    registered_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.path} {self.registered_at:%Y-%m-%d}"


class ProblemRollupState(models.Model):
    """One row: whether the rollup has been built (before that, figures read the problems alone)
    and when it was last refreshed; the refresh locks it."""

    name = models.CharField(max_length=40, primary_key=True)
    built = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.refreshed_at}"

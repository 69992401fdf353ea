"""Programmes measured against plan (“十个全覆盖”): targets, plans by unit, progress reports.

The rules every figure follows (the selectors apply them, the services keep the data fit for them):

- A **Programme** belongs to an owner unit (whose office manages it) and may belong to a campaign.
- A **Target** has a unit of measure (户, 间, 公里, 个 …), the plan quantity for the whole
  programme (the owner unit's plan), optional modes (新建 / 维修加固 / 转移置换 …) and a share basis:
  (在建 + 完工) / 计划, or 完工 / 计划 only (the seed's 便民连锁超市 counts completed only).
- A **TargetPlan** breaks the plan down by unit (and optionally by mode). The plan of a unit is its
  own plan if one is set, else the sum of the plans of the top-most planned units below it; the
  owner unit's plan is the target's plan quantity. Plans are handed down, so the higher figure is
  the commitment and a lower plan never adds to it (no double counting).
- A **ProgressReport** is the cumulative position of one unit, one target and one mode *as of its
  date*: works in progress, works completed and funds spent so far (万元), not the change since
  the last report. As of a date D the latest report on or before D of each (unit, mode) counts.
  Progress is reported up, so the most detailed figure is the measurement: a unit's progress is
  the sum over the *leaf-most* reporting units of its subtree (units with a report as of D and no
  reporting unit below them, per mode); a higher unit's own report stands for its subtree only
  while nothing below it has reported. A second report of the same unit, target, mode and date
  replaces the first (a correction).
- Funds are in 万元 (ten thousand yuan), four decimal places (to the yuan); the seed's 17.75 亿元
  is 177,500 万元.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.orgs.models import Unit

PATH_OPS = ["varchar_pattern_ops"]  # used on PostgreSQL; ignored by SQLite


class ShareBasis(models.TextChoices):
    STARTED = "in_progress_plus_completed", _("在建及完工")
    COMPLETED = "completed", _("完工")


class Programme(models.Model):
    name = models.CharField(_("项目名称"), max_length=100, unique=True)
    owner = models.ForeignKey(Unit, verbose_name=_("项目单位"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, editable=False)  # copy of owner.path
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("专题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="prog_programme_dates",
            )
        ]
        indexes = [models.Index(fields=["path"], name="prog_programme_path", opclasses=PATH_OPS)]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="targets"
    )
    key = models.SlugField(_("指标代码"), max_length=40)
    name = models.CharField(_("指标名称"), max_length=100)
    measure = models.CharField(_("计量单位"), max_length=10)
    plan_quantity = models.DecimalField(_("计划数"), max_digits=14, decimal_places=2)
    share_basis = models.CharField(
        _("占计划口径"), max_length=30, choices=ShareBasis.choices, default=ShareBasis.STARTED
    )
    modes = models.JSONField(_("方式"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="prog_target_key"),
            models.UniqueConstraint(fields=["programme", "name"], name="prog_target_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TargetPlan(models.Model):
    """The plan of one unit below (or at) the owner unit; ``mode`` blank: all modes together."""

    target = models.ForeignKey(Target, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="plans")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path
    mode = models.CharField(_("方式"), max_length=20, blank=True, default="")
    quantity = models.DecimalField(_("计划数"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("分解计划")
        verbose_name_plural = _("分解计划")
        constraints = [
            models.UniqueConstraint(fields=["target", "unit", "mode"], name="prog_plan_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="prog_plan_nonnegative"),
        ]
        indexes = [models.Index(fields=["target", "path"], name="prog_plan_path")]

    def __str__(self) -> str:
        return f"{self.target} @ {self.unit}: {self.quantity}"


class ProgressReport(models.Model):
    """One unit's cumulative position on one target (and mode) as of ``date``."""

    target = models.ForeignKey(
        Target, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path
    mode = models.CharField(_("方式"), max_length=20, blank=True, default="")
    date = models.DateField(_("日期"))
    in_progress = models.DecimalField(_("在建"), max_digits=14, decimal_places=2)
    completed = models.DecimalField(_("完工"), max_digits=14, decimal_places=2)
    funds = models.DecimalField(_("投入资金(万元)"), max_digits=16, decimal_places=4)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("填报时间"), auto_now=True)

    class Meta:
        verbose_name = _("进度报告")
        verbose_name_plural = _("进度报告")
        ordering = ["-date", "path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["target", "unit", "mode", "date"], name="prog_report_unique"),
            models.CheckConstraint(
                condition=Q(in_progress__gte=0) & Q(completed__gte=0) & Q(funds__gte=0),
                name="prog_report_nonnegative",
            ),
        ]
        indexes = [models.Index(fields=["target", "path", "date"], name="prog_report_path_date")]

    def __str__(self) -> str:
        return f"{self.target} @ {self.unit} {self.date}"

"""Catalogues: the administrative power list (权力清单), reform measures (改革举措) with their
results (改革成果), and commendations (表彰).

Every row that is counted by subtree carries a copy of its unit's ``path`` (see
``minqing.core.paths``), so "the items of the departments under X" is one prefix filter. The
figures a bulletin prints are counted from these rows (``minqing.catalogues.counting``), never
stored as totals:

- power list: items, distinct departments (owner units) and distinct categories;
- reforms: measures, results, key measures, key measures with a result, completed measures;
- commendations: commendations, by title and by year.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.orgs.models import PATH_OPS, Person, Unit


class PowerCategory(models.TextChoices):
    """The ten categories (10 大类) of the administrative power list."""

    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    LEVY = "levy", _("行政征收")
    BENEFIT = "benefit", _("行政给付")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    ADJUDICATION = "adjudication", _("行政裁决")
    OTHER = "other", _("其他")


def category_order() -> models.Case:
    """The categories in the list's order (行政许可 first), for ``order_by``."""
    whens = [models.When(category=v, then=models.Value(i)) for i, v in enumerate(PowerCategory.values)]
    return models.Case(*whens, default=models.Value(len(whens)), output_field=models.IntegerField())


class ReformStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")


class PowerItem(models.Model):
    """One item of a department's administrative power list; key: (unit, category, name)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="power_items"
    )
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path
    category = models.CharField(_("权力类别"), max_length=20, choices=PowerCategory.choices)
    name = models.CharField(_("事项名称"), max_length=200)
    code = models.CharField(_("事项编码"), max_length=64, blank=True)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("权力事项")
        verbose_name_plural = _("权力事项")
        constraints = [
            models.UniqueConstraint(fields=["unit", "category", "name"], name="cat_power_unit_category_name")
        ]
        indexes = [
            models.Index(
                fields=["path", "category"], name="cat_power_path", opclasses=[*PATH_OPS, "text_ops"]
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}:{self.name}"


class ReformMeasure(models.Model):
    """A reform measure of a department; key: (unit, title). Results are :class:`ReformResult` rows."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="reform_measures"
    )
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path
    title = models.CharField(_("举措名称"), max_length=200)
    is_key = models.BooleanField(_("重点改革"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=ReformStatus.choices, default=ReformStatus.NOT_STARTED
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专题"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("启动日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("改革举措")
        verbose_name_plural = _("改革举措")
        constraints = [models.UniqueConstraint(fields=["unit", "title"], name="cat_reform_unit_title")]
        indexes = [models.Index(fields=["path"], name="cat_reform_path", opclasses=PATH_OPS)]

    def __str__(self) -> str:
        return self.title


class ReformResult(models.Model):
    """A result (改革成果) of a measure on a date; the same text on the same date is one result."""

    measure = models.ForeignKey(ReformMeasure, on_delete=models.CASCADE, related_name="results")
    path = models.CharField(max_length=255, editable=False)  # copy of measure.path
    date = models.DateField(_("成果日期"))
    text = models.CharField(_("成果内容"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("改革成果")
        verbose_name_plural = _("改革成果")
        constraints = [
            models.UniqueConstraint(fields=["measure", "date", "text"], name="cat_result_measure_date_text")
        ]
        indexes = [
            models.Index(fields=["path", "date"], name="cat_result_path", opclasses=[*PATH_OPS, "date_ops"])
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.text[:30]}"


class Commendation(models.Model):
    """A commendation of a person (or a named honouree not in the system) of a unit.

    Key: (unit, name, title, date). ``name`` is always filled (copied from ``person`` when given),
    so the public honour reads the same even if the person row goes away. ``decided_on`` is the
    date of the commendation decision (表彰决定), which precedes the ceremony (``date``) and is
    the date the figures count it on; without one, ``date`` counts.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path
    title = models.CharField(_("荣誉称号"), max_length=100)
    date = models.DateField(_("表彰日期"))
    decided_on = models.DateField(
        _("表彰决定日期"),
        null=True,
        blank=True,
        help_text=_("作出表彰决定的日期,统计时按此日期计入;留空时按表彰日期计入。"),
    )
    awarded_by = models.CharField(_("授予机关"), max_length=100, blank=True)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专题"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name", "title", "date"], name="cat_commendation_unit_name_title_date"
            )
        ]
        indexes = [
            models.Index(
                fields=["path", "date"], name="cat_commendation_path", opclasses=[*PATH_OPS, "date_ops"]
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.title}"

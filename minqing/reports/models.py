"""Bulletins (简报): the templates, one per campaign kind and unit, and the published bulletins.

A template belongs to a unit (its office's own wording) or to nobody (the shipped default, which
only the system administrator changes). A bulletin uses the nearest template up its unit's
ancestry: the unit's own, else its parent's, ... else the default.

A template is a title pattern and a body whose placeholders name metrics of the registry
(``{study.reading_class.sessions}``) or the bulletin's own facts (``{unit}``, ``{as_of}``,
``{campaign}``); no figure is ever typed into it. A published bulletin is frozen: its text, the
figures it printed (value, label, word, kind), the as-of date and the template it came from are
stored as they were, and a later check recomputes the figures and records every difference.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign, CampaignKind
from minqing.orgs.models import PATH_OPS, Unit


class Grouping(models.TextChoices):
    """Thousands grouping of a bulletin's numbers (``formatting.GROUPINGS``, GB/T 15835-2011)."""

    NONE = "none", _("不分节")
    COMMA = "comma", _("千分撇")
    SPACE = "space", _("千分空")


class BulletinTemplate(models.Model):
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bulletin_templates",
        help_text=_("空:系统默认模板,各单位未自定义时使用"),
    )
    kind = models.CharField(_("专题类型"), max_length=20, choices=CampaignKind.choices)
    title = models.CharField(
        _("标题"), max_length=200, help_text=_("可用占位符:{unit} 单位、{as_of} 截止日期、{campaign} 专题")
    )
    body = models.TextField(
        _("正文"),
        help_text=_(
            "每行一段。数字一律写成统计指标的占位符,如 {study.reading_class.sessions};"
            "{id:万} 以万为单位;字面的花括号写成 {{ 或 }}。"
        ),
    )
    grouping = models.CharField(
        _("千位分节"),
        max_length=10,
        choices=Grouping.choices,
        default=Grouping.NONE,
        help_text=_("四位及以上整数的写法:不分节(59282)、千分撇(59,282)或千分空(59 282)"),
    )
    omit_zero = models.BooleanField(
        _("略去全为零的句子"),
        default=False,
        help_text=_("句中每个数字都为 0 时不印该句(带“为零时/否则”写法的占位符按其写法改写,不略去)"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("简报模板")
        verbose_name_plural = _("简报模板")
        ordering = ["kind", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="reports_template_unit_kind"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(unit__isnull=True), name="reports_template_default_kind"
            ),
        ]

    def __str__(self) -> str:
        owner = self.unit.name if self.unit_id and self.unit else _("默认")
        return f"{self.get_kind_display()} ({owner})"

    @property
    def is_default(self) -> bool:
        return self.unit_id is None


class Bulletin(models.Model):
    """A published bulletin, frozen as it was printed."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="bulletins")
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专题"), on_delete=models.PROTECT, related_name="bulletins"
    )
    number = models.PositiveIntegerField(_("期号"))  # 1, 2, ... per unit and campaign
    as_of = models.DateField(_("截止日期"))
    template = models.ForeignKey(
        BulletinTemplate,
        verbose_name=_("模板"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bulletins",
    )
    template_title = models.CharField(_("模板标题"), max_length=200)  # snapshot
    template_body = models.TextField(_("模板正文"))  # snapshot
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("正文"))
    # {metric id: {"value": number, "label": str, "word": str, "kind": str}}, in print order
    figures = models.JSONField(_("数据"), default=dict)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # the last check: when, and every figure whose recomputed value differs (empty: none)
    checked_at = models.DateTimeField(_("核对时间"), null=True, blank=True)
    changes = models.JSONField(_("核对差异"), default=list, blank=True)

    class Meta:
        verbose_name = _("已发布简报")
        verbose_name_plural = _("已发布简报")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "campaign", "number"], name="reports_bulletin_number")
        ]
        indexes = [models.Index(fields=["path"], name="reports_bulletin_path", opclasses=PATH_OPS)]

    def __str__(self) -> str:
        return f"{self.title} ({self.as_of:%Y-%m-%d})"

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

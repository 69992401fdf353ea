"""Campaigns (主题教育 / 专题教育): a period and a scope unit; most records carry one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.orgs.models import Unit


class CampaignKind(models.TextChoices):
    THEMED = "themed", _("主题教育")
    SPECIAL = "special", _("专题教育")
    OTHER = "other", _("其他")


class Campaign(models.Model):
    name = models.CharField(_("专题名称"), max_length=100, unique=True)
    kind = models.CharField(
        _("类型"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.THEMED
    )
    scope = models.ForeignKey(
        Unit, verbose_name=_("范围单位"), on_delete=models.PROTECT, related_name="campaigns"
    )
    path = models.CharField(max_length=255, editable=False)  # copy of scope.path
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    bulletin_notes = models.TextField(
        _("简报说明"),
        blank=True,
        help_text=_("每行一条,印在本专题每期简报正文之后,例如统计口径或与往期、原文数字不同的原因。"),
    )

    class Meta:
        verbose_name = _("专题")
        verbose_name_plural = _("专题")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="campaigns_campaign_dates",
            )
        ]

    def __str__(self) -> str:
        return self.name

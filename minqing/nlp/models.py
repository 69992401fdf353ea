"""What was suggested at intake and what the clerk chose (``Suggestion``), for the acceptance page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Suggestion(models.Model):
    """One registration's suggestions: the top categories with their confidences and the units with
    their reasons, as shown to the clerk, and the clerk's final choice."""

    problem = models.ForeignKey(
        "ledger.Problem", verbose_name=_("问题"), on_delete=models.CASCADE, related_name="nlp_suggestions"
    )
    # [{"label", "confidence", "category_id"}...], best first
    categories = models.JSONField(_("建议分类"), default=list)
    chosen_category = models.ForeignKey(
        "ledger.Category",
        verbose_name=_("选定分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # the rank (1..k) of the suggestion the chosen category (or its first level) matches; null: none
    category_rank = models.PositiveSmallIntegerField(_("采纳第几项"), null=True, blank=True)
    accepted = models.BooleanField(_("采纳建议分类"), default=False)
    # [{"unit_id", "code", "name", "score", "reasons"}...], best first
    units = models.JSONField(_("建议单位"), default=list)
    chosen_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("选定单位"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_accepted = models.BooleanField(_("采纳建议单位"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("智能建议记录")
        verbose_name_plural = _("智能建议记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.at:%Y-%m-%d}"

"""Forms of the bulletin pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.reports.bulletins.services import template_errors
from minqing.reports.models import BulletinTemplate, Grouping


def _check_placeholders(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """Every placeholder must name a registered metric (or a fact); each error says which, bilingually."""
    for field in ("title", "body"):
        value = data.get(field)
        if value is not None:
            texts = (value, "") if field == "title" else ("", value)
            for err in template_errors(*texts):
                form.add_error(field, err.bilingual())


class TemplateForm(forms.Form):
    """The office's edit form."""

    title = forms.CharField(
        label=_("标题"),
        max_length=200,
        help_text=_(
            "可用占位符:{unit} 单位名称、{as_of} 截止日期、{campaign} 专题名称、"
            "{level} 单位的层级字(旗、县、区、市……)、{whole} 全旗、全县、全区、全市……、"
            "{hot_topics} 近30日前3个热点话题(一整句,宜单独成段)"
        ),
        widget=forms.TextInput(attrs={"size": 60}),
    )
    body = forms.CharField(
        label=_("正文"),
        help_text=_(
            "每行一段。数字一律写成统计指标的占位符,如 {study.reading_class.sessions};"
            "{demonstration.households:万} 以万为单位;"
            "{lectures.secretaries_without_lecture|全部结束|尚未讲的#人} 在值为 0 时印第一段文字,"
            "否则印第二段文字(# 代表数值);字面的花括号写成 {{ 或 }}。"
        ),
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90}),
    )
    # the model's fields, with their labels and help (blank grouping reads as none: ``clean``)
    grouping = BulletinTemplate._meta.get_field("grouping").formfield(required=False)
    omit_zero = BulletinTemplate._meta.get_field("omit_zero").formfield()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["grouping"] = data.get("grouping") or Grouping.NONE
        _check_placeholders(self, data)
        return data


class BulletinTemplateAdminForm(forms.ModelForm):
    """The same validation in the Django admin, where only the defaults (no unit) are written."""

    class Meta:
        model = BulletinTemplate
        fields = ["kind", "title", "body", "grouping", "omit_zero"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_placeholders(self, data)
        kind = data.get("kind")
        others = BulletinTemplate.objects.filter(unit=None, kind=kind).exclude(pk=self.instance.pk)
        if kind and self.instance.unit_id is None and others.exists():
            self.add_error("kind", _("该专题类型已有默认模板"))
        return data

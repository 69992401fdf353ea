"""The form that creates a campaign (the office of its scope unit or above)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign, CampaignKind
from minqing.core.forms import DATE, UNIT_NOT_FOUND
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.selectors import resolve_unit


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("专题名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=CampaignKind.choices, initial=CampaignKind.THEMED)
    unit_code = forms.CharField(
        label=_("范围单位代码"), max_length=32, help_text=_("专题覆盖该单位及其全部下级单位")
    )
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_name(self) -> str:
        name = self.cleaned_data.get("name", "").strip()
        if Campaign.objects.filter(name=name).exists():
            raise forms.ValidationError(_("已有同名专题"))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        code = data.get("unit_code") or ""
        lookup = resolve_unit(self.actor, code, policy.OFFICE)
        data["scope"] = lookup.unit
        if code and data["scope"] is None:
            self.add_error("unit_code", lookup.error or UNIT_NOT_FOUND)
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期"))
        return data

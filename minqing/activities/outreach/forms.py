"""Forms of the outreach pages; they validate input and resolve codes and numbers in the
actor's scope into the services' arguments. They never write."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.activities.outreach import selectors as sel
from minqing.campaigns.models import Campaign
from minqing.core.forms import DATE, UNIT_NOT_FOUND
from minqing.orgs.actors import Actor
from minqing.orgs.models import Household, Person, Unit
from minqing.orgs.selectors import resolve_unit


class ActorForm(forms.Form):
    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def _unit(self, field: str) -> Unit:
        lookup = resolve_unit(self.actor, self.cleaned_data.get(field, ""))
        if lookup.unit is None:
            raise forms.ValidationError(lookup.error or UNIT_NOT_FOUND)
        unit = lookup.unit
        return unit

    def _person(self, field: str) -> Person:
        person = sel.person_by_number(self.actor, self.cleaned_data.get(field, ""))
        if person is None:
            raise forms.ValidationError(_("找不到该人员编号,或该人员不在您的管辖范围内"))
        return person


def _campaign_field(required: bool = False) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("专题"),
        queryset=Campaign.objects.order_by("-start_date", "name"),
        required=required,
        empty_label=_("(不选)") if not required else "---------",
    )


class TopicForm(ActorForm):
    title = forms.CharField(label=_("课题"), max_length=200)
    unit_code = forms.CharField(label=_("单位代码"), max_length=32)
    leader_number = forms.CharField(label=_("牵头领导人员编号"), max_length=32)
    campaign = _campaign_field()
    is_key = forms.BooleanField(label=_("重点课题"), required=False)

    def clean_unit_code(self) -> Unit:
        return self._unit("unit_code")

    def clean_leader_number(self) -> Person:
        return self._person("leader_number")


class InterviewForm(forms.Form):
    prefix = "interview"
    date = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    person_times = forms.IntegerField(label=_("访谈人次"), min_value=1, max_value=100000)
    notes = forms.CharField(label=_("说明"), max_length=300, required=False)


class ReportForm(ActorForm):
    prefix = "report"
    title = forms.CharField(label=_("报告标题"), max_length=200)
    author_number = forms.CharField(
        label=_("作者人员编号"), max_length=32, required=False, help_text=_("不填则为牵头领导")
    )
    submitted_on = forms.DateField(label=_("提交日期"), widget=DATE, initial=timezone.localdate)

    def clean_author_number(self) -> Person | None:
        if not self.cleaned_data.get("author_number", "").strip():
            return None
        return self._person("author_number")


class VisitForm(ActorForm):
    cadre_number = forms.CharField(label=_("走访干部人员编号"), max_length=32)
    date = forms.DateField(label=_("走访日期"), widget=DATE, initial=timezone.localdate)
    household_number = forms.CharField(
        label=_("户号"), max_length=32, required=False, help_text=_("走访农户时填写户号")
    )
    grid_code = forms.CharField(
        label=_("网格代码"), max_length=32, required=False, help_text=_("户号在多个网格重复时填写")
    )
    unit_code = forms.CharField(
        label=_("联系点单位代码"), max_length=32, required=False, help_text=_("走访联系点时填写")
    )
    campaign = _campaign_field()
    notes = forms.CharField(label=_("走访情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    problem_title = forms.CharField(
        label=_("反映的问题(标题)"), max_length=200, required=False, help_text=_("填写后登记到问题台账")
    )
    problem_text = forms.CharField(
        label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_cadre_number(self) -> Person:
        return self._person("cadre_number")

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        number, code = d.get("household_number", "").strip(), d.get("unit_code", "").strip()
        if bool(number) == bool(code):
            raise forms.ValidationError(_("请填写户号或联系点单位代码(二者只填一个)"))
        d["household_obj"], d["unit_obj"] = None, None
        if number:
            found: list[Household] = sel.households_by_number(self.actor, number, d.get("grid_code", ""))
            if not found:
                self.add_error("household_number", _("找不到该户号,或该户不在您的管辖范围内"))
            elif len(found) > 1:
                self.add_error("grid_code", _("该户号在多个网格中存在,请填写网格代码"))
            else:
                d["household_obj"] = found[0]
        else:
            try:
                d["unit_obj"] = self._unit("unit_code")
            except forms.ValidationError as err:
                self.add_error("unit_code", err)
        if d.get("problem_text", "").strip() and not d.get("problem_title", "").strip():
            self.add_error("problem_title", _("填写问题描述时必须填写标题"))
        return d


class WorkPlanForm(ActorForm):
    unit_code = forms.CharField(label=_("单位代码"), max_length=32)
    campaign = _campaign_field(required=True)
    title = forms.CharField(label=_("方案标题"), max_length=200)

    def clean_unit_code(self) -> Unit:
        return self._unit("unit_code")


class ReviewForm(forms.Form):
    prefix = "review"
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("pass", _("审核通过")), ("return", _("退回修改"))],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("审核意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("退回修改时必填"),
    )

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("decision") == "return" and not d.get("comments", "").strip():
            self.add_error("comments", _("退回修改时必须填写审核意见"))
        return d

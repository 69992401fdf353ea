"""Forms of the supervision pages: they validate input and resolve codes and numbers in the
actor's scope into the services' arguments. They never write."""

import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.campaigns.selectors import visible_campaigns
from minqing.core.forms import DATE, UNIT_NOT_FOUND
from minqing.ledger.models import Category
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person, Unit
from minqing.orgs.scoping import scoped
from minqing.orgs.selectors import resolve_unit, unit_by_code
from minqing.supervision import selectors as sel
from minqing.supervision.enums import InspectionKind, MemberRole
from minqing.supervision.models import GuidanceGroup
from minqing.supervision.services.groups import MemberSpec
from minqing.supervision.services.inspections import FindingSpec, RecordsChecked

SPLIT = re.compile(r"[\s,,;;、]+")
FINDING_ROWS = 3  # blank finding rows on a new form; "增加一行" adds more without JavaScript


class ActorForm(forms.Form):
    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def unit(self, code: str) -> Unit:
        lookup = resolve_unit(self.actor, code)
        if lookup.unit is None:
            raise forms.ValidationError(lookup.error or UNIT_NOT_FOUND)
        unit = lookup.unit
        return unit

    def member(self, text: str, role: str) -> MemberSpec:
        """A person number in the actor's scope links the person; anything else is a name."""
        text = text.strip()
        if len(text) > 50:
            raise forms.ValidationError(_("“{value}”太长(最多 50 个字)").format(value=text[:20]))
        person = scoped(Person.objects.filter(number=text), self.actor).first()
        return MemberSpec(name=text, person=person, role=role)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class GroupForm(ActorForm):
    name = forms.CharField(label=_("指导组名称"), max_length=100)
    campaign = forms.ModelChoiceField(label=_("专题"), queryset=Campaign.objects.none())
    unit_code = forms.CharField(label=_("派出单位代码"), max_length=32, help_text=_("领导小组办公室所在单位"))
    units = forms.CharField(
        label=_("联系单位代码"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("指导组负责督导的单位,多个代码用空格、逗号或换行分隔;须在派出单位之下"),
    )
    leader = forms.CharField(label=_("组长"), max_length=50, required=False, help_text=_("人员编号或姓名"))
    deputies = forms.CharField(
        label=_("副组长"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("每行一人:人员编号或姓名"),
    )
    members = forms.CharField(
        label=_("成员"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("每行一人:人员编号或姓名"),
    )

    def __init__(self, *args: Any, actor: Actor, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        campaign_field = self.fields["campaign"]
        assert isinstance(campaign_field, forms.ModelChoiceField)
        campaign_field.queryset = visible_campaigns(actor).order_by("-start_date", "name")
        if editing:  # the campaign and the sending unit of a group do not change
            del self.fields["campaign"]
            del self.fields["unit_code"]

    def clean_unit_code(self) -> Unit:
        return self.unit(self.cleaned_data.get("unit_code", ""))

    def clean_units(self) -> list[Unit]:
        codes = [c for c in SPLIT.split(self.cleaned_data.get("units", "")) if c]
        found = {c: u for c in codes if (u := unit_by_code(self.actor, c)) is not None}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(
                _("找不到这些单位代码,或不在您的管辖范围内:{codes}").format(codes="、".join(missing))
            )
        return list({u.pk: u for u in found.values()}.values())

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        members: list[MemberSpec] = []
        try:
            if d.get("leader", "").strip():
                members.append(self.member(d["leader"], MemberRole.LEADER))
            members += [self.member(x, MemberRole.DEPUTY) for x in _lines(d.get("deputies", ""))]
            members += [self.member(x, MemberRole.MEMBER) for x in _lines(d.get("members", ""))]
        except forms.ValidationError as err:
            self.add_error("members", err)
        d["member_specs"] = members
        return d

    @staticmethod
    def initial_for(group: GuidanceGroup) -> dict[str, Any]:
        def show(m: Any) -> str:
            return m.person.number if m.person is not None else m.name

        members = list(sel.group_members(group))
        return {
            "name": group.name,
            "units": "\n".join(u.code for u in group.units.order_by("path")),
            "leader": next((show(m) for m in members if m.role == MemberRole.LEADER), ""),
            "deputies": "\n".join(show(m) for m in members if m.role == MemberRole.DEPUTY),
            "members": "\n".join(show(m) for m in members if m.role == MemberRole.MEMBER),
        }


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}({obj.campaign.name})"


class InspectionForm(ActorForm):
    group = GroupChoiceField(label=_("指导组"), queryset=GuidanceGroup.objects.none())
    unit_code = forms.CharField(label=_("督导单位代码"), max_length=32)
    date = forms.DateField(label=_("督导日期"), widget=DATE, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("督导方式"), choices=InspectionKind.choices)
    round = forms.IntegerField(
        label=_("轮次"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("不填则自动确定:沿用本组当前轮次;本组在当前轮次已于其他日期督导过该单位时,进入下一轮"),
    )
    checked_minutes = forms.BooleanField(label=_("调阅会议记录"), required=False)
    checked_scripts = forms.BooleanField(label=_("调阅讲稿"), required=False)
    checked_media = forms.BooleanField(label=_("调阅音视频资料"), required=False)
    notes = forms.CharField(label=_("督导情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = sel.groups_for_recording(actor)

    def clean_unit_code(self) -> Unit:
        return self.unit(self.cleaned_data.get("unit_code", ""))

    def records(self) -> RecordsChecked:
        d = self.cleaned_data
        return RecordsChecked(
            minutes=bool(d.get("checked_minutes")),
            scripts=bool(d.get("checked_scripts")),
            media=bool(d.get("checked_media")),
        )


class FindingForm(forms.Form):
    text = forms.CharField(
        label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    category = forms.ModelChoiceField(
        label=_("分类"), queryset=Category.objects.all(), required=False, empty_label=_("(不选)")
    )

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("category") is not None and not d.get("text", "").strip():
            self.add_error("text", _("选择分类时必须填写问题内容"))
        return d


if TYPE_CHECKING:
    _FormSetBase = forms.BaseFormSet[FindingForm]
else:
    _FormSetBase = forms.BaseFormSet


class BaseFindingFormSet(_FormSetBase):
    def specs(self) -> list[FindingSpec]:
        return [
            FindingSpec(text=f.cleaned_data["text"], category=f.cleaned_data.get("category"))
            for f in self.forms
            if f.cleaned_data.get("text", "").strip()
        ]


FindingFormSet = cast(
    "type[BaseFindingFormSet]",
    forms.formset_factory(
        FindingForm, formset=BaseFindingFormSet, extra=FINDING_ROWS, max_num=50, absolute_max=50
    ),
)


def with_more_rows(data: Any, prefix: str = "finding", more: int = FINDING_ROWS) -> Any:
    """The posted data with ``more`` blank finding rows (the no-JavaScript "增加一行")."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, FINDING_ROWS))
    except ValueError:
        total = FINDING_ROWS
    data[key] = str(min(total + more, 50))
    return data

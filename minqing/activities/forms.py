"""Forms of the activity pages; they validate and hand the services their arguments, never write."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.activities import selectors
from minqing.activities.checkin_identify import normalise_name
from minqing.activities.models import ActivityType
from minqing.campaigns.selectors import campaign_by_id, visible_campaigns
from minqing.core.forms import UNIT_NOT_FOUND
from minqing.core.pages import parse_date
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.selectors import resolve_unit

NUMBERS_SPLIT = re.compile(r"[\s,,、;;]+")

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def _campaign_choices(actor: Actor) -> list[tuple[str, Any]]:
    return [("", _("(不属于专题)")), *((str(c.pk), c.name) for c in visible_campaigns(actor))]


class ActivityForm(forms.Form):
    type = forms.ModelChoiceField(
        label=_("活动类型"), queryset=ActivityType.objects.all(), empty_label=_("(请选择)")
    )
    unit_code = forms.CharField(
        label=_("组织单位代码"), max_length=32, help_text=_("本单位或管辖范围内的下级单位")
    )
    campaign = forms.ChoiceField(label=_("专题"), required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    start = forms.DateTimeField(label=_("开始时间"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    end = forms.DateTimeField(
        label=_("结束时间"), required=False, widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    lecturers = forms.CharField(
        label=_("主讲人人员编号"),
        max_length=500,
        required=False,
        help_text=_("多个编号用空格或逗号分隔"),
    )
    headcount = forms.IntegerField(
        label=_("参加人数"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_(
            "只在没有签到名单时填写(如群众性活动只统计人数)。填写后本活动不能再签到,"
            "人次按此人数统计;需要签到的活动请留空。"
        ),
    )
    script_ref = forms.CharField(
        label=_("讲稿"), max_length=300, required=False, help_text=_("文件编号或存放位置")
    )
    minutes_ref = forms.CharField(label=_("会议记录"), max_length=300, required=False)
    media_ref = forms.CharField(label=_("音视频资料"), max_length=300, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        campaign = self.fields["campaign"]
        assert isinstance(campaign, forms.ChoiceField)
        campaign.choices = _campaign_choices(actor)

    def clean_lecturers(self) -> list[Any]:
        raw = self.cleaned_data.get("lecturers", "")
        numbers = [n for n in NUMBERS_SPLIT.split(raw.strip()) if n]
        found = selectors.people_by_numbers(numbers)
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                _("人员编号不存在:%(numbers)s"), params={"numbers": "、".join(missing)}
            )
        return [found[n] for n in dict.fromkeys(numbers)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        code = data.get("unit_code") or ""
        lookup = resolve_unit(self.actor, code, policy.UNIT_WRITERS)
        data["organiser"] = lookup.unit
        if code and data["organiser"] is None:
            self.add_error("unit_code", lookup.error or UNIT_NOT_FOUND)
        data["campaign_obj"] = None
        if data.get("campaign"):
            data["campaign_obj"] = campaign_by_id(self.actor, data["campaign"])
            if data["campaign_obj"] is None:
                self.add_error("campaign", _("找不到该专题"))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束时间不能早于开始时间"))
        return data


class PhoneCheckInForm(forms.Form):
    """Name, then the last digits of one's phone; or the person number instead of the digits."""

    name = forms.CharField(
        label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone_tail = forms.CharField(
        label=_("手机号码后几位"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
    )
    number = forms.CharField(
        label=_("或填写人员编号"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args: Any, digits: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.digits = digits
        self.fields["phone_tail"].help_text = _("填写手机号码的后 %(n)d 位") % {"n": digits}

    def clean_phone_tail(self) -> str:
        tail = re.sub(r"\s+", "", self.cleaned_data.get("phone_tail", ""))
        if tail and (not tail.isascii() or not tail.isdigit()):
            raise forms.ValidationError(_("手机号码只能填写数字"))
        if tail and len(tail) < self.digits:
            raise forms.ValidationError(_("请至少填写手机号码的后 %(n)d 位"), params={"n": self.digits})
        return tail

    def clean_number(self) -> str:
        return str(self.cleaned_data.get("number", "")).strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("phone_tail") and not data.get("number"):
            raise forms.ValidationError(
                _("请填写手机号码后 %(n)d 位,或填写人员编号"), params={"n": self.digits}
            )
        return data


def names_match(typed: str, actual: str) -> bool:
    """The typed name is the person's name, ignoring spaces, the middle dot's variants and case."""
    typed_norm = normalise_name(typed).casefold()
    return bool(typed_norm) and typed_norm == normalise_name(actual).casefold()


def period_from(data: Any, default: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """The counts page's period (both ends inclusive); each end defaults to ``default``'s
    (``campaigns.selectors.default_period``)."""
    return parse_date(data.get("start")) or default[0], parse_date(data.get("end")) or default[1]

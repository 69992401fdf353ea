"""Forms of the message pages: follow a problem, send the code to a phone, rate a resolution,
a staff user's delivery preference. They validate; the services write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.core.text import PlainCharField
from minqing.ledger.enums import Satisfaction
from minqing.notify.models import MessageChannel, StaffDelivery

PHONE_ATTRS = {"type": "tel", "inputmode": "numeric", "autocomplete": "tel", "pattern": "[0-9 +\\-]*"}


class FollowForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("通知方式"),
        choices=MessageChannel.choices,
        widget=forms.RadioSelect,
        initial=MessageChannel.SMS,
    )
    address = forms.CharField(
        label=_("手机号或电子邮箱"), max_length=254, widget=forms.TextInput(attrs={"autocomplete": "on"})
    )


class SendCodeForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(attrs=PHONE_ATTRS))


class RatingForm(forms.Form):
    fixed = forms.TypedChoiceField(
        label=_("问题解决了吗?"),
        choices=[("yes", _("已解决")), ("no", _("没有解决"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("您对办理结果"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = PlainCharField(
        label=_("评价意见(选填)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("fixed") is False and data.get("satisfaction") not in (None, Satisfaction.UNSATISFIED):
            self.add_error("satisfaction", _("问题未解决时,请选择“不满意”"))
        return data


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(label=_("通知方式"), choices=StaffDelivery.choices, widget=forms.RadioSelect)
    phone = forms.CharField(
        label=_("接收短信的手机号"), max_length=20, required=False, widget=forms.TextInput(attrs=PHONE_ATTRS)
    )

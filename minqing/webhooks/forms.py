from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.webhooks.models import EventType


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label=_("接收地址"), max_length=500, assume_scheme="https", help_text=_("http:// 或 https:// 地址")
    )
    event_types = forms.MultipleChoiceField(
        label=_("事件类型"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        label=_("签名密钥"),
        max_length=100,
        required=False,
        help_text=_("留空则自动生成;至少 16 个字符。密钥只显示一次"),
    )

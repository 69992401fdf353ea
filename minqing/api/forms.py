"""Forms of the key-management pages (the office's applications, a user's personal tokens)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.api.scopes import Scope
from minqing.orgs.enums import Role


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如“12345 热线平台”,全系统唯一"))
    unit = forms.CharField(
        label=_("所属单位代码"), max_length=32, help_text=_("应用只能访问该单位及其下级单位的数据")
    )
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("应用以这些角色在本单位范围内办理,与持有这些角色的工作人员相同"),
    )
    scopes = forms.MultipleChoiceField(
        label=_("权限范围"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("密钥可用于哪些接口;权限范围只收窄角色,不会扩大"),
    )


class KeyForm(forms.Form):
    name = forms.CharField(label=_("密钥名称"), max_length=100, help_text=_("如“生产环境”,便于区分"))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=_("权限范围"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].initial = [Scope.READ]

"""The sign-in's two steps, enrollment, the password change and the reset of a second factor."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from minqing.accounts.services.second_factor import has_second_factor
from minqing.core.forms import AdminLockoutAuthenticationForm, LockoutAuthenticationForm


class _SecondFactorAware:
    """The password step: when a code step follows, the login is audited there, not here (an
    audited login ends the lock's count at this address, which must not come before the code)."""

    def audit_success(self, user: User) -> None:
        if not has_second_factor(user):
            super().audit_success(user)  # type: ignore[misc]


class PasswordStepForm(_SecondFactorAware, LockoutAuthenticationForm):
    pass


class AdminPasswordStepForm(_SecondFactorAware, AdminLockoutAuthenticationForm):
    pass


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=32,
        help_text=_("验证器应用中的 6 位数字,或一个恢复码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's: the old password, the new one twice, checked by AUTH_PASSWORD_VALIDATORS."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("当前密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")


class ResetForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)

    def clean_username(self) -> User:
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError(_("用户不存在。"))
        return user

"""The login form (Django's, plus the failure lockout and the audit of every attempt) and `fail`,
which shows a service's refusal on any form."""

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from minqing.core.audit import audit, client_ip
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.lockout import audit_failure, normalize_username, refusal, refusal_error
from minqing.core.models import AuditEvent

# shared by the forms of every app
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNIT_NOT_FOUND = _("找不到该单位代码,或该单位不在您的管辖范围内")


class LockoutAuthenticationForm(AuthenticationForm):
    """Every login attempt, whichever page it comes from: refused while locked (core/lockout.py),
    and audited, success or failure, under the username as login looks it up."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。注意:连续多次输错后账号将被暂时锁定。"),
    }

    def clean(self) -> dict[str, Any]:
        username = normalize_username(self.data.get("username") or "")
        refused = refusal(username, client_ip(self.request))
        if refused is not None:
            if username:
                audit_failure(username, refused.value, self.request)
            raise forms.ValidationError(refusal_error(refused).message, code=refused.value)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:  # not_allowed: the right password, but not let in here (admin: staff only)
                detail = "bad_credentials" if self.user_cache is None else "not_allowed"
                audit_failure(username, detail, self.request)
            raise
        user = self.get_user()
        if user is not None:
            self.audit_success(user)
        return cleaned

    def audit_success(self, user: User) -> None:
        """The password was right: audited as the login (minqing.accounts audits it after the
        second factor instead, when one follows)."""
        audit(actor=user, action=AuditEvent.Action.LOGIN, obj=user, request=self.request)


class AdminLockoutAuthenticationForm(LockoutAuthenticationForm, AdminAuthenticationForm):
    """The admin site's login (admin.site.login_form): the same lockout and audit, staff only."""


def fail(form: forms.BaseForm, err: DomainError) -> int:
    """Show a service's refusal on the form; the page's status: 403 for a permission refusal
    (nothing was changed), else 200."""
    form.add_error(None, err.message)
    return 403 if err.code == ErrorCode.PERMISSION_DENIED else 200

"""The login form (Django's, plus the failure lockout and the audit of every attempt) and `fail`,
which shows a service's refusal on any form."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.lockout import LOCKED_DETAIL, is_locked
from minqing.core.models import AuditEvent

# shared by the forms of every app
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNIT_NOT_FOUND = _("找不到该单位代码,或该单位不在您的管辖范围内")


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。注意:连续多次输错后账号将被暂时锁定。"),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        if username and is_locked(username):
            audit(
                actor=None,
                action=AuditEvent.Action.LOGIN_FAILED,
                actor_name=username,
                object_type="auth.user",
                detail=LOCKED_DETAIL,
                request=self.request,
            )
            error = DomainError(ErrorCode.LOGIN_LOCKED, minutes=settings.MINQING_LOGIN_LOCK_MINUTES)
            raise forms.ValidationError(error.message, code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                audit(
                    actor=None,
                    action=AuditEvent.Action.LOGIN_FAILED,
                    actor_name=username,
                    object_type="auth.user",
                    detail="bad_credentials",
                    request=self.request,
                )
            raise


def fail(form: forms.BaseForm, err: DomainError) -> int:
    """Show a service's refusal on the form; the page's status: 403 for a permission refusal
    (nothing was changed), else 200."""
    form.add_error(None, err.message)
    return 403 if err.code == ErrorCode.PERMISSION_DENIED else 200

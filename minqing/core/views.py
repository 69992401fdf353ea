from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from minqing.core.audit import audit
from minqing.core.forms import LockoutAuthenticationForm
from minqing.core.models import AuditEvent


class LoginView(auth_views.LoginView):
    """Django's login with the failure lockout; every success and failure is audited."""

    form_class = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["lock_failures"] = settings.MINQING_LOGIN_MAX_FAILURES
        context["lock_minutes"] = settings.MINQING_LOGIN_LOCK_MINUTES
        return context

    def form_valid(self, form: LockoutAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user = form.get_user()
        audit(actor=user, action=AuditEvent.Action.LOGIN, obj=user, request=self.request)
        return response

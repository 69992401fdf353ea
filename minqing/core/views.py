from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from minqing.core.forms import LockoutAuthenticationForm
from minqing.core.lockout import THROTTLED_DETAIL


class LoginView(auth_views.LoginView):
    """Django's login with the failure lockout and the audit of every attempt (both in the form,
    which the admin site's login shares); an address refused by the throttle gets a 429."""

    form_class = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["lock_failures"] = settings.MINQING_LOGIN_MAX_FAILURES
        context["lock_minutes"] = settings.MINQING_LOGIN_LOCK_MINUTES
        return context

    def form_invalid(self, form: LockoutAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.has_error("__all__", THROTTLED_DETAIL):
            response.status_code = 429
        return response

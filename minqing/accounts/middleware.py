"""On every page of a signed-in user (staff pages and the admin site): the idle logout, then the
second factor where it is required (enrollment or the code step first), then an expired password
(the change page first). Placed after django-otp's OTPMiddleware and the messages middleware."""

from collections.abc import Callable
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from minqing.accounts import idle
from minqing.accounts.services.passwords import session_password_expired
from minqing.accounts.services.second_factor import has_second_factor, is_verified, second_factor_required

# pages a signed-in user may always reach
OPEN = frozenset({"logout", "set_language"})
SECOND_FACTOR_PAGES = frozenset({"accounts:enroll", "accounts:enroll_qr", "accounts:verify"})


def _to(name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?next={quote(request.get_full_path())}")


class IdentityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return self.get_response(request)
        if idle.is_idle(request):
            logout(request)
            messages.warning(
                request,
                _("您已超过 %(n)d 分钟没有操作,为安全起见已自动退出,请重新登录。")
                % {"n": idle.timeout_minutes()},
            )
            return redirect_to_login(request.get_full_path())
        idle.touch(request)
        response = self.get_response(request)
        if request.resolver_match is None:  # an unknown address: no view, so no process_view
            return self._gate(request, user, "") or response
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        """The gate, on the view Django has just resolved (no second resolve of the path)."""
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        assert request.resolver_match is not None
        return self._gate(request, user, request.resolver_match.view_name)

    def _gate(self, request: HttpRequest, user: User, name: str) -> HttpResponse | None:
        if name in OPEN:
            return None
        if not is_verified(user) and second_factor_required(user):
            if name in SECOND_FACTOR_PAGES:
                return None
            return _to("accounts:verify" if has_second_factor(user) else "accounts:enroll", request)
        if session_password_expired(request, user):
            if name == "accounts:password_change":
                return None
            messages.warning(request, _("您的密码已过期,请先修改密码。"))
            return _to("accounts:password_change", request)
        return None

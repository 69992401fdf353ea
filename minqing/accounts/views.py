"""Sign-in (password, then the code when the user has a second factor), enrollment, recovery
codes, the password change and the security administrator's reset. Thin: the work is in
``services``."""

from typing import Any

import django_otp
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from minqing.accounts import signin
from minqing.accounts.forms import (
    AdminPasswordStepForm,
    CodeForm,
    PasswordChangeForm,
    PasswordStepForm,
    ResetForm,
)
from minqing.accounts.services.code_step import code_accepted, code_check
from minqing.accounts.services.passwords import password_change, password_expires_at
from minqing.accounts.services.second_factor import (
    BAD_CODE,
    CodeRefused,
    has_second_factor,
    is_verified,
    recovery_codes_issue,
    recovery_codes_left,
    second_factor_required,
    second_factor_reset,
    totp_confirm,
    totp_device_pending,
)
from minqing.core.errors import DomainError
from minqing.core.forms import LockoutAuthenticationForm
from minqing.core.qr import qr_svg_response
from minqing.core.views import LoginView as CoreLoginView
from minqing.orgs import policy
from minqing.orgs.enums import Duty

NEW_CODES_KEY = "minqing_new_recovery_codes"


def _next(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    return url if url and ok else default


class LoginView(CoreLoginView):
    """The password step (the lockout form). A user with a second factor goes on to the code
    step; anyone else is signed in here (a user who must enrol is then held on enrollment)."""

    form_class: type[LockoutAuthenticationForm] = PasswordStepForm

    def form_valid(self, form: PasswordStepForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if has_second_factor(user):
            signin.pending_begin(self.request, user, getattr(user, "backend", ""), self.get_success_url())
            return redirect("accounts:verify")
        return super().form_valid(form)


class AdminLoginView(LoginView):
    """The admin site's login (/admin/login/): the same two steps, staff only."""

    form_class = AdminPasswordStepForm
    template_name = "admin/login.html"
    redirect_authenticated_user = False


@never_cache
def admin_login(request: HttpRequest) -> HttpResponseBase:
    """Replaces AdminSite.login (config/urls.py), with the context the admin's template needs."""
    if request.method == "GET" and admin.site.has_permission(request):
        return HttpResponseRedirect(reverse("admin:index", current_app=admin.site.name))
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": _("登录"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=admin.site.name)
    return AdminLoginView.as_view(extra_context=context)(request)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The code step: a user waiting after the password step, or a signed-in user whose session
    is not verified yet although they have a second factor."""
    pending = signin.pending_user(request)
    current = request.user
    if pending is not None:
        user, backend, next_url = pending
    elif isinstance(current, User) and current.is_authenticated and has_second_factor(current):
        user, backend, next_url = current, "", _next(request, reverse("orgs:home"))
        if is_verified(current):
            return redirect(next_url)
    else:
        messages.info(request, _("请先输入用户名和密码。"))
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = code_check(user, form.cleaned_data["code"], request)
        except DomainError as err:
            signin.pending_end(request)
            form.add_error(None, err.message)
            return render(request, "accounts/verify.html", {"form": form, "locked": True}, status=200)
        if device is None:
            form.add_error("code", str(BAD_CODE))
        else:
            if pending is not None:
                auth_login(request, user, backend=backend or None)  # a new session key
                signin.pending_end(request)
            else:
                request.session.cycle_key()
            django_otp.login(request, device)
            code_accepted(user, device, request)
            return redirect(next_url or reverse("orgs:home"))
    return render(request, "accounts/verify.html", {"form": form, "username": user.get_username()})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enroll(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: the QR code and the secret, confirmed with a code."""
    user: User = request.user  # type: ignore[assignment]
    if has_second_factor(user) and not is_verified(user):
        return redirect("accounts:verify")  # replacing a device needs the current one first
    device = totp_device_pending(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_confirm(actor=user, user=user, token=form.cleaned_data["code"], request=request)
        except CodeRefused:
            form.add_error("code", str(BAD_CODE))
        else:
            device.refresh_from_db()
            request.session.cycle_key()
            django_otp.login(request, device)
            request.session[NEW_CODES_KEY] = codes
            messages.success(request, _("两步验证已启用。"))
            return redirect(f"{reverse('accounts:recovery_codes')}?next={_next(request, '')}")
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "uri": device.config_url,
        "has_device": has_second_factor(user),
        "required": second_factor_required(user),
        "next": _next(request, ""),
    }
    return render(request, "accounts/enroll.html", context)


@never_cache
@login_required
def enroll_qr(request: HttpRequest) -> HttpResponse:
    """The pending device's otpauth:// URI as an SVG QR code, never cached."""
    user: User = request.user  # type: ignore[assignment]
    if has_second_factor(user) and not is_verified(user):
        return redirect("accounts:verify")
    device = totp_device_pending(user)
    return qr_svg_response(device.config_url, scale=5, border=2)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; a verified user may issue a new set."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        if not is_verified(user):
            return redirect("accounts:verify")
        request.session[NEW_CODES_KEY] = recovery_codes_issue(actor=user, user=user, request=request)
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(NEW_CODES_KEY, None)
    context = {
        "codes": codes,
        "left": recovery_codes_left(user),
        "has_device": has_second_factor(user),
        "next": _next(request, ""),
    }
    return render(request, "accounts/recovery_codes.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every signed-in user's password change (the admin site's "change password" link too)."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"

    def get_success_url(self) -> str:
        return _next(self.request, reverse("orgs:home"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expires_at"] = password_expires_at(self.request.user)  # type: ignore[arg-type]
        context["next"] = _next(self.request, "")
        return context

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user: User = form.user
        password_change(
            actor=user, user=user, password=form.cleaned_data["new_password1"], request=self.request
        )
        messages.success(self.request, _("密码已修改。"))
        return HttpResponseRedirect(self.get_success_url())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_reset_view(request: HttpRequest) -> HttpResponse:
    """The security administrator removes a user's second factor (lost phone, used-up codes)."""
    policy.require_duty(request.user, Duty.SECURITY)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target: User = form.cleaned_data["username"]
        removed = second_factor_reset(actor=request.user, user=target, request=request)
        messages.success(
            request,
            _("已重置 %(user)s 的两步验证(移除 %(n)d 个设备),该用户下次登录时需重新绑定。")
            % {"user": target.get_username(), "n": removed},
        )
        return redirect("accounts:second_factor_reset")
    return render(request, "accounts/second_factor_reset.html", {"form": form})

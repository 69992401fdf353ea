"""The office's page for applications (``/api-clients/``) and a user's personal tokens
(``/api-clients/tokens/``): thin views over ``minqing.api.keys`` and the selectors. A secret is
shown once, in the answer to the POST that made it (never cached, never stored in clear)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minqing.api import keys, selectors
from minqing.api.forms import ApplicationForm, KeyForm, TokenForm
from minqing.api.models import ApiKey
from minqing.api.scopes import Scope
from minqing.core.errors import DomainError
from minqing.orgs import policy
from minqing.orgs.enums import Role
from minqing.orgs.models import Application
from minqing.orgs.selectors import default_unit, unit_by_code
from minqing.webhooks import selectors as webhook_selectors
from minqing.webhooks.forms import SubscriptionForm
from minqing.webhooks.models import DeliveryStatus


def _application(request: HttpRequest, pk: int) -> Application:
    app = selectors.managed_application(request.user, pk)
    if app is None:
        raise Http404
    return app


def _user(request: HttpRequest) -> User:
    """The signed-in user (the views are behind ``login_required``)."""
    assert isinstance(request.user, User)
    return request.user


def role_labels(app: Application) -> list[str]:
    return [str(Role(r).label) for r in app.roles if r in Role.values]


def show_secret(request: HttpRequest, *, title: str, secret: str, note: str, back: str) -> HttpResponse:
    """The one page that ever shows a secret: the answer to the POST that made it."""
    response = render(
        request, "api/secret.html", {"title": title, "secret": secret, "note": note, "back": back}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.OFFICE)
    apps = list(selectors.managed_applications(request.user))
    last_used: dict[int, Any] = {}
    for key in ApiKey.objects.filter(application__in=apps, last_used_at__isnull=False):
        assert key.application_id is not None
        if key.application_id not in last_used or key.last_used_at > last_used[key.application_id]:
            last_used[key.application_id] = key.last_used_at
    rows = [(a, last_used.get(a.pk), role_labels(a)) for a in apps]
    return render(request, "api/applications.html", {"rows": rows, "count": len(rows)})


@never_cache
@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.OFFICE)
    home = default_unit(request.user, policy.OFFICE)
    form = ApplicationForm(
        request.POST or None, initial={"unit": home.code if home else "", "scopes": [Scope.READ]}
    )
    if request.method == "POST" and form.is_valid():
        unit = unit_by_code(request.user, form.cleaned_data["unit"], policy.OFFICE)
        if unit is None:
            form.add_error("unit", _("找不到该单位,或您不是该单位的办公室"))
        else:
            try:
                app = keys.application_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    unit=unit,
                    roles=form.cleaned_data["roles"],
                    scopes=form.cleaned_data["scopes"],
                )
            except DomainError as err:
                form.add_error(None, err.bilingual())
            else:
                messages.success(request, _("已新建接入应用“{name}”").format(name=app.name))
                return redirect("api_clients:application", pk=app.pk)
    return render(request, "api/application_new.html", {"form": form})


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    status = request.GET.get("status", "")
    deliveries = webhook_selectors.deliveries_of(app, status)
    counts = webhook_selectors.status_counts(app)
    context = {
        "app": app,
        "keys": selectors.application_keys(app),
        "key_form": KeyForm(),
        "subscriptions": webhook_selectors.subscriptions_of(app),
        "subscription_form": SubscriptionForm(),
        "webhooks_allowed": Scope.WEBHOOKS in app.scopes,
        "deliveries": deliveries[: webhook_selectors.PAGE],
        "status": status,
        "status_rows": [(v, label, counts[v]) for v, label in DeliveryStatus.choices],
        "role_labels": role_labels(app),
        "scope_labels": [Scope(s).label for s in app.scopes if s in Scope.values],
    }
    return render(request, "api/application.html", context)


@never_cache
@require_POST
@login_required
def key_issue(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    form = KeyForm(request.POST)
    back = reverse("api_clients:application", args=[app.pk])
    if not form.is_valid():
        messages.error(request, _("请填写密钥名称"))
        return redirect(back)
    try:
        issued = keys.application_key_issue(
            actor=request.user, application=app, name=form.cleaned_data["name"]
        )
    except DomainError as err:
        messages.error(request, err.bilingual())
        return redirect(back)
    return show_secret(
        request,
        title=_("“{name}”的新密钥").format(name=app.name),
        secret=issued.secret,
        note=_("请立即复制并妥善保存:离开本页后无法再次查看。调用接口时放在 Authorization: Bearer 之后。"),
        back=back,
    )


@never_cache
@require_POST
@login_required
def key_revoke(request: HttpRequest, pk: int, key_pk: int) -> HttpResponse:
    app = _application(request, pk)
    key = app.keys.filter(pk=key_pk).first()
    if key is None:
        raise Http404
    try:
        keys.key_revoke(actor=request.user, key=key)
    except DomainError as err:
        messages.error(request, err.bilingual())
    else:
        messages.success(request, _("已吊销密钥 {prefix}…").format(prefix=key.prefix))
    return redirect("api_clients:application", pk=app.pk)


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own personal tokens: make one (shown once), revoke one."""
    user = _user(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = keys.personal_token_issue(
                actor=user,
                user=user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except DomainError as err:
            form.add_error(None, err.bilingual())
        else:
            return show_secret(
                request,
                title=_("新的个人令牌“{name}”").format(name=issued.key.name),
                secret=issued.secret,
                note=_("令牌以您的身份和角色调用接口,请勿交给他人。离开本页后无法再次查看。"),
                back=reverse("api_clients:tokens"),
            )
    context = {"form": form, "tokens": selectors.personal_tokens(user)}
    return render(request, "api/tokens.html", context)


@never_cache
@require_POST
@login_required
def token_revoke(request: HttpRequest, key_pk: int) -> HttpResponse:
    key = ApiKey.objects.filter(pk=key_pk, user=_user(request)).first()
    if key is None:
        raise Http404
    keys.key_revoke(actor=request.user, key=key)
    messages.success(request, _("已吊销令牌 {prefix}…").format(prefix=key.prefix))
    return redirect("api_clients:tokens")

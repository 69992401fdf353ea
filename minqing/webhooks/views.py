"""The webhook parts of an application's page (``/api-clients/<pk>/``): subscribe (the secret
shown once), pause or resume, and "retry now" on a delivery. Thin over ``services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minqing.api import selectors as api_selectors
from minqing.api.pages import show_secret
from minqing.core.errors import DomainError
from minqing.orgs.models import Application
from minqing.webhooks import selectors, services
from minqing.webhooks.forms import SubscriptionForm


def _application(request: HttpRequest, pk: int) -> Application:
    app = api_selectors.managed_application(request.user, pk)
    if app is None:
        raise Http404
    return app


def _back(app: Application) -> str:
    return reverse("api_clients:application", args=[app.pk]) + "#webhooks"


@never_cache
@require_POST
@login_required
def subscription_new(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {e}")
        return redirect(_back(app))
    try:
        new = services.subscription_create(
            actor=request.user,
            application=app,
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
            secret=form.cleaned_data["secret"],
        )
    except DomainError as err:
        messages.error(request, err.bilingual())
        return redirect(_back(app))
    return show_secret(
        request,
        title=_("订阅 {url} 的签名密钥").format(url=new.subscription.url),
        secret=new.secret,
        note=_("接收方用它校验 Minqing-Signature 签名(见接口文档“事件推送”一节)。离开本页后无法再次查看。"),
        back=_back(app),
    )


@never_cache
@require_POST
@login_required
def subscription_toggle(request: HttpRequest, pk: int, sub_pk: int) -> HttpResponse:
    app = _application(request, pk)
    sub = app.webhooks.filter(pk=sub_pk).first()
    if sub is None:
        raise Http404
    active = request.POST.get("active") == "1"
    services.subscription_set_active(actor=request.user, subscription=sub, active=active)
    messages.success(request, _("已启用订阅") if active else _("已暂停订阅"))
    return redirect(_back(app))


@never_cache
@require_POST
@login_required
def delivery_retry(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    app = _application(request, pk)
    delivery = selectors.delivery_for(app, delivery_pk)
    if delivery is None:
        raise Http404
    if services.delivery_retry_now(actor=request.user, delivery=delivery):
        messages.success(request, _("已安排立即重新发送"))
    else:
        messages.error(request, _("该推送已送达或正在发送"))
    return redirect(_back(app))

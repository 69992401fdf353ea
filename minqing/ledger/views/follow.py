"""The reporter follows their problem (issue 14 parts 4 and 5), no login: the tracking page's
forms (told of each change by SMS or e-mail, rate a resolution), "send to my phone", the QR code
of the tracking link. Whoever holds the tracking code is the reporter; message forms are
rate-limited per client IP (``MINQING_PUBLIC_MESSAGE_LIMIT`` per ``MINQING_PUBLIC_RATE_WINDOW``)."""

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minqing.core.audit import client_ip
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.qr import qr_svg_response
from minqing.core.ratelimit import rate_take
from minqing.ledger import selectors
from minqing.ledger.models import Feedback
from minqing.ledger.selectors import Tracking
from minqing.ledger.services.rating import can_rate, resident_rate
from minqing.notify import services as notify
from minqing.notify.forms import FollowForm, RatingForm, SendCodeForm

RATE_SCOPE = "public_message"
NOTICES = {"follow", "sent", "rated"}


def _tracking_or_404(code: str) -> tuple[Tracking, Feedback]:
    tracking = selectors.public_tracking(code)
    if tracking is None:
        raise Http404
    return tracking, Feedback.objects.select_related("problem").get(pk=tracking.feedback_id)


def track_context(tracking: Tracking, fb: Feedback, **forms: object) -> dict[str, object]:
    """What the tracking page shows beyond the facts: the reporter's subscriptions and forms."""
    assert fb.problem is not None
    rate_form = forms.get("rate_form")
    assert rate_form is None or isinstance(rate_form, RatingForm)
    return {
        "code": tracking.code,
        "tracking": tracking,
        "subscriptions": [(s, notify.mask(s.address)) for s in notify.active_subscriptions(fb)],
        "follow_form": forms.get("follow_form") or FollowForm(),
        "rate_form": rate_form or RatingForm(),
        # the form stays on the page with its errors (e.g. "办结后才能评价") even when it cannot be used
        "can_rate": can_rate(fb, fb.problem) or bool(rate_form is not None and rate_form.errors),
        "nav": "track",
    }


def _page(
    request: HttpRequest, tracking: Tracking, fb: Feedback, status: int = 200, **forms: object
) -> HttpResponse:
    return render(request, "public/track.html", track_context(tracking, fb, **forms), status=status)


def _done(tracking: Tracking, notice: str) -> HttpResponse:
    return redirect(f"{reverse('public:track', args=[tracking.code])}?done={notice}#follow")


def _take(request: HttpRequest) -> bool:
    return rate_take(
        scope=RATE_SCOPE,
        client=client_ip(request) or "unknown",
        limit=settings.MINQING_PUBLIC_MESSAGE_LIMIT,
        window=settings.MINQING_PUBLIC_RATE_WINDOW,
    )


@require_POST
def follow(request: HttpRequest, code: str) -> HttpResponse:
    tracking, fb = _tracking_or_404(code)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _page(request, tracking, fb, follow_form=form)
    try:
        with transaction.atomic():
            if not _take(request):
                raise DomainError(ErrorCode.RATE_LIMITED)
            notify.subscribe(
                feedback=fb, channel=form.cleaned_data["channel"], address=form.cleaned_data["address"]
            )
    except DomainError as err:
        form.add_error("address" if err.code != ErrorCode.RATE_LIMITED else None, err.message)
        status = 429 if err.code == ErrorCode.RATE_LIMITED else 200
        return _page(request, tracking, fb, status=status, follow_form=form)
    return _done(tracking, "follow")


@require_POST
def send_code(request: HttpRequest, code: str) -> HttpResponse:
    tracking, fb = _tracking_or_404(code)
    form = SendCodeForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            with transaction.atomic():
                if not _take(request):
                    raise DomainError(ErrorCode.RATE_LIMITED)
                notify.send_code(feedback=fb, phone=form.cleaned_data["phone"])
            return _done(tracking, "sent")
        except DomainError as err:
            error = err.message
    context = {"code": tracking.code, "send_form": form, "send_error": error, "nav": "submit"}
    return render(request, "public/submitted.html", context, status=200 if not error else 400)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    tracking, fb = _tracking_or_404(code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _page(request, tracking, fb, rate_form=form)
    d = form.cleaned_data
    try:
        resident_rate(feedback=fb, fixed=d["fixed"], satisfaction=d["satisfaction"], comment=d["comment"])
    except DomainError as err:
        form.add_error(None, err.message)
        tracking, fb = _tracking_or_404(code)
        return _page(request, tracking, fb, rate_form=form)
    return _done(tracking, "rated")


@never_cache
def qr(request: HttpRequest, code: str) -> HttpResponse:
    """The tracking link as a QR code (made here: minqing.core.qr)."""
    tracking = selectors.public_tracking(code)
    if tracking is None:
        raise Http404
    url = request.build_absolute_uri(reverse("public:track", args=[tracking.code]))
    return qr_svg_response(url, border=2, scale=4, title=url)

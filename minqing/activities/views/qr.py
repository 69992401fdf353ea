"""The activity's check-in link as a QR code (made here with segno, never a remote service) and a
page to print for the meeting hall: the title, a large QR code and the short link.

The SVG is its own document served by its own URL and shown with an <img> (no inline script or
style: CSP). Both are staff pages, for those who may see the activity.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from minqing.activities import selectors
from minqing.activities.models import Activity
from minqing.core.qr import qr_svg_response


def check_in_url(request: HttpRequest, activity: Activity) -> str:
    return request.build_absolute_uri(reverse("checkin:code", args=[activity.short_code]))


def _with_roster(request: HttpRequest, number: str) -> Activity:
    activity = selectors.activity_get(request.user, number)
    if activity.headcount is not None:  # counted by headcount: nobody checks in
        raise Http404
    return activity


@require_safe
@login_required
def activity_qr(request: HttpRequest, number: str) -> HttpResponse:
    activity = _with_roster(request, number)
    url = check_in_url(request, activity)
    response = qr_svg_response(url, border=4, omitsize=True, title=url)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
@login_required
def activity_poster(request: HttpRequest, number: str) -> HttpResponse:
    activity = _with_roster(request, number)
    context = {"activity": activity, "url": check_in_url(request, activity)}
    return render(request, "activities/poster.html", context)

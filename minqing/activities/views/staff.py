"""Staff pages of activities: thin views over ``selectors``, ``forms`` and the services.

An activity or a unit the user may not see is a 404, exactly like a missing one. Writes go only
through ``activity_create`` and ``attendance_check_in`` (campaign pages: ``minqing.campaigns.views``).
"""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minqing.activities import selectors
from minqing.activities.counting import activity_counts
from minqing.activities.forms import ActivityForm, period_from
from minqing.activities.models import Activity, CheckInMethod
from minqing.activities.selectors import ActivityFilters
from minqing.activities.services.activities import activity_create, attendance_check_in
from minqing.campaigns.selectors import campaign_by_id, default_period, visible_campaigns
from minqing.core.errors import DomainError
from minqing.orgs import policy
from minqing.orgs.selectors import default_unit, unit_filter
from minqing.orgs.unit_filters import unit_error

# --- activities -----------------------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    filters = ActivityFilters.from_mapping(request.GET)
    page = selectors.activity_list(request.user, filters, request.GET.get("page"))
    context = {
        "filters": filters,
        "page_obj": page,
        "unit_error": unit_error(request),
        "types": selectors.activity_types(),
        "campaigns": visible_campaigns(request.user),
        "can_create": policy.has_role(request.user, policy.UNIT_WRITERS),
    }
    return render(request, "activities/list.html", context)


@never_cache
@login_required
def activity_new(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.UNIT_WRITERS)
    if request.method != "POST":
        unit = default_unit(request.user, policy.UNIT_WRITERS)
        form = ActivityForm(actor=request.user, initial={"unit_code": unit.code if unit else ""})
        return render(request, "activities/new.html", {"form": form})
    form = ActivityForm(request.POST, actor=request.user)
    if not form.is_valid():
        return render(request, "activities/new.html", {"form": form})
    d = form.cleaned_data
    try:
        activity = activity_create(
            actor=request.user,
            type=d["type"],
            organiser=d["organiser"],
            title=d["title"],
            start=d["start"],
            end=d.get("end"),
            campaign=d["campaign_obj"],
            place=d.get("place", ""),
            lecturers=d.get("lecturers") or [],
            headcount=d.get("headcount"),
            script_ref=d.get("script_ref", ""),
            minutes_ref=d.get("minutes_ref", ""),
            media_ref=d.get("media_ref", ""),
        )
    except DomainError as err:
        form.add_error(None, err.message)
        return render(request, "activities/new.html", {"form": form})
    messages.success(
        request,
        _("已新建活动 {number},签到码 {code}").format(number=activity.number, code=activity.short_code),
    )
    return redirect("activities:detail", number=activity.number)


def _detail(request: HttpRequest, activity: Activity, status: int = 200) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    can_check_in = activity.headcount is None and policy.has_role(
        request.user, policy.UNIT_WRITERS, activity.organiser.path
    )
    phone_url = request.build_absolute_uri(reverse("checkin:code", args=[activity.short_code]))
    context = {
        "activity": activity,
        "lecturers": selectors.activity_lecturers(activity),
        "roster": selectors.activity_roster(activity),
        "can_check_in": can_check_in,
        "q": q,
        "results": selectors.people_for_check_in(request.user, activity, q) if can_check_in else [],
        "search_limit": selectors.SEARCH_LIMIT,
        "phone_url": phone_url,
    }
    return render(request, "activities/detail.html", context, status=status)


@never_cache
@login_required
def activity_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail(request, selectors.activity_get(request.user, number))


@require_POST
@login_required
def activity_check_in(request: HttpRequest, number: str) -> HttpResponse:
    """Check the ticked people in from the list (people of the organiser's subtree only)."""
    activity = selectors.activity_get(request.user, number)
    policy.require_role(request.user, policy.UNIT_WRITERS, activity.organiser.path)
    ids = [int(v) for v in request.POST.getlist("person") if v.isdigit()][: selectors.SEARCH_LIMIT]
    people = selectors.people_for_check_in_by_ids(request.user, activity, ids)
    if not people:
        messages.error(request, _("请先勾选要签到的人员"))
        return redirect(_back(activity, request.POST.get("q", "")))
    new = 0
    try:
        for person in people:
            _row, created = attendance_check_in(
                actor=request.user, activity=activity, person=person, method=CheckInMethod.LIST
            )
            new += int(created)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect(_back(activity, ""))
    text = _("已签到 {n} 人").format(n=new)
    if len(people) > new:
        text += _(";{n} 人此前已签到").format(n=len(people) - new)
    messages.success(request, text)
    return redirect(_back(activity, request.POST.get("q", "")))


def _back(activity: Activity, q: str) -> str:
    url = reverse("activities:detail", args=[activity.number])
    q = q.strip()[:50]
    if q:
        url += "?" + urlencode({"q": q})
    return url


# --- counts ---------------------------------------------------------------------------------


@login_required
def counts(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("unit", "").strip()[:32]
    unit, error = unit_filter(request.user, code)
    campaign = campaign_by_id(request.user, request.GET.get("campaign"))
    start, end = period_from(request.GET, default_period(request.user, campaign, timezone.localdate()))
    context: dict[str, Any] = {
        "unit": unit,
        "unit_code": code or (unit.code if unit else ""),
        "unit_error": error,
        "start": start,
        "end": end,
        "campaign": campaign,
        "campaigns": visible_campaigns(request.user),
        "rows": [],
    }
    if unit is None:
        raise Http404
    if end < start:
        context["period_error"] = True
        return render(request, "activities/counts.html", context)
    rows = activity_counts(
        request.user,
        unit,
        selectors.day_start(start),
        selectors.day_start(end + dt.timedelta(days=1)),  # the end day is included
        campaign=campaign,
    )
    context["rows"] = rows
    context["totals"] = {
        "sessions": sum(r.sessions for r in rows),
        "person_times": sum(r.person_times for r in rows),
        "headcount_only": sum(r.headcount_only for r in rows),
    }
    if not context["totals"]["sessions"]:  # say why the table is all zeros, and where records are
        context["records_range"] = selectors.activity_dates(request.user, unit)
    return render(request, "activities/counts.html", context)

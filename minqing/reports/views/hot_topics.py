"""热点话题: the hot topics of a unit's subtree over a period, for the office and leaders.

Query: ``unit`` (code; default the top of the user's scope), ``start`` / ``end`` (dates, both
included; default as on the dashboard). A unit out of scope is a 404 like a missing one; a user
without an office or leader role on the unit gets 403.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from minqing.campaigns.selectors import default_period
from minqing.nlp.topics.selectors import topic_problems, unit_hot_topics
from minqing.orgs import policy
from minqing.orgs.unit_filters import request_unit
from minqing.reports.dashboard import selectors
from minqing.reports.dashboard.period import period_from

TOP = 20


@login_required
def hot_topics(request: HttpRequest) -> HttpResponse:
    unit = request_unit(request)
    policy.require_role(request.user, policy.HOT_TOPIC_READERS, unit.path)
    period = period_from(request.GET, default_period(request.user, None, timezone.localdate()))
    context: dict[str, Any] = {
        "unit": unit,
        "period": period,
        "unit_choices": selectors.unit_choices(request.user, unit),
    }
    if not period.valid:
        context["period_error"] = True
        return render(request, "reports/hot_topics.html", context)
    topics = unit_hot_topics(request.user, unit, period.start_at, period.end_at, top=TOP)
    context["topics"] = [(t, topic_problems(t)) for t in topics]
    return render(request, "reports/hot_topics.html", context)

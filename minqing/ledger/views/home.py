"""The landing page after sign-in ("我的工作"): a thin view over ``selectors_work``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minqing.activities.outreach.work import plans_to_review
from minqing.ledger.selectors_work import work_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    work = work_summary(request.user)
    plans = plans_to_review(request.user)
    context = {
        "work": work,
        "plans": plans,
        "has_blocks": bool(work.blocks or plans),
        "total": work.total + sum(p.count for p in plans),
    }
    return render(request, "ledger/home.html", context)

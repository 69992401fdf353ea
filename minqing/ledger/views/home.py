"""The landing page after sign-in ("我的工作"): a thin view over ``selectors_work``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minqing.activities.outreach.work import plans_to_review
from minqing.ledger.selectors_work import work_summary
from minqing.programmes.work import progress_to_report
from minqing.supervision.work import inspections_to_record


@login_required
def home(request: HttpRequest) -> HttpResponse:
    work = work_summary(request.user)
    plans = plans_to_review(request.user)
    inspections = inspections_to_record(request.user)
    progress = progress_to_report(request.user)
    context = {
        "work": work,
        "plans": plans,
        "inspections": inspections,
        "progress": progress,
        "has_blocks": bool(work.blocks or plans or inspections is not None or progress is not None),
        "total": work.total
        + sum(p.count for p in plans)
        + (inspections.count if inspections else 0)
        + len(progress or []),
    }
    return render(request, "ledger/home.html", context)

"""The landing page after sign-in ("我的工作"): a thin view over ``selectors_work``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minqing.ledger.selectors_work import work_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/home.html", {"work": work_summary(request.user)})

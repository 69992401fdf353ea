"""Pages of the nlp app: how often the intake suggestions were taken (the office's page)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minqing.nlp.selectors import acceptance_rates
from minqing.orgs import policy


@login_required
def acceptance(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.OFFICE)
    return render(request, "nlp/acceptance.html", {"rates": acceptance_rates(request.user)})

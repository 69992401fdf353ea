"""The catalogues' index: the three catalogues with their counts in the actor's scope."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minqing.catalogues import selectors as sel
from minqing.catalogues.counting import commendation_summary, power_summary, reform_summary
from minqing.catalogues.permissions import is_office
from minqing.orgs.unit_filters import flag_unit_error


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """``?unit=<code>`` narrows the counts to that unit's subtree (a bad one: an inline error)."""
    flag_unit_error(request)
    unit = sel.filter_unit(request.user, request.GET.get("unit", ""))
    ctx = {
        "unit_filter": unit,
        "powers": power_summary(sel.power_items(request.user, sel.PowerFilters(unit=unit)), detail=False),
        "reforms": reform_summary(sel.reforms(request.user, sel.ReformFilters(unit=unit))),
        "commendations": commendation_summary(
            sel.commendations(request.user, sel.CommendationFilters(unit=unit))
        ),
        "can_upload": is_office(request.user),
    }
    return render(request, "catalogues/index.html", ctx)

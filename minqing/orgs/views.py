"""Staff pages of the organisation network: thin views over ``minqing.orgs.selectors``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minqing.core.pages import paginate
from minqing.orgs import coverage, selectors
from minqing.orgs.enums import Rank
from minqing.orgs.models import Person


@login_required
def unit_lookup(request: HttpRequest) -> JsonResponse:
    """The unit picker's suggestions: ``?q=`` (code, short code or name) in the actor's scope,
    at most ten, each with its parents."""
    q = request.GET.get("q", "").strip()[:50]
    results = selectors.unit_matches(request.user, q) if q else []
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    context: dict[str, object] = {"q": q, "search_limit": selectors.SEARCH_LIMIT}
    if q:
        context["results"] = selectors.unit_search(request.user, q)
    else:
        open_unit = None
        open_pk = request.GET.get("open", "")
        if open_pk.isdigit():
            open_unit = selectors.unit_get(request.user, int(open_pk))
        context["open_unit"] = open_unit
        context["rows"] = selectors.unit_tree_rows(request.user, open_unit)
    return render(request, "orgs/unit_tree.html", context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(request.user, pk)
    children = paginate(selectors.unit_children(request.user, unit), request.GET.get("page"))
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(request.user, unit),
        "counts": selectors.unit_counts(request.user, unit),
        "coverage": coverage.run_checks(request.user, unit),
        "children": children,
    }
    return render(request, "orgs/unit_detail.html", context)


@login_required
def unit_people(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(request.user, pk)
    q = request.GET.get("q", "")
    rank = request.GET.get("rank", "")
    party = request.GET.get("party", "")
    page = selectors.unit_people(request.user, unit, request.GET.get("page"), q=q, rank=rank, party=party)
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(request.user, unit),
        "page_obj": page,
        "q": q,
        "rank": rank,
        "party": party,
        "ranks": Rank.choices,
    }
    return render(request, "orgs/unit_people.html", context)


@login_required
def unit_households(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(request.user, pk)
    q = request.GET.get("q", "")
    page = selectors.unit_households(request.user, unit, request.GET.get("page"), q=q)
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(request.user, unit),
        "page_obj": page,
        "q": q,
    }
    return render(request, "orgs/unit_households.html", context)


def _person_page(request: HttpRequest, person: Person, *, reveal: bool) -> HttpResponse:
    context = {
        "person": person,
        "unit": person.unit,
        "ancestors": [*selectors.unit_ancestors(request.user, person.unit), (person.unit, True)],
        "identity": selectors.person_identity(request.user, person, request, reveal=reveal),
        "can_reveal": selectors.can_reveal(request.user, person),
        "assignments": selectors.person_assignments(request.user, person),
    }
    return render(request, "orgs/person_detail.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, selectors.person_get(request.user, pk), reveal=False)


@never_cache
@require_POST
@login_required
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full phone and ID number once; audited. Viewers get 403, out of scope 404."""
    return _person_page(request, selectors.person_get(request.user, pk), reveal=True)


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_open(request.user, pk, request)
    grid = household.grid
    context = {
        "household": household,
        "unit": grid,
        "ancestors": [*selectors.unit_ancestors(request.user, grid), (grid, True)],
        "assignments": selectors.household_assignments(request.user, household),
    }
    return render(request, "orgs/household_detail.html", context)

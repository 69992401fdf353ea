"""An online report (or a call) arrives without a category: the dispatcher settles it when
assigning, on the page and through the API, and the resident's tracking page then shows it."""

from typing import Any

from django.urls import reverse

from minqing.ledger.enums import Action
from minqing.ledger.models import Category, ProblemEvent
from minqing.ledger.selectors import public_tracking
from minqing.ledger.tests.pages import login, post_act


def leaf_category() -> Category:
    found = Category.objects.filter(level__gt=1).order_by("full_name").first() or Category.objects.first()
    assert found is not None, "the taxonomy's data migration seeds the categories"
    return found


def test_assigning_sets_the_category_of_an_uncategorised_report(client: Any, lw: Any) -> None:
    fb = lw.submit()
    p = fb.problem
    assert p.category is None
    page = (
        login(client, lw.users["county_office"])
        .get(reverse("ledger:detail", args=[p.number]))
        .content.decode()
    )
    assert 'name="assign-category"' in page
    category = leaf_category()
    r = post_act(client, p, "assign", unit_code=lw.u["town_a"].code, category=category.pk)
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.category == category
    event = ProblemEvent.objects.get(problem=p, action=Action.ASSIGN)
    assert event.data["category"] == category.full_name
    tracking = public_tracking(fb.tracking_code)
    assert tracking is not None and category.name in str(tracking.category)


def test_leaving_it_blank_keeps_the_category(client: Any, lw: Any) -> None:
    p = lw.submit().problem
    category = leaf_category()
    p.category = category
    p.save(update_fields=["category"])
    assert (
        post_act(
            login(client, lw.users["county_office"]), p, "assign", unit_code=lw.u["town_a"].code
        ).status_code
        == 302
    )
    p.refresh_from_db()
    assert p.category == category
    assert "category" not in ProblemEvent.objects.get(problem=p, action=Action.ASSIGN).data

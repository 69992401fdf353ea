"""The clerk's intake page with suggestions: 分析/建议 shows them, 采纳 fills the field (without
JavaScript), the registration records what was suggested and chosen, the office's rates page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.ledger.enums import Channel
from minqing.ledger.models import Category, Problem
from minqing.nlp import units as gz
from minqing.nlp.models import Suggestion
from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import UserFactory, grant, small_tree

pytestmark = pytest.mark.django_db

URL = reverse("ledger:intake") + f"?channel={Channel.CALL}"
TEXT = {"title": "泉山社区门口道路塌陷", "content": "泉山社区门口的道路塌陷三个月了,没人修,晚上骑车很危险"}


@pytest.fixture
def world():
    gz.invalidate()
    u = small_tree()
    clerk = UserFactory(username="clerk")
    grant(clerk, Role.INTAKE, u["county"])
    office = UserFactory(username="office")
    grant(office, Role.OFFICE, u["county"])
    yield u, clerk, office
    gz.invalidate()


def _post(client, **data):
    return client.post(URL, {"urgency": "normal", "caller": "0474-8888888", **data})


def test_suggest_button_shows_categories_and_units(client, world):
    u, clerk, _office = world
    client.force_login(clerk)
    r = _post(client, suggest="1", **TEXT)
    assert r.status_code == 200
    assert not Problem.objects.exists()  # nothing registered
    s = r.context["suggestions"]
    assert s.categories[0].label == "城乡建设" and len(s.categories) == 3
    assert s.units[0].unit_id == u["village_a"].pk
    page = r.content.decode()
    assert "建议分类" in page and "城乡建设" in page and "文中提到 泉山社区" in page
    assert f'name="accept_unit" value="{u["village_a"].code}"' in page
    # what was typed is kept, no error shown for the empty unit
    assert TEXT["content"] in page and "errorlist" not in page
    # the GET page has no suggestions block
    assert "建议分类" not in client.get(URL).content.decode()


def test_accept_fills_the_category_and_the_unit(client, world):
    u, clerk, _office = world
    client.force_login(clerk)
    cat = Category.objects.get(level=1, name="城乡建设")
    r = _post(client, accept_category=str(cat.pk), **TEXT)
    assert r.context["form"]["category"].value() == str(cat.pk)
    assert f'<option value="{cat.pk}" selected>' in r.content.decode()
    r = _post(client, accept_unit=u["village_a"].code, category=str(cat.pk), **TEXT)
    form = r.context["form"]
    assert form["unit_code"].value() == u["village_a"].code and form["category"].value() == str(cat.pk)


def test_registration_records_the_suggestions_and_the_choice(client, world):
    u, clerk, _office = world
    client.force_login(clerk)
    cat = Category.objects.get(level=1, name="城乡建设")
    r = _post(client, unit_code=u["village_a"].code, category=str(cat.pk), **TEXT)
    assert r.status_code == 302
    s = Suggestion.objects.get()
    assert s.problem == Problem.objects.get() and s.by == clerk
    assert s.categories[0]["label"] == "城乡建设" and 0 < s.categories[0]["confidence"] <= 1
    assert s.chosen_category == cat and s.accepted and s.category_rank == 1
    assert s.units[0]["code"] == u["village_a"].code and s.chosen_unit == u["village_a"] and s.unit_accepted


def test_a_subcategory_of_a_suggestion_counts_as_taken_and_others_do_not(client, world):
    u, clerk, _office = world
    client.force_login(clerk)
    sub = Category.objects.filter(parent__name="城乡建设", level=2).first()
    assert sub is not None
    other = Category.objects.get(level=1, name="党务政务")
    _post(client, unit_code=u["town_b"].code, category=str(sub.pk), **TEXT)
    _post(client, unit_code=u["town_b"].code, category=str(other.pk), title="又一件", content=TEXT["content"])
    first, second = Suggestion.objects.order_by("pk")
    assert first.accepted and first.category_rank == 1 and not first.unit_accepted
    assert not second.accepted and second.category_rank is None


def test_a_merge_records_nothing(client, world):
    u, clerk, _office = world
    client.force_login(clerk)
    _post(client, unit_code=u["village_a"].code, **TEXT)
    number = Problem.objects.get().number
    _post(client, unit_code=u["village_a"].code, merge_number=number, **TEXT)
    assert Suggestion.objects.count() == 1


def _record(problem, at, *, label, rank, units=True, unit_accepted=False):
    cats = [{"label": label, "confidence": 0.9, "category_id": None}]
    Suggestion.objects.create(
        problem=problem,
        categories=cats,
        category_rank=rank,
        accepted=rank is not None,
        units=[{"unit_id": 1}] if units else [],
        unit_accepted=unit_accepted,
        at=at,
    )


def test_rates_page_counts_per_category_and_month(client, world):
    u, clerk, office = world
    client.force_login(clerk)
    _post(client, unit_code=u["village_a"].code, **TEXT)
    Suggestion.objects.all().delete()
    p = Problem.objects.get()
    tz = timezone.get_current_timezone()
    nov, dec = dt.datetime(2026, 11, 5, tzinfo=tz), dt.datetime(2026, 12, 2, tzinfo=tz)
    _record(p, nov, label="城乡建设", rank=1, unit_accepted=True)
    _record(p, nov, label="城乡建设", rank=2)
    _record(p, dec, label="城乡建设", rank=None, units=False)
    _record(p, dec, label="环境保护", rank=1, unit_accepted=True)
    assert client.get(reverse("nlp:acceptance")).status_code == 403  # the clerk is not the office
    client.force_login(office)
    r = client.get(reverse("nlp:acceptance"))
    rates = r.context["rates"]
    t = rates.total
    assert (t.n, t.accepted, t.top1, t.units_n, t.units_accepted) == (4, 3, 2, 3, 2)
    cats = {x.key: x for x in rates.by_category}
    assert [x.key for x in rates.by_category] == ["城乡建设", "环境保护"]
    assert (cats["城乡建设"].n, cats["城乡建设"].accepted, cats["城乡建设"].top1) == (3, 2, 1)
    assert cats["城乡建设"].rate == pytest.approx(2 / 3)
    months = {x.key: x for x in rates.by_month}
    assert [x.key for x in rates.by_month] == ["2026-12", "2026-11"]
    assert (months["2026-11"].n, months["2026-11"].accepted, months["2026-11"].unit_rate) == (2, 2, 0.5)
    assert (months["2026-12"].n, months["2026-12"].accepted, months["2026-12"].units_n) == (2, 1, 1)
    page = r.content.decode()
    assert "66.7%" in page and "75.0%" in page
    assert reverse("nlp:acceptance") in page  # the menu links to it for the office


def test_rates_page_is_scoped_to_the_office(client, world):
    u, clerk, _office = world
    client.force_login(clerk)
    _post(client, unit_code=u["village_b"].code, **TEXT)
    b_office = UserFactory(username="b_office")
    grant(b_office, Role.OFFICE, u["town_a"])  # the problem is in town B
    client.force_login(b_office)
    assert client.get(reverse("nlp:acceptance")).context["rates"].total.n == 0


def test_online_submission_shows_nothing_to_the_public_and_the_suggestions_to_the_dispatcher(client, world):
    u, clerk, _office = world
    r = client.post(
        reverse("public:submit"),
        {**TEXT, "unit_code": u["village_a"].code, "token": "a" * 32},
    )
    assert r.status_code == 200, r.content
    code = r.context["code"]
    assert "建议" not in r.content.decode()
    assert "建议" not in client.get(reverse("public:track", args=[code])).content.decode()
    assert not Suggestion.objects.exists()
    number = Problem.objects.get().number
    client.force_login(clerk)  # the intake role assigns (a dispatcher)
    page = client.get(reverse("ledger:detail", args=[number]))
    s = page.context["suggestions"]
    assert s is not None and s.units[0].unit_id == u["village_a"].pk
    assert "反映人选择的地点 泉山社区" in s.units[0].reasons
    assert "建议分类" in page.content.decode() and 'name="accept_unit"' not in page.content.decode()
    staff = UserFactory(username="village_staff")
    grant(staff, Role.UNIT_STAFF, u["village_a"])  # the unit reported on: not a dispatcher
    client.force_login(staff)
    assert client.get(reverse("ledger:detail", args=[number])).context["suggestions"] is None

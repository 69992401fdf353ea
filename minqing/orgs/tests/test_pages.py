"""Every staff page: allowed, denied (out of subtree looks like missing), anonymous."""

import pytest
from django.urls import reverse

from minqing.core.models import AuditEvent


def _client(client, user):
    client.force_login(user)
    return client


def pages_of(w, side: str) -> list[str]:
    town, village, grid = w.u[f"town_{side}"], w.u[f"village_{side}"], w.u[f"grid_{side}"]
    return [
        reverse("orgs:unit", args=[town.pk]),
        reverse("orgs:unit", args=[village.pk]),
        reverse("orgs:unit", args=[grid.pk]),
        reverse("orgs:unit_people", args=[town.pk]),
        reverse("orgs:unit_households", args=[town.pk]),
        reverse("orgs:unit_households", args=[grid.pk]),
        reverse("orgs:person", args=[w.people[f"village_{side}"].pk]),
        reverse("orgs:person", args=[w.people[f"town_{side}"].pk]),
        reverse("orgs:household", args=[w.households[side][0].pk]),
        reverse("orgs:tree") + f"?open={village.pk}",
    ]


def test_allowed_in_own_subtree(client, world):
    c = _client(client, world.users["a_staff"])
    for url in [reverse("orgs:tree"), *pages_of(world, "a")]:
        r = c.get(url)
        assert r.status_code == 200, url
        assert "白海子镇" not in r.content.decode(), url  # township B never appears, not even in the switcher


def test_denied_outside_subtree_is_404(client, world):
    c = _client(client, world.users["a_staff"])
    for url in pages_of(world, "b"):
        assert c.get(url).status_code == 404, url
    # ancestors above the scope are not openable either
    for key in ("county", "prefecture", "province"):
        assert c.get(reverse("orgs:unit", args=[world.u[key].pk])).status_code == 404


def test_missing_object_is_404_like_out_of_scope(client, world):
    c = _client(client, world.users["a_staff"])
    for name in ("orgs:unit", "orgs:unit_people", "orgs:unit_households", "orgs:person", "orgs:household"):
        assert c.get(reverse(name, args=[999999])).status_code == 404


def test_user_without_role_sees_nothing(client, world):
    c = _client(client, world.users["nobody"])
    r = c.get(reverse("orgs:tree"))
    assert r.status_code == 200
    assert "新体育场街道" not in r.content.decode()
    assert c.get(reverse("orgs:unit", args=[world.u["town_a"].pk])).status_code == 404


def test_county_office_sees_both_townships(client, world):
    c = _client(client, world.users["county_office"])
    for url in pages_of(world, "a") + pages_of(world, "b"):
        assert c.get(url).status_code == 200, url


def test_superuser_sees_everything(client, world):
    c = _client(client, world.users["root"])
    r = c.get(reverse("orgs:tree") + f"?open={world.u['grid_b'].pk}")
    assert r.status_code == 200
    assert "红旗村第一村民小组" in r.content.decode()
    assert c.get(reverse("orgs:unit", args=[world.u["province"].pk])).status_code == 200


@pytest.mark.parametrize("side", ["a"])
def test_anonymous_redirected_to_login(client, world, side):
    login = reverse("login")
    for url in ["/", reverse("orgs:tree"), *pages_of(world, side)]:
        r = client.get(url)
        assert r.status_code == 302, url
        assert r.url.startswith(login), url
    r = client.post(reverse("orgs:person_reveal", args=[world.people["village_a"].pk]))
    assert r.status_code == 302 and r.url.startswith(login)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).exists()


def test_home_is_my_work_and_tree_is_in_the_menu(client, world):
    r = _client(client, world.users["a_staff"]).get("/")
    body = r.content.decode()
    assert r.status_code == 200 and "我的工作" in body
    assert f'href="{reverse("orgs:tree")}"' in body


def test_tree_lists_scope_roots_and_expands(client, world):
    c = _client(client, world.users["a_staff"])
    body = c.get(reverse("orgs:tree")).content.decode()
    assert "新体育场街道" in body and "泉山社区" not in body  # collapsed
    body = c.get(reverse("orgs:tree") + f"?open={world.u['town_a'].pk}").content.decode()
    assert "泉山社区" in body and "150902001001" in body


def test_search_never_returns_other_township(client, world):
    c = _client(client, world.users["a_staff"])
    for q in ("150902", "镇", "村", "G-", "红旗"):
        body = c.get(reverse("orgs:tree"), {"q": q}).content.decode()
        assert "白海子镇" not in body and "红旗村" not in body, q
    body = c.get(reverse("orgs:tree"), {"q": "1509020010"}).content.decode()
    assert "泉山社区" in body


def test_unit_switcher_lists_only_scope(client, world):
    c = _client(client, world.users["a_staff"])
    r = c.get(reverse("orgs:unit", args=[world.u["village_a"].pk]))
    assert [u.pk for u in r.context["scope_units"]] == [world.u["town_a"].pk]
    c = _client(client, world.users["county_office"])
    r = c.get(reverse("orgs:tree"))
    assert [u.pk for u in r.context["scope_units"]] == [world.u["county"].pk]


def test_breadcrumb_links_only_ancestors_in_scope(client, world):
    c = _client(client, world.users["a_staff"])
    body = c.get(reverse("orgs:unit", args=[world.u["grid_a"].pk])).content.decode()
    assert "集宁区" in body  # shown as text
    assert f'href="{reverse("orgs:unit", args=[world.u["county"].pk])}"' not in body
    assert f'href="{reverse("orgs:unit", args=[world.u["town_a"].pk])}"' in body


def test_unit_page_shows_counts_and_coverage(client, world):
    c = _client(client, world.users["county_office"])
    r = c.get(reverse("orgs:unit", args=[world.u["county"].pk]))
    counts = r.context["counts"]
    assert (counts.households, counts.people, counts.assignments) == (4, 4, 3)
    body = r.content.decode()
    assert "没有联系干部的村(社区)" in body and "从未走访的户" in body
    assert "走访记录启用后显示" not in body  # the activities app registers the real check


def test_people_list_filters(client, world):
    c = _client(client, world.users["county_office"])
    url = reverse("orgs:unit_people", args=[world.u["county"].pk])
    assert c.get(url).context["page_obj"].paginator.count == 4
    assert c.get(url, {"q": "张三"}).context["page_obj"].paginator.count == 1
    assert c.get(url, {"party": "no"}).context["page_obj"].paginator.count == 0
    assert c.get(url, {"rank": "section", "page": "99"}).status_code == 200


def test_households_list_counts_subtree_only(client, world):
    c = _client(client, world.users["a_staff"])
    r = c.get(reverse("orgs:unit_households", args=[world.u["town_a"].pk]))
    assert r.context["page_obj"].paginator.count == 2
    number = world.households["a"][1].number
    r = c.get(reverse("orgs:unit_households", args=[world.u["town_a"].pk]), {"q": number})
    assert r.context["page_obj"].paginator.count == 1


# --- the identity reveal -------------------------------------------------------------------


def _reveal_url(w, key="village_a"):
    return reverse("orgs:person_reveal", args=[w.people[key].pk])


def test_person_page_masks_identity(client, world):
    c = _client(client, world.users["a_staff"])
    body = c.get(reverse("orgs:person", args=[world.people["village_a"].pk])).content.decode()
    assert "138****5678" in body and "150902********1234" in body
    assert "13812345678" not in body and "显示完整信息" in body
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).exists()


def test_staff_reveal_shows_and_audits(client, world):
    c = _client(client, world.users["a_staff"])
    r = c.post(_reveal_url(world))
    assert r.status_code == 200
    body = r.content.decode()
    assert "13812345678" in body and "150902199001011234" in body
    ev = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_PERSONAL)
    assert ev.actor == world.users["a_staff"]
    assert ev.object_type == "orgs.person" and ev.object_id == str(world.people["village_a"].pk)


def test_reveal_by_out_of_scope_user_is_404_and_not_audited(client, world):
    c = _client(client, world.users["b_staff"])
    assert c.post(_reveal_url(world)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).exists()


def test_viewer_cannot_reveal(client, world):
    c = _client(client, world.users["a_viewer"])
    body = c.get(reverse("orgs:person", args=[world.people["village_a"].pk])).content.decode()
    assert "138****5678" in body and "显示完整信息" not in body
    r = c.post(_reveal_url(world))
    assert r.status_code == 403
    assert "13812345678" not in r.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).exists()


def test_reveal_requires_post(client, world):
    c = _client(client, world.users["a_staff"])
    assert c.get(_reveal_url(world)).status_code == 405
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).exists()


def test_person_page_hides_assignments_outside_scope(client, world):
    from minqing.orgs.tests.factories import AssignmentFactory

    AssignmentFactory(person=world.people["town_a"], unit=world.u["village_b"])
    c = _client(client, world.users["a_staff"])
    r = c.get(reverse("orgs:person", args=[world.people["town_a"].pk]))
    assert [a.unit for a in r.context["assignments"]] == [world.u["village_a"]]


def test_every_page_renders_in_english(client, world):
    from django.conf import settings

    c = _client(client, world.users["a_staff"])
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in [reverse("orgs:tree"), reverse("orgs:tree") + "?q=1509", *pages_of(world, "a")]:
        r = c.get(url)
        assert r.status_code == 200, url
        assert '<html lang="en">' in r.content.decode()
    assert c.post(_reveal_url(world)).status_code == 200


def test_not_found_page_is_the_sites_own_in_chinese(client, world, settings) -> None:
    settings.DEBUG = False
    client.force_login(world.users["a_staff"])
    page = client.get(f"/units/{world.u['town_b'].pk}/")
    assert page.status_code == 404
    body = page.content.decode()
    assert "页面不存在,或不在您的权限范围内" in body
    assert world.u["town_b"].name not in body


def test_household_list_masks_head_names_and_the_page_is_audited(client, world):
    c = _client(client, world.users["a_staff"])
    household = world.households["a"][0]
    listing = c.get(reverse("orgs:unit_households", args=[world.u["town_a"].pk])).content.decode()
    assert household.head_name not in listing
    assert household.head_name[0] + "*" in listing
    before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL).count()
    page = c.get(reverse("orgs:household", args=[household.pk]))
    assert household.head_name in page.content.decode()
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PERSONAL)
    assert events.count() == before + 1
    assert events.values_list("object_id", flat=True).first() == str(household.pk)


def test_denied_household_page_writes_no_audit(client, world):
    c = _client(client, world.users["b_staff"])
    before = AuditEvent.objects.count()
    assert c.get(reverse("orgs:household", args=[world.households["a"][0].pk])).status_code == 404
    assert AuditEvent.objects.count() == before

"""The staff menu links only to pages that open for the user: every link shown answers 200, every
link of the full menu that is hidden answers 403 or 404."""

import re

import pytest

from minqing.orgs.enums import Role
from minqing.orgs.tests.factories import PASSWORD, UserFactory, grant, small_tree

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="menu".*?</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')

# who: (role, unit key) or None (signed in, no role)
USERS = {
    "county_office": (Role.OFFICE, "county"),
    "county_intake": (Role.INTAKE, "county"),
    "county_leader": (Role.LEADER, "county"),
    "county_inspector": (Role.INSPECTOR, "county"),
    "town_staff": (Role.UNIT_STAFF, "town_a"),
    "town_leader": (Role.LEADER, "town_a"),
    "town_viewer": (Role.VIEWER, "town_a"),
    "nobody": None,
}


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree():
    return small_tree()


def menu_links(client, username: str) -> list[str]:
    assert client.login(username=username, password=PASSWORD)
    page = client.get("/", follow=True)
    assert page.status_code == 200
    nav = MENU.search(page.content.decode())
    assert nav is not None
    return list(dict.fromkeys(HREF.findall(nav.group(0))))


def refused(response) -> bool:
    """403, 404, or the admin's answer to a user who is not staff: its login page."""
    if response.status_code == 302:
        return response.url.startswith("/admin/login/")
    return response.status_code in (403, 404)


def make_user(tree, name: str):
    user = UserFactory(username=name)
    spec = USERS[name]
    if spec is not None:
        grant(user, spec[0], tree[spec[1]])
    return user


@pytest.mark.parametrize("name", list(USERS))
def test_each_link_shown_opens_and_each_link_hidden_is_refused(client, tree, name) -> None:
    UserFactory(username="root", is_superuser=True, is_staff=True)
    everything = menu_links(client, "root")
    make_user(tree, name)
    shown = menu_links(client, name)
    assert set(shown) <= set(everything)
    for url in shown:
        assert client.get(url, follow=True).status_code == 200, url
    for url in set(everything) - set(shown):
        assert refused(client.get(url)), url


def test_the_full_menu_for_a_superuser(client, tree) -> None:
    UserFactory(username="root", is_superuser=True, is_staff=True)
    links = menu_links(client, "root")
    for url in links:
        assert client.get(url, follow=True).status_code == 200, url
    assert {
        "/ledger/intake/",
        "/activities/new/",
        "/supervision/inspections/new/",
        "/programmes/new/",
    } <= set(links)


def test_a_township_leader_is_not_offered_intake_which_refuses_him(client, tree) -> None:
    make_user(tree, "town_leader")
    assert "/ledger/intake/" not in menu_links(client, "town_leader")
    assert client.get("/ledger/intake/").status_code == 403


def test_township_staff_may_register_but_not_inspect_nor_plan(client, tree) -> None:
    make_user(tree, "town_staff")
    links = menu_links(client, "town_staff")
    assert "/ledger/intake/" in links  # unit staff register letters and visits (policy.INTAKE)
    assert "/activities/new/" in links
    assert "/supervision/inspections/new/" not in links
    assert "/programmes/new/" not in links
    assert client.get("/supervision/inspections/new/").status_code == 403
    assert client.get("/programmes/new/").status_code == 403

"""``minqing tree CODE [--json]``."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from minqing.demo.tests.conftest import TINY, load
from minqing.orgs.models import Household, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load(TINY)


def run(*args):
    out = io.StringIO()
    call_command("tree", *args, stdout=out)
    return out.getvalue()


def test_tree_table(loaded):
    text = run("152201")
    assert text.startswith("乌兰浩特市(152201000000)")
    lines = {line.rsplit(None, 1)[0].strip(): line.rsplit(None, 1)[1] for line in text.splitlines()[3:]}
    assert lines["乡级(镇/乡/苏木/街道)"] == "17"
    assert lines["村级(村/嘎查/社区)"] == "130"
    assert lines["网格(村民小组/社区网格)"] == "20"
    assert lines["户"] == "200"
    assert lines["机关事业单位"] == "66"


def test_tree_json_stable_keys(loaded):
    data = json.loads(run("152201000000", "--json"))
    assert list(data) == ["unit", "units", "households", "people", "assignments"]
    assert data["unit"]["code"] == "152201000000"
    kinds = data["units"]["by_kind"]
    assert kinds["township"]["total"] == 17
    assert kinds["township"]["by_subkind"] == {"street": 10, "town": 4, "township_other": 3}
    assert kinds["village"]["total"] == 130
    assert kinds["grid"]["total"] == 20
    assert kinds["enterprise"]["total"] + kinds["social_org"]["total"] == 97
    assert data["households"] == 200
    assert data["people"]["total"] > 0
    assert set(data["assignments"]["by_kind"]) <= {"contact_point", "demonstration", "household_pairing"}
    # a grid's own 15-digit code works too; a grid has nothing below it but its households
    code = Unit.objects.filter(kind="grid").order_by("code").values_list("code", flat=True)[0]
    grid = json.loads(run(code, "--json"))
    assert grid["units"]["total"] == 0
    assert grid["households"] == Household.objects.filter(grid__code=code).count() > 0


def test_tree_by_own_code(loaded):
    assert json.loads(run("152201-A002", "--json"))["unit"]["name"] == "中共乌兰浩特市委组织部"


def test_tree_unknown_code(loaded):
    with pytest.raises(CommandError) as e:
        run("999999")
    msg = str(e.value)
    assert "找不到单位代码 999999" in msg
    assert "not found" in msg.lower()

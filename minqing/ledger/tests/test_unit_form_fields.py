"""A unit typed into a form field reads like a page filter (issue 15, item 4): the 12-digit code,
the short division code or the name; a name that fits several units lists them with their
parents, and a unit out of reach says so instead of a bare "not found"."""

from typing import Any

import pytest

from minqing.campaigns.forms import CampaignForm
from minqing.ledger.enums import Channel
from minqing.ledger.forms import AssignForm
from minqing.ledger.services.intake import feedback_submit
from minqing.orgs.enums import UnitKind
from minqing.orgs.services.units import UnitRow
from minqing.orgs.tests.factories import make_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(lw: Any) -> Any:
    """Two villages of one name, under two townships (the case 12-digit codes were made for)."""
    make_units(
        [
            UnitRow(
                "150902001002", "和平村民委员会", UnitKind.VILLAGE, "150902001000", "village", "150902001002"
            ),
            UnitRow(
                "150902101202", "和平村民委员会", UnitKind.VILLAGE, "150902101000", "village", "150902101202"
            ),
        ]
    )
    return lw


def _assign_form(lw: Any, text: str) -> AssignForm:
    fb = feedback_submit(
        actor=lw.users["county_intake"],
        channel=Channel.CALL,
        title="路灯",
        content="路灯不亮",
        unit=lw.u["county"],
    )
    assert fb.problem is not None
    data = {"assign-unit_code": text, "assign-expected_version": str(fb.problem.version)}
    return AssignForm(data, actor=lw.users["county_office"], problem=fb.problem)


@pytest.mark.parametrize("text", ["150902001000", "150902001", "新体育场街道"])
def test_the_assign_form_takes_a_code_a_short_code_or_a_name(lw: Any, text: str) -> None:
    form = _assign_form(lw, text)
    assert form.is_valid(), form.errors
    assert form.params()["responsible_unit"] == lw.u["town_a"]


def test_a_name_of_two_units_lists_both_with_their_parents(twins: Any) -> None:
    form = _assign_form(twins, "和平村民委员会")
    assert not form.is_valid()
    error = " ".join(str(e) for e in form.errors["unit_code"])
    assert "和平村民委员会 · 新体育场街道 · 集宁区" in error
    assert "和平村民委员会 · 白海子镇 · 集宁区" in error


def test_a_unit_out_of_reach_is_named_in_the_error(lw: Any) -> None:
    form = CampaignForm(
        {"name": "专题", "kind": "themed", "unit_code": "乌兰察布市", "start_date": "2019-09-01"},
        actor=lw.users["b_office"],
    )
    assert not form.is_valid()
    error = " ".join(str(e) for e in form.errors["unit_code"])
    assert "乌兰察布市" in error and "150900" in error
    ok = CampaignForm(
        {"name": "专题", "kind": "themed", "unit_code": "白海子镇", "start_date": "2019-09-01"},
        actor=lw.users["b_office"],
    )
    assert ok.is_valid(), ok.errors

"""The group form reads unit codes as ``unit_by_code`` does: full, short division or own code."""

import pytest
from django import forms

from minqing.supervision.forms import GroupForm

pytestmark = pytest.mark.django_db


def test_units_by_short_and_full_codes_once_each(w):
    form = GroupForm(actor=w.users["county_office"])
    form.cleaned_data = {"units": "150902001 150902101000 150902001000"}
    assert sorted(u.code for u in form.clean_units()) == ["150902001000", "150902101000"]


def test_units_out_of_scope_are_named(w):
    form = GroupForm(actor=w.users["a_office"])
    form.cleaned_data = {"units": "150902001 150902101"}
    with pytest.raises(forms.ValidationError, match="150902101"):
        form.clean_units()

"""``fail``: a service's refusal shown on a form, with the page's status."""

from django import forms

from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.core.forms import fail


class _Form(forms.Form):
    name = forms.CharField(required=False)


def test_permission_refusal_is_403_and_on_the_form():
    form = _Form({})
    assert form.is_valid()
    assert fail(form, PermissionDeniedError()) == 403
    assert form.non_field_errors() == [PermissionDeniedError().message]
    assert fail(_Form({}), DomainError(ErrorCode.PERMISSION_DENIED)) == 403


def test_other_refusal_is_200():
    form = _Form({})
    form.is_valid()
    err = DomainError(ErrorCode.UNIT_NOT_FOUND, code="x")
    assert fail(form, err) == 200
    assert form.non_field_errors() == [err.message]

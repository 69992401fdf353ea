"""The services' own rules, beyond the pages: the count across calls, who may attach and approve."""

import pytest

from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.ledger.tests.pages import assigned_problem
from minqing.photos.models import Photo
from minqing.photos.services import (
    photo_set_public,
    photos_attach_to_feedback,
    photos_attach_to_update,
    prepare_uploads,
)
from minqing.photos.tests.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db


def _prepared(n: int = 1):
    return prepare_uploads([upload(image_bytes("PNG"), f"{i}.png") for i in range(n)])


def test_a_report_never_holds_more_than_the_limit(lw, attach):
    fb = lw.submit()
    attach(fb, image_bytes("PNG"), image_bytes("PNG"))
    with pytest.raises(DomainError) as err:
        photos_attach_to_feedback(actor=lw.users["county_intake"], feedback=fb, prepared=_prepared(2))
    assert err.value.code is ErrorCode.PHOTO_TOO_MANY and Photo.objects.count() == 2


def test_attaching_to_a_report_needs_an_intake_role_over_it(lw, photo_root):
    fb = lw.submit()
    for name in ("viewer", "b_staff"):
        with pytest.raises(PermissionDeniedError):
            photos_attach_to_feedback(actor=lw.users[name], feedback=fb, prepared=_prepared())
    photos_attach_to_feedback(actor=lw.users["county_intake"], feedback=fb, prepared=_prepared())
    assert Photo.objects.get().uploaded_by == lw.users["county_intake"]


def test_photos_go_only_onto_ones_own_latest_update(lw, photo_root):
    p = assigned_problem(lw)  # its latest event is the office's assignment
    with pytest.raises(PermissionDeniedError):
        photos_attach_to_update(actor=lw.users["a_staff"], problem=p, prepared=_prepared())
    (photo,) = photos_attach_to_update(actor=lw.users["county_office"], problem=p, prepared=_prepared())
    assert photo.event is not None and photo.event.action == "assign" and photo.feedback_id is None


def test_approval_by_role_over_the_problems_unit(lw, attach):
    fb = lw.submit(unit_key="village_a")
    (photo,) = attach(fb)
    for name in ("a_staff", "viewer", "county_leader", "b_office"):
        with pytest.raises(PermissionDeniedError):
            photo_set_public(actor=lw.users[name], photo=photo, public=True)
    assert Photo.objects.get(pk=photo.pk).public_approved_at is None
    assert photo_set_public(actor=lw.users["county_intake"], photo=photo, public=True).is_public
    assert not photo_set_public(actor=lw.users["county_office"], photo=photo, public=False).is_public

"""Who may fetch a photo, and approving it for public display: staff who may see the problem;
the public only once staff have approved it; staff outside the subtree as the public."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from minqing.core.models import AuditEvent
from minqing.photos.models import Photo
from minqing.photos.tests.conftest import GPS_IFD, jpeg_with_gps

pytestmark = pytest.mark.django_db

VARIANTS = ("original", "display", "thumb")


def _url(photo: Photo, variant: str = "display") -> str:
    return reverse("photos:serve", args=[photo.key, variant])


def _set_public(client, photo: Photo, public: bool):
    return client.post(reverse("photos:set_public", args=[photo.key]), {"public": "1" if public else "0"})


@pytest.fixture
def reported(lw, attach):
    fb = lw.submit(unit_key="village_a")
    (photo,) = attach(fb)
    return fb, photo


def test_the_public_cannot_fetch_a_photo_before_approval(client, reported):
    _fb, photo = reported
    for variant in VARIANTS:
        assert client.get(_url(photo, variant)).status_code == 404


def test_staff_who_see_the_problem_fetch_it_with_safe_headers(client, lw, reported):
    _fb, photo = reported
    client.force_login(lw.users["a_staff"])  # the township the village belongs to
    for variant in VARIANTS:
        r = client.get(_url(photo, variant))
        assert r.status_code == 200
        assert r["Content-Type"] == "image/jpeg" and r["X-Content-Type-Options"] == "nosniff"
        assert r["Content-Disposition"] == f'inline; filename="photo-{variant}.jpg"'
        assert "private" in r["Cache-Control"]
        img = Image.open(io.BytesIO(r.content))
        assert img.format == "JPEG" and not img.getexif().get_ifd(GPS_IFD) and len(img.getexif()) == 0
    assert client.get(reverse("photos:serve", args=[photo.key, "secret"])).status_code == 404


@pytest.mark.parametrize("user", ["b_staff", "b_office"])
def test_staff_outside_the_subtree_cannot_fetch_or_approve(client, lw, reported, user):
    _fb, photo = reported
    client.force_login(lw.users[user])
    assert client.get(_url(photo)).status_code == 404
    assert _set_public(client, photo, True).status_code == 404
    assert Photo.objects.get(pk=photo.pk).public_approved_at is None


def test_only_moderators_approve_and_the_public_sees_it_until_hidden(client, lw, reported):
    fb, photo = reported
    # unit staff see the photo but do not decide what the public sees
    client.force_login(lw.users["a_staff"])
    r = _set_public(client, photo, True)
    assert r.status_code == 302 and Photo.objects.get(pk=photo.pk).public_approved_at is None
    client.force_login(lw.users["county_office"])
    r = _set_public(client, photo, True)
    assert r.status_code == 302 and r["Location"].endswith(f"/ledger/{fb.problem.number}/#photos")
    photo.refresh_from_db()
    assert photo.public_approved_at is not None and photo.public_approved_by == lw.users["county_office"]
    row = AuditEvent.objects.get(object_type="photos.photo", object_id=str(photo.pk), action="update")
    assert row.actor == lw.users["county_office"] and "public approved" in row.detail
    client.logout()
    assert client.get(_url(photo)).status_code == 200
    assert client.get(_url(photo, "thumb")).status_code == 200
    # hidden again: gone from the public at once
    client.force_login(lw.users["county_intake"])
    assert _set_public(client, photo, False).status_code == 302
    client.logout()
    assert client.get(_url(photo)).status_code == 404
    assert (
        AuditEvent.objects.filter(object_type="photos.photo", detail__startswith="public hidden").count() == 1
    )


def test_approving_needs_a_post_and_a_login(client, lw, reported):
    _fb, photo = reported
    url = reverse("photos:set_public", args=[photo.key])
    assert client.post(url, {"public": "1"}).status_code == 302  # to the login page
    client.force_login(lw.users["county_office"])
    assert client.get(url).status_code == 405
    assert Photo.objects.get(pk=photo.pk).public_approved_at is None


def test_tracking_page_shows_only_approved_photos(client, lw, attach):
    fb = lw.submit(unit_key="village_a")
    approved, unapproved = attach(fb, jpeg_with_gps(), jpeg_with_gps())
    Photo.objects.filter(pk=approved.pk).update(public_approved_at="2026-01-01T00:00:00Z")
    html = client.get(reverse("public:track", args=[fb.tracking_code])).content.decode()
    assert _url(approved, "thumb") in html and str(unapproved.key) not in html
    assert 'id="public-photos"' in html and "style=" not in html


def test_tracking_page_without_approved_photos_shows_none(client, lw, reported):
    fb, photo = reported
    html = client.get(reverse("public:track", args=[fb.tracking_code])).content.decode()
    assert str(photo.key) not in html and 'id="public-photos"' not in html


def test_detail_page_shows_thumbnails_and_the_moderation_buttons(client, lw, reported):
    fb, photo = reported
    client.force_login(lw.users["county_office"])
    html = client.get(reverse("ledger:detail", args=[fb.problem.number])).content.decode()
    assert f'<a href="{_url(photo)}"><img src="{_url(photo, "thumb")}"' in html
    assert reverse("photos:set_public", args=[photo.key]) in html and "批准公开" in html
    client.force_login(lw.users["a_staff"])
    html = client.get(reverse("ledger:detail", args=[fb.problem.number])).content.decode()
    assert _url(photo, "thumb") in html and reverse("photos:set_public", args=[photo.key]) not in html


def test_an_approved_photo_is_served_to_the_public_in_one_query(client, reported, django_assert_num_queries):
    _fb, photo = reported
    Photo.objects.filter(pk=photo.pk).update(public_approved_at=timezone.now())
    with django_assert_num_queries(1):  # the photo with its update: public or not, decided on it
        assert client.get(_url(photo, "thumb")).status_code == 200

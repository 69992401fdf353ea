"""Photos on staff updates (the detail page's note and action forms): attached to the event the
update recorded; a refused photo records nothing and keeps what was typed."""

import pytest
from django.urls import reverse

from minqing.core.errors import DomainError, ErrorCode
from minqing.ledger.models import Problem, ProblemEvent
from minqing.ledger.tests.pages import assigned_problem, login, snapshot
from minqing.photos.models import Photo
from minqing.photos.services import photo_set_public
from minqing.photos.tests.conftest import image_bytes, jpeg_with_gps, stored_files, upload

pytestmark = pytest.mark.django_db


def _post(client, problem, action, photos, **fields):
    problem.refresh_from_db()
    data = {f"{action}-expected_version": problem.version, "photos": photos}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(reverse("ledger:act", args=[problem.number, action]), data)


def test_the_update_forms_offer_photos(client, lw):
    p = assigned_problem(lw)
    html = login(client, lw.users["a_staff"]).get(reverse("ledger:detail", args=[p.number])).content.decode()
    assert 'id="act-note" enctype="multipart/form-data"' in html
    assert '<input type="file" id="photos-note" name="photos" accept="image/*" multiple>' in html
    assert 'id="photos-accept"' not in html  # accepting a problem is not an update with photos


def test_a_note_with_a_photo(client, lw, photo_root, django_capture_on_commit_callbacks):
    p = assigned_problem(lw)
    c = login(client, lw.users["a_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(
            c,
            p,
            "note",
            [upload(jpeg_with_gps()), upload(image_bytes("PNG", mode="RGBA"), "a.png")],
            note="现场已清理",
            public="on",
        )
    assert r.status_code == 302
    event = ProblemEvent.objects.get(problem=p, action="note")
    photos = list(Photo.objects.filter(event=event).order_by("position"))
    assert [ph.format for ph in photos] == ["jpeg", "png"] and photos[0].uploaded_by == lw.users["a_staff"]
    assert all(ph.feedback_id is None and ph.public_approved_at is None for ph in photos)
    assert len(stored_files(photo_root)) == 6
    html = c.get(reverse("ledger:detail", args=[p.number])).content.decode()
    assert reverse("photos:serve", args=[photos[0].key, "thumb"]) in html
    # the public sees it only once approved, and only because the note is public
    client.logout()
    url = reverse("photos:serve", args=[photos[0].key, "display"])
    assert client.get(url).status_code == 404
    photo_set_public(actor=lw.users["county_office"], photo=photos[0], public=True)
    assert client.get(url).status_code == 200


def test_a_refused_photo_records_no_update(client, lw, photo_root):
    p = assigned_problem(lw)
    before = snapshot(p)
    c = login(client, lw.users["a_staff"])
    r = _post(c, p, "note", [upload(b"#!/bin/sh\necho hi\n", "evil.jpg")], note="拍了现场照片")
    html = r.content.decode()
    assert r.status_code == 200 and "“evil.jpg”不是可识别的图片" in html
    assert 'value="拍了现场照片"' in html  # the note typed stays in its form
    assert snapshot(p) == before and not Photo.objects.exists() and stored_files(photo_root) == []
    r = _post(c, p, "note", [upload(image_bytes("PNG"), f"{i}.png") for i in range(4)], note="四张")
    assert "最多上传 3 张照片" in r.content.decode() and snapshot(p) == before


def test_a_refused_transition_stores_no_photo(client, lw, photo_root):
    p = assigned_problem(lw)
    before = snapshot(p)
    c = login(client, lw.users["viewer"])  # in scope, but may not write a note
    r = _post(c, p, "note", [upload(jpeg_with_gps())], note="只读用户")
    assert r.status_code == 403
    assert snapshot(p) == before and not Photo.objects.exists() and stored_files(photo_root) == []


def test_a_photo_of_an_internal_note_is_never_public(
    client, lw, photo_root, django_capture_on_commit_callbacks
):
    p = assigned_problem(lw)
    c = login(client, lw.users["a_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(c, p, "note", [upload(jpeg_with_gps())], note="内部情况").status_code == 302
    photo = Photo.objects.get()
    with pytest.raises(DomainError) as err:
        photo_set_public(actor=lw.users["county_office"], photo=photo, public=True)
    assert err.value.code is ErrorCode.PHOTO_EVENT_NOT_PUBLIC
    html = (
        login(client, lw.users["county_office"])
        .get(reverse("ledger:detail", args=[p.number]))
        .content.decode()
    )
    assert "所在办理记录不公开" in html and reverse("photos:set_public", args=[photo.key]) not in html
    # even approved behind the service's back, the public never gets it
    Photo.objects.update(public_approved_at="2026-01-01T00:00:00Z")
    client.logout()
    assert client.get(reverse("photos:serve", args=[photo.key, "display"])).status_code == 404
    assert Problem.objects.get(pk=p.pk).state == "assigned"

"""Photos on the public form: stored without EXIF, refused uploads store nothing at all."""

import io

import pytest
from PIL import Image

from minqing.ledger.models import Feedback, Problem
from minqing.photos.models import Photo
from minqing.photos.tests.conftest import GPS_IFD, image_bytes, jpeg_with_gps, stored_files, upload

pytestmark = pytest.mark.django_db

SUBMIT = "/public/submit/"


def _form(lw, **extra):
    return {
        "title": "小区路灯不亮",
        "content": "3 号楼前的路灯坏了一个月",
        "unit_code": lw.u["village_a"].code,
        **extra,
    }


def test_the_form_offers_a_labelled_photo_field(client, lw):
    html = client.get(SUBMIT).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<input type="file" id="id_photos" name="photos" accept="image/*" multiple' in html
    assert '<label for="id_photos">' in html


def test_photo_with_gps_stored_without_any_exif(client, lw, photo_root, django_capture_on_commit_callbacks):
    data = jpeg_with_gps(orientation=6)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            SUBMIT, {**_form(lw), "photos": [upload(data, "IMG_0001.jpg"), upload(data, "b.jpg")]}
        )
    assert r.status_code == 200 and "code" in r.context
    fb = Feedback.objects.get()
    photos = list(Photo.objects.filter(feedback=fb))
    assert len(photos) == 2 and all(p.public_approved_at is None for p in photos)
    files = stored_files(photo_root)
    assert len(files) == 6  # original, display copy and thumbnail of each
    assert {f.relative_to(photo_root).as_posix() for f in files} == {
        getattr(p, n) for p in photos for n in ("original_name", "display_name", "thumb_name")
    }
    for f in files:
        assert "IMG_0001" not in f.name  # random names, never the uploader's
        raw = f.read_bytes()
        img = Image.open(io.BytesIO(raw))
        assert len(img.getexif()) == 0 and not img.getexif().get_ifd(GPS_IFD)
        assert b"Exif" not in raw and b"PhoneMaker" not in raw
    assert (photos[0].width, photos[0].height) == (900, 1200)  # upright


def _refused(client, lw, photo_root, photos, message):
    r = client.post(SUBMIT, {**_form(lw, name="周九"), "photos": photos})
    html = r.content.decode()
    assert r.status_code == 200 and message in html
    assert "3 号楼前的路灯坏了一个月" in html and 'value="小区路灯不亮"' in html  # what was typed stays
    assert not Feedback.objects.exists() and not Problem.objects.exists() and not Photo.objects.exists()
    assert stored_files(photo_root) == []
    return r


def test_a_text_file_named_jpg_is_refused_and_nothing_stored(client, lw, photo_root):
    good = upload(jpeg_with_gps())
    fake = upload(b"not a picture at all, just words\n" * 50, "scan.jpg")
    _refused(
        client, lw, photo_root, [good, fake], "“scan.jpg”不是可识别的图片,只接受 JPEG、PNG、WebP 格式的照片"
    )


def test_the_refusal_in_english(client, lw, photo_root):
    client.cookies["django_language"] = "en"
    fake = upload(b"GIF89a not really", "x.jpg")
    r = client.post(SUBMIT, {**_form(lw), "photos": [fake]})
    assert "is not an image we can read" in r.content.decode()
    assert not Feedback.objects.exists()


def test_more_than_three_photos_refused(client, lw, photo_root):
    photos = [upload(image_bytes("PNG"), f"{i}.png", "image/png") for i in range(4)]
    _refused(client, lw, photo_root, photos, "最多上传 3 张照片,您选择了 4 张")


def test_an_oversize_photo_refused(client, lw, photo_root, settings):
    settings.MINQING_PHOTO_MAX_BYTES = 2 * 1024 * 1024
    big = upload(b"\xff\xd8" + b"\0" * (2 * 1024 * 1024 + 1), "big.jpg")
    _refused(client, lw, photo_root, [big], "照片“big.jpg”超过 2 MB,请压缩后再上传")


def test_without_photos_the_form_works_as_before(client, lw, photo_root):
    assert client.post(SUBMIT, _form(lw)).status_code == 200
    assert Feedback.objects.count() == 1 and not Photo.objects.exists()

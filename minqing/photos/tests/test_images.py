"""Checking and re-encoding one upload (``minqing.photos.images``): by content, no metadata out."""

import io
import struct
import zlib

import pytest
from PIL import Image

from minqing.core.errors import DomainError, ErrorCode
from minqing.photos.images import prepare
from minqing.photos.models import PhotoFormat
from minqing.photos.tests.conftest import GPS_IFD, image_bytes, jpeg_with_gps


def _prepare(data: bytes, name: str = "photo.jpg"):
    return prepare(io.BytesIO(data), name, len(data))


def _variants(p):
    return [Image.open(io.BytesIO(e.data)) for e in (p.original, p.display, p.thumb)]


def test_gps_and_every_exif_tag_are_gone_from_every_variant():
    data = jpeg_with_gps()
    src = Image.open(io.BytesIO(data)).getexif()
    assert src.get_ifd(GPS_IFD) and src[0x010F] == "PhoneMaker"  # the upload does carry them
    p = _prepare(data)
    for img in _variants(p):
        exif = img.getexif()
        assert len(exif) == 0 and not exif.get_ifd(GPS_IFD)
        assert "exif" not in img.info and "xmp" not in img.info and "icc_profile" not in img.info
        assert b"PhoneMaker" not in p.original.data and b"Exif" not in p.original.data


def test_orientation_applied_before_the_tag_is_dropped():
    # orientation 6: the camera was turned; the stored image is upright (portrait)
    p = _prepare(jpeg_with_gps(size=(1200, 900), orientation=6))
    assert (p.original.width, p.original.height) == (900, 1200)
    assert Image.open(io.BytesIO(p.original.data)).size == (900, 1200)


def test_sizes_capped_with_display_copy_and_thumbnail(settings):
    settings.MINQING_PHOTO_MAX_SIDE = 1000
    p = _prepare(jpeg_with_gps(size=(3000, 1500)))
    assert p.format == PhotoFormat.JPEG
    assert (p.original.width, p.original.height) == (1000, 500)
    assert max(p.display.width, p.display.height) == settings.MINQING_PHOTO_DISPLAY_SIDE
    assert max(p.thumb.width, p.thumb.height) == settings.MINQING_PHOTO_THUMB_SIDE
    small = _prepare(image_bytes("JPEG", size=(200, 100)))
    assert (small.original.width, small.display.width, small.thumb.width) == (200, 200, 200)  # never enlarged


@pytest.mark.parametrize(
    ("fmt", "mode", "stored"),
    [("PNG", "RGB", PhotoFormat.JPEG), ("PNG", "RGBA", PhotoFormat.PNG), ("WEBP", "RGB", PhotoFormat.JPEG)],
)
def test_png_and_webp_accepted_transparency_kept(fmt, mode, stored):
    p = _prepare(image_bytes(fmt, mode=mode), name=f"x.{fmt.lower()}")
    assert p.format == stored
    assert Image.open(io.BytesIO(p.original.data)).format == stored.value.upper()


@pytest.mark.parametrize(
    "data",
    [
        b"This is not a picture, only text with an image name.\n" * 20,
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        image_bytes("GIF"),  # an image, but not one of the accepted formats
        image_bytes("BMP"),
        jpeg_with_gps()[:600],  # a truncated JPEG
    ],
)
def test_not_an_accepted_image_is_refused_whatever_its_name(data):
    with pytest.raises(DomainError) as err:
        _prepare(data, name="holiday.jpg")
    assert err.value.code is ErrorCode.PHOTO_NOT_IMAGE
    assert "holiday.jpg" in err.value.message and "JPEG、PNG、WebP" in err.value.message


def test_too_many_bytes_refused(settings):
    data = jpeg_with_gps()
    settings.MINQING_PHOTO_MAX_BYTES = len(data) - 1
    with pytest.raises(DomainError) as err:
        _prepare(data)
    assert err.value.code is ErrorCode.PHOTO_TOO_LARGE


def test_too_many_pixels_refused_before_decoding(settings):
    settings.MINQING_PHOTO_MAX_PIXELS = 1000 * 1000
    data = image_bytes("PNG", size=(1001, 1000))
    with pytest.raises(DomainError) as err:
        _prepare(data)
    assert err.value.code is ErrorCode.PHOTO_TOO_MANY_PIXELS
    _prepare(image_bytes("PNG", size=(1000, 1000)))  # at the limit: accepted


def test_a_decompression_bomb_header_is_refused():
    # a tiny PNG whose header claims 30000 x 30000 pixels (900 megapixels): refused from the
    # header, never decoded
    data = bytearray(image_bytes("PNG", size=(10, 10)))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", 30000, 30000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    with pytest.raises(DomainError) as err:
        _prepare(bytes(data), name="bomb.png")
    assert err.value.code is ErrorCode.PHOTO_TOO_MANY_PIXELS

"""Checking and re-encoding an uploaded image: by its content, never by its name or the browser's
content type. What comes out carries no metadata at all (EXIF with GPS, XMP, comments, ICC): a
new image is built from the decoded pixels after the EXIF orientation has been applied.
"""

import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from minqing.core.errors import DomainError, ErrorCode
from minqing.photos.models import PhotoFormat

ACCEPTED = frozenset({"JPEG", "PNG", "WEBP"})
JPEG_QUALITY = 85
NAME_SHOWN = 60  # characters of an uploaded file's name quoted in an error


@dataclass(frozen=True)
class Encoded:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Prepared:
    """One upload, checked and re-encoded: the three variants in one format."""

    format: PhotoFormat
    original: Encoded
    display: Encoded
    thumb: Encoded


def _shown(name: str) -> str:
    return name if len(name) <= NAME_SHOWN else name[: NAME_SHOWN - 1] + "…"


def _open_checked(stream: IO[bytes], name: str) -> Image.Image:
    """Open, verify and decode, refusing anything not a JPEG, PNG or WebP, and anything with more
    pixels than ``MINQING_PHOTO_MAX_PIXELS`` (checked from the header, before decoding)."""
    max_pixels = settings.MINQING_PHOTO_MAX_PIXELS
    not_image = DomainError(ErrorCode.PHOTO_NOT_IMAGE, name=_shown(name))
    too_big = DomainError(ErrorCode.PHOTO_TOO_MANY_PIXELS, name=_shown(name), max=max_pixels // 10_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            stream.seek(0)
            with Image.open(stream, formats=sorted(ACCEPTED)) as probe:
                if probe.width * probe.height > max_pixels:
                    raise too_big
                probe.verify()
            stream.seek(0)
            img = Image.open(stream, formats=sorted(ACCEPTED))
            if img.format == "JPEG":  # decode at a reduced scale when that still covers the cap
                side = settings.MINQING_PHOTO_MAX_SIDE
                img.draft("RGB", (side, side))
            img.load()
        except DomainError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as err:
            raise not_image from err
    return img


def _clean(img: Image.Image) -> Image.Image:
    """Upright pixels and nothing else: EXIF orientation applied, then a fresh image from the
    pixel data (no ``info``: no EXIF, XMP, ICC profile, comment or text chunk survives)."""
    upright = ImageOps.exif_transpose(img) or img
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    pixels = upright.convert(mode)
    return Image.frombytes(mode, pixels.size, pixels.tobytes())


def _fit(img: Image.Image, side: int) -> Image.Image:
    if max(img.size) <= side:
        return img
    out = img.copy()
    out.thumbnail((side, side), Image.Resampling.LANCZOS)
    return out


def _encode(img: Image.Image, fmt: PhotoFormat) -> Encoded:
    buf = io.BytesIO()
    if fmt == PhotoFormat.JPEG:
        img.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        img.save(buf, "PNG", optimize=True)
    return Encoded(buf.getvalue(), img.width, img.height)


def prepare(stream: IO[bytes], name: str, size: int) -> Prepared:
    """Check one upload and re-encode it: JPEG, or PNG when it has transparency."""
    max_bytes = settings.MINQING_PHOTO_MAX_BYTES
    if size > max_bytes:
        raise DomainError(ErrorCode.PHOTO_TOO_LARGE, name=_shown(name), max=f"{max_bytes / 1024 / 1024:g}")
    img = _open_checked(stream, name)
    try:
        clean = _clean(img)
    finally:
        img.close()
    fmt = PhotoFormat.PNG if clean.mode == "RGBA" else PhotoFormat.JPEG
    original = _fit(clean, settings.MINQING_PHOTO_MAX_SIDE)
    return Prepared(
        format=fmt,
        original=_encode(original, fmt),
        display=_encode(_fit(original, settings.MINQING_PHOTO_DISPLAY_SIDE), fmt),
        thumb=_encode(_fit(original, settings.MINQING_PHOTO_THUMB_SIDE), fmt),
    )

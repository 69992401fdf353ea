"""Photos on a resident's report (``Feedback``) or on a staff update (``ProblemEvent``).

What is stored is never the upload: the pixels re-encoded without EXIF (no location, no camera,
no time), the longest side capped, plus a display copy and a thumbnail, under random names in the
``photos`` storage (``config/photos.py``). A photo reaches a public page only once staff have
approved it for public display (``public_approved_at``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.ledger.models import Feedback, ProblemEvent


class PhotoFormat(models.TextChoices):
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


CONTENT_TYPES = {PhotoFormat.JPEG: "image/jpeg", PhotoFormat.PNG: "image/png"}
EXTENSIONS = {PhotoFormat.JPEG: "jpg", PhotoFormat.PNG: "png"}


class Variant(models.TextChoices):
    ORIGINAL = "original", _("原图")
    DISPLAY = "display", _("展示图")
    THUMB = "thumb", _("缩略图")


class Photo(models.Model):
    # the name in URLs: random, so photos cannot be counted or guessed
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    feedback = models.ForeignKey(
        Feedback,
        verbose_name=_("群众反映"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    event = models.ForeignKey(
        ProblemEvent,
        verbose_name=_("办理记录"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(_("格式"), max_length=4, choices=PhotoFormat.choices)
    width = models.PositiveIntegerField(_("宽度"))
    height = models.PositiveIntegerField(_("高度"))
    # names in the ``photos`` storage (random, never the uploader's file name)
    original_name = models.CharField(max_length=200)
    display_name = models.CharField(max_length=200)
    thumb_name = models.CharField(max_length=200)
    public_approved_at = models.DateTimeField(_("批准公开时间"), null=True, blank=True)
    public_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["uploaded_at", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(feedback__isnull=False, event__isnull=True)
                | models.Q(feedback__isnull=True, event__isnull=False),
                name="photos_photo_one_owner",
            )
        ]

    def __str__(self) -> str:
        return str(self.key)

    @property
    def is_public(self) -> bool:
        return self.public_approved_at is not None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[PhotoFormat(self.format)]

    def name_of(self, variant: str) -> str:
        return {
            Variant.ORIGINAL: self.original_name,
            Variant.DISPLAY: self.display_name,
            Variant.THUMB: self.thumb_name,
        }[Variant(variant)]

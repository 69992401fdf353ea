"""Writes of photos: attach uploads to a resident's report or to a staff update, and approve or
hide a photo for public display.

Every upload is checked and re-encoded (``images.prepare``) before anything is written, so one
refused photo refuses the whole submission; the rows are written in the caller's transaction and
the files only once it commits (nothing is stored for a submission rolled back). Audited by the
automatic write rows (``minqing.core.audit_writes``); approving or hiding writes its own row.
"""

import logging
from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from minqing.core.audit import audit
from minqing.core.errors import DomainError, ErrorCode, PermissionDeniedError
from minqing.ledger.access import can_see_problem
from minqing.ledger.enums import Action
from minqing.ledger.models import Feedback, Problem, ProblemEvent
from minqing.orgs import policy
from minqing.orgs.actors import Actor, is_system, user_of
from minqing.photos.images import Encoded, Prepared, prepare
from minqing.photos.models import EXTENSIONS, Photo, Variant
from minqing.photos.selectors import photo_problem

log = logging.getLogger(__name__)
STORAGE = "photos"
# the staff updates that may carry photos (the detail page offers the field on their forms)
UPDATE_ACTIONS = frozenset({Action.NOTE, Action.START, Action.RESOLVE, Action.CLOSE, Action.CALLBACK})


def takes_photos(action: str) -> bool:
    return action in UPDATE_ACTIONS


def photo_storage() -> Storage:
    return storages[STORAGE]


def prepare_uploads(uploads: Sequence[UploadedFile]) -> list[Prepared]:
    """Check the count and every upload (content, bytes, pixels); re-encode them all, or raise.
    Called outside the transaction that stores them (``photos_attach_to_*``)."""
    uploads = [u for u in uploads if u is not None and (u.name or u.size)]
    limit = settings.MINQING_PHOTO_MAX_COUNT
    if len(uploads) > limit:
        raise DomainError(ErrorCode.PHOTO_TOO_MANY, max=limit, count=len(uploads))
    return [prepare(upload, str(upload.name or ""), int(upload.size or 0)) for upload in uploads]


def _write_files(files: list[tuple[str, bytes]]) -> None:
    storage = photo_storage()
    for name, data in files:
        stored = storage.save(name, ContentFile(data))
        if stored != name:  # never for a fresh random name; the row would point elsewhere
            log.error("photo stored as %s instead of %s", stored, name)


def _store(prepared: list[Prepared], *, actor: Actor, **owner: object) -> list[Photo]:
    now = timezone.now()
    photos: list[Photo] = []
    files: list[tuple[str, bytes]] = []
    for position, p in enumerate(prepared):
        photo = Photo(
            uploaded_at=now,
            uploaded_by=user_of(actor),
            position=position,
            format=p.format,
            width=p.original.width,
            height=p.original.height,
            **owner,
        )
        ext = EXTENSIONS[p.format]
        stem = f"{photo.key.hex[:2]}/{photo.key.hex}"
        encoded: dict[str, Encoded] = {
            Variant.ORIGINAL: p.original,
            Variant.DISPLAY: p.display,
            Variant.THUMB: p.thumb,
        }
        photo.original_name = f"{stem}-o.{ext}"
        photo.display_name = f"{stem}-d.{ext}"
        photo.thumb_name = f"{stem}-t.{ext}"
        photo.save()
        files += [(photo.name_of(variant), enc.data) for variant, enc in encoded.items()]
        photos.append(photo)
    if files:
        # robust: a storage failing after the commit leaves the rows (served as 404), logged
        transaction.on_commit(partial(_write_files, files), robust=True)
    return photos


def photos_attach_to_feedback(
    *, actor: Actor, feedback: Feedback, prepared: Sequence[Prepared]
) -> list[Photo]:
    """A report's photos (checked first with ``prepare_uploads``, before the transaction: the
    re-encoding takes up to a second a photo, too long to hold SQLite's write lock), by the
    public form (``SYSTEM``) or a clerk who may register there."""
    if not prepared:
        return []
    problem = feedback.problem
    if not is_system(actor) and (problem is None or not can_see_problem(actor, problem, policy.INTAKE)):
        raise PermissionDeniedError()
    already, limit = Photo.objects.filter(feedback=feedback).count(), settings.MINQING_PHOTO_MAX_COUNT
    if already + len(prepared) > limit:
        raise DomainError(ErrorCode.PHOTO_TOO_MANY, max=limit, count=already + len(prepared))
    return _store(list(prepared), actor=actor, feedback=feedback)


def photos_attach_to_update(*, actor: Actor, problem: Problem, prepared: Sequence[Prepared]) -> list[Photo]:
    """A staff update's photos (checked first with ``prepare_uploads``, before the transition):
    attached to the newest event of ``problem``, which must be the actor's own (call it in the
    transaction of the transition that recorded it)."""
    if not prepared:
        return []
    event = ProblemEvent.objects.filter(problem=problem).order_by("-id").first()
    if event is None:
        raise PermissionDeniedError()
    user = user_of(actor)
    if not is_system(actor) and (user is None or event.actor_id != user.pk):
        raise PermissionDeniedError()
    if not can_see_problem(actor, problem, policy.NOTE_WRITERS):
        raise PermissionDeniedError()
    return _store(list(prepared), actor=actor, event=event)


def photo_set_public(*, actor: Actor, photo: Photo, public: bool) -> Photo:
    """Approve a photo for public display, or hide it again: the office or an intake clerk over
    the unit the problem concerns. A photo of an update that is not public stays internal."""
    problem = photo_problem(photo)
    if problem is None or not policy.has_role(actor, policy.PHOTO_MODERATORS, problem.path):
        raise PermissionDeniedError()
    if public and photo.event_id is not None and photo.event is not None and not photo.event.public:
        raise DomainError(ErrorCode.PHOTO_EVENT_NOT_PUBLIC)
    with transaction.atomic():
        locked = Photo.objects.select_for_update().get(pk=photo.pk)
        if public == locked.is_public:
            return locked
        locked.public_approved_at = timezone.now() if public else None
        locked.public_approved_by = user_of(actor) if public else None
        locked.save(update_fields=["public_approved_at", "public_approved_by"])
        audit(
            actor=actor,
            action="update",
            obj=locked,
            detail=f"{'public approved' if public else 'public hidden'}: problem {problem.number}",
        )
    return locked

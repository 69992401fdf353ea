"""Reads of photos, scoped to the actor: staff see the photos of a problem they may see; the
public sees a photo only once staff have approved it for public display (and, for a staff
update's photo, only while that update is public)."""

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from minqing.ledger.access import can_see_problem
from minqing.ledger.models import Problem
from minqing.orgs.actors import Actor, is_signed_in
from minqing.photos.models import Photo

PUBLIC_Q = Q(public_approved_at__isnull=False) & (Q(event__isnull=True) | Q(event__public=True))


def _of_problem(problem_id: int) -> QuerySet[Photo]:
    return Photo.objects.filter(Q(feedback__problem_id=problem_id) | Q(event__problem_id=problem_id))


def problem_photos(actor: Actor, problem: Problem) -> list[Photo]:
    """Every photo of the problem (its reports' and its updates'), for staff who may see it."""
    if not can_see_problem(actor, problem):
        raise Http404
    qs = _of_problem(problem.pk).select_related("event", "feedback")
    return list(qs.order_by("uploaded_at", "position", "id"))


def public_photos(problem_id: int | None) -> list[Photo]:
    """The photos of a problem approved for public display (the tracking page)."""
    if problem_id is None:
        return []
    return list(_of_problem(problem_id).filter(PUBLIC_Q).order_by("uploaded_at", "position", "id"))


def photo_for(actor: Actor, key: uuid.UUID | str) -> Photo:
    """The photo ``key`` if the actor may see it: approved for the public, else staff who may see
    its problem. Anything else is a 404, exactly like a photo that does not exist."""
    photo = Photo.objects.filter(key=key).select_related("event__problem", "feedback__problem").first()
    if photo is None:
        raise Http404
    if _shown_publicly(photo):  # PUBLIC_Q on the row already loaded (with its event)
        return photo
    problem = photo_problem(photo)
    if problem is None or not is_signed_in(actor) or not can_see_problem(actor, problem):
        raise Http404
    return photo


def _shown_publicly(photo: Photo) -> bool:
    """``PUBLIC_Q`` for one photo loaded with its event: approved, and a report's or a public
    update's."""
    return photo.is_public and (photo.event is None or photo.event.public)


def photo_problem(photo: Photo) -> Problem | None:
    """The problem a photo shows: its update's, or its report's (wherever that was merged)."""
    if photo.event is not None:
        return photo.event.problem
    return photo.feedback.problem if photo.feedback is not None else None

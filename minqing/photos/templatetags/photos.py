"""Template tags for photos: the upload field's limits, the staff gallery of a problem, the
public gallery of a tracking page. Each reads through ``minqing.photos.selectors``."""

from typing import Any

from django import template
from django.conf import settings

from minqing.ledger.models import Problem
from minqing.orgs import policy
from minqing.photos import selectors
from minqing.photos.services import takes_photos

register = template.Library()


@register.simple_tag
def photo_limits() -> dict[str, Any]:
    return {
        "count": settings.MINQING_PHOTO_MAX_COUNT,
        "mb": f"{settings.MINQING_PHOTO_MAX_BYTES / 1024 / 1024:g}",
    }


register.filter("takes_photos", takes_photos)


@register.inclusion_tag("photos/_staff_gallery.html", takes_context=True)
def staff_photos(context: template.Context, problem: Problem) -> dict[str, Any]:
    user = context["request"].user
    photos = selectors.problem_photos(user, problem)
    return {
        "photos": photos,
        "problem": problem,
        "can_moderate": policy.has_role(user, policy.PHOTO_MODERATORS, problem.path),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("photos/_public_gallery.html")
def public_photos(problem_id: int) -> dict[str, Any]:
    return {"photos": selectors.public_photos(problem_id)}

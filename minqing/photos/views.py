"""Serving photos (after the access check of ``selectors.photo_for``) and staff approving or
hiding a photo for public display."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minqing.core.errors import DomainError
from minqing.photos import selectors
from minqing.photos.models import EXTENSIONS, PhotoFormat, Variant
from minqing.photos.selectors import photo_problem
from minqing.photos.services import photo_set_public, photo_storage


@require_GET
def serve(request: HttpRequest, key: uuid.UUID, variant: str) -> HttpResponse:
    if variant not in Variant.values:
        raise Http404
    photo = selectors.photo_for(request.user, key)
    try:
        with photo_storage().open(photo.name_of(variant), "rb") as f:
            data = f.read()
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = HttpResponse(data, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    ext = EXTENSIONS[PhotoFormat(photo.format)]
    response["Content-Disposition"] = f'inline; filename="photo-{variant}.{ext}"'
    # never a shared cache: approval can be withdrawn, and staff-only photos are private
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@login_required
def set_public(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    photo = selectors.photo_for(request.user, key)
    problem = photo_problem(photo)
    if problem is None:
        raise Http404
    public = request.POST.get("public") == "1"
    try:
        photo_set_public(actor=request.user, photo=photo, public=public)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("照片已公开展示") if public else _("照片已不再公开展示"))
    return redirect(f"{reverse('ledger:detail', args=[problem.number])}#photos")
